"""Server CPU per map read, by worker processes × threads (issue 9, round 4).

Starts ``cartoparty serve`` on a carto-party's database (the ``data`` folder a
``party_load.py`` run leaves in its work folder: the demo event filled by 300 phones), reads
the map by 200 m boxes — features and reports in turn, as the phones do — from ``--clients``
keep-alive connections, and records the server's CPU per request (its processes' user +
system time from /proc), its throughput and the clients' p50/p99. The clients run in this
process: keep ``--clients`` × the load below the machine's cores, or read the CPU column only.

    .venv/bin/python bench/server_cpu.py --data /tmp/party-XXXX/data --workers 1 --threads 1
    .venv/bin/python bench/server_cpu.py --data /tmp/party-XXXX/data --workers 4 --threads 8

Results: ``bench/results/server_cpu.jsonl``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from party_load import BIN, ROOT, cpu_seconds, free_port, server_pids, wait_ready

SLUG = "chambery-centre"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a party run's data folder (copied)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="server-cpu-"))
    shutil.copytree(args.data, work / "data")  # the run writes nothing, but never the original
    env = {**os.environ, "CARTOPARTY_DATA_DIR": str(work / "data"), "DEBUG": "false",
           "LOG_LEVEL": "WARNING", "SERVER_THREADS": str(args.threads)}
    env.pop("DATABASE_URL", None)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(work / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen([str(BIN / "cartoparty"), "serve", f"127.0.0.1:{port}", "--no-qr",
                               "--workers", str(args.workers)], env=env, cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_ready(url)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/api/v1/events/{SLUG}/")
        west, south, east, north = json.loads(connection.getresponse().read())["bbox"]
        latencies: list[float] = []

        def read(count: int) -> None:
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for i in range(count):
                lon, lat = random.uniform(west, east), random.uniform(south, north)
                box = f"{lon - 0.0013:.5f},{lat - 0.0009:.5f},{lon + 0.0013:.5f},{lat + 0.0009:.5f}"
                start = time.perf_counter()
                client.request("GET", f"/api/v1/events/{SLUG}/"
                               f"{'features' if i % 2 else 'reports'}/?bbox={box}")
                response = client.getresponse()
                response.read()
                if response.status != 200:
                    msg = f"HTTP {response.status}"
                    raise SystemExit(msg)
                latencies.append((time.perf_counter() - start) * 1000)

        def clients(per_client: int) -> float:
            threads = [threading.Thread(target=read, args=(per_client,))
                       for _ in range(args.clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return time.perf_counter() - started

        clients(60)  # every worker's item cache warm
        latencies.clear()
        pids = server_pids(server.pid)
        cpu_before = cpu_seconds(pids)
        elapsed = clients(args.requests // args.clients)
        used = cpu_seconds(pids) - cpu_before
    finally:
        os.killpg(os.getpgid(server.pid), signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    latencies.sort()
    row = {"label": args.label, "workers": args.workers, "threads": args.threads,
           "clients": args.clients, "requests": len(latencies),
           "rps": round(len(latencies) / elapsed, 1),
           "server_cpu_ms_per_request": round(used / len(latencies) * 1000, 2),
           "server_cores": round(used / elapsed, 2),
           "p50_ms": round(latencies[len(latencies) // 2], 1),
           "p99_ms": round(latencies[int(len(latencies) * 0.99)], 1),
           "loadavg_before": list(os.getloadavg())}
    results = ROOT / "bench" / "results"
    with (results / "server_cpu.jsonl").open("a") as out:
        out.write(json.dumps(row) + "\n")
    print(json.dumps(row))


if __name__ == "__main__":
    main()
