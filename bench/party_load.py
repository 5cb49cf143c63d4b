"""The carto-party load benchmark: locust's phones and organisers against a real server.

Each run starts from a fresh database (SpatiaLite file or PostGIS database) holding the demo,
starts the server as users start it, plays the party with ``bench/party_locustfile.py`` on
loopback, then compares what the server acknowledged with what the database stores.

    .venv/bin/python bench/party_load.py --db spatialite --server serve --phones 300 --seconds 90
    .venv/bin/python bench/party_load.py --db postgis --posts-only --phones 50 --seconds 60

Results: one JSON file per run in ``bench/results/`` and a row in ``bench/results_party.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import http.client
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
POSTGIS_URL = "postgis://postgres@127.0.0.1:5432/cartoparty_bench"

ORGANISERS_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from mapping.models import Event, EventRole
event = Event.objects.get(slug={slug!r})
accounts = []
for n in range({count}):
    user, _ = get_user_model().objects.get_or_create(username=f"bench-organiser-{{n}}")
    user.set_password("bench-password-{{n}}".format(n=n)); user.save()
    EventRole.objects.get_or_create(event=event, user=user, role="organiser")
    token, _ = Token.objects.get_or_create(user=user)
    accounts.append({{"username": user.username, "password": f"bench-password-{{n}}",
                      "api_token": token.key}})
print(json.dumps(accounts))
"""

COUNT_SCRIPT = """
import json, sys
from mapping.models import MappedFeature, NuisanceReport
acked = set(open({acks!r}).read().split())
models = (MappedFeature, NuisanceReport)
rows = [m.objects.filter(event__slug={slug!r}) for m in models]
stored = {{str(pk) for qs in rows for pk in qs.values_list("pk", flat=True)}}
bench = {{str(pk) for qs in rows
         for pk in qs.filter(author__pseudonym__startswith="bench-").values_list("pk", flat=True)}}
print(json.dumps({{"acknowledged": len(acked), "stored_of_acknowledged": len(acked & stored),
                  "lost": len(acked - stored), "stored_by_phones": len(bench),
                  "stored_not_acknowledged": len(bench - acked)}}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(args: list[str], env: dict[str, str], *, ok: tuple[int, ...] = (0,),
        **kwargs: object) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False,
                          **kwargs)  # type: ignore[call-overload]
    if done.returncode not in ok:
        sys.stderr.write(done.stdout + done.stderr)
        msg = f"failed: {' '.join(args)}"
        raise SystemExit(msg)
    return str(done.stdout)


def prepare(db: str, env: dict[str, str]) -> None:
    if db == "postgis":
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists",
                        "cartoparty_bench"], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "cartoparty_bench"],
                       check=True)
    run([str(BIN / "cartoparty"), "migrate", "--noinput", "-v0"], env)
    run([str(BIN / "cartoparty"), "demo"], env)


def wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/v1/events/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    msg = f"server at {url} not ready after {seconds} s"
    raise SystemExit(msg)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes and their children, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15]) / tick  # utime stime cutime cstime
    return total


def server_pids(root_pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-g", str(os.getpgid(root_pid))], capture_output=True,
                         text=True, check=False).stdout.split()
    return [int(p) for p in out]


class Probe(threading.Thread):
    """One more phone, outside locust, reading the map every quarter second on its own
    connection: the server's answer time, whatever the load generator's own delays.

    Locust's phones share one process on the same two cores as the server; when it lags,
    its times include its own queue. The probe's do not (it is idle otherwise).
    """

    def __init__(self, url: str, slug: str, bbox: list[float]) -> None:
        super().__init__(daemon=True)
        self.host, self.port = url.removeprefix("http://").split(":")
        self.slug, self.bbox = slug, bbox
        self.times: dict[str, list[float]] = {"features": [], "reports": []}
        self.errors = 0
        self.stop = threading.Event()

    def run(self) -> None:
        connection = http.client.HTTPConnection(self.host, int(self.port), timeout=30)
        west, south, east, north = self.bbox
        while not self.stop.wait(0.25):
            lon = west + (east - west) * (0.2 + 0.6 * random.random())
            lat = south + (north - south) * (0.2 + 0.6 * random.random())
            box = f"{lon - 0.0013:.5f},{lat - 0.0009:.5f},{lon + 0.0013:.5f},{lat + 0.0009:.5f}"
            for layer, times in self.times.items():
                start = time.perf_counter()
                try:
                    connection.request("GET", f"/api/v1/events/{self.slug}/{layer}/?bbox={box}")
                    response = connection.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    connection.close()
                if ok:
                    times.append((time.perf_counter() - start) * 1000)
                else:
                    self.errors += 1

    def summary(self) -> dict[str, object]:
        def centile(values: list[float], q: float) -> float | None:
            ordered = sorted(values)
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) \
                if ordered else None
        return {"errors": self.errors, **{
            f"map {layer} (bbox)": {"requests": len(values), "p50_ms": centile(values, 0.5),
                                    "p95_ms": centile(values, 0.95),
                                    "p99_ms": centile(values, 0.99)}
            for layer, values in self.times.items()}}


def read_stats(prefix: Path) -> tuple[list[dict[str, object]], list[dict[str, str]]]:
    rows = []
    with open(f"{prefix}_stats.csv") as stats:
        for row in csv.DictReader(stats):
            rows.append({"name": row["Name"], "type": row["Type"],
                         "requests": int(row["Request Count"]),
                         "failures": int(row["Failure Count"]),
                         "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
                         "p99_ms": float(row["99%"] or 0),
                         "rps": round(float(row["Requests/s"]), 1)})
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv") as errors:
            failures = [dict(r) for r in csv.DictReader(errors)]
    return rows, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["spatialite", "postgis"], default="spatialite")
    parser.add_argument("--server", choices=["serve", "runserver"], default="serve")
    parser.add_argument("--workers", type=int, default=0, help="serve: worker processes")
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--spawn-rate", type=float, default=30.0)
    parser.add_argument("--posts-only", action="store_true")
    parser.add_argument("--no-live", action="store_true", help="no live streams open")
    parser.add_argument("--phone-stream", default="",
                        help="path of the phones' live stream, {slug} replaced")
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    RESULTS.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="party-"))
    env = {**os.environ, "CARTOPARTY_DATA_DIR": str(work / "data"), "DEBUG": "false",
           "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    if args.db == "postgis":
        env["DATABASE_URL"] = POSTGIS_URL
    prepare(args.db, env)
    organisers = run([str(BIN / "cartoparty"), "shell", "-c",
                      ORGANISERS_SCRIPT.format(slug="chambery-centre", count=3)], env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    if args.server == "serve":
        command = [str(BIN / "cartoparty"), "serve", f"127.0.0.1:{port}", "--no-qr"]
        if args.workers:
            command += ["--workers", str(args.workers)]
    else:
        command = [str(BIN / "cartoparty"), "runserver", f"127.0.0.1:{port}"]
    server_log = open(work / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=server_log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    acks = work / "acks.txt"
    acks.touch()
    try:
        wait_ready(url)
        load_before = os.getloadavg()
        cpu_before = cpu_seconds(server_pids(server.pid))
        with urllib.request.urlopen(f"{url}/api/v1/events/chambery-centre/", timeout=30) as r:
            probe = Probe(url, "chambery-centre", json.loads(r.read())["bbox"])
        probe.start()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        locust_env = {**env, "PARTY_ORGANISERS": organisers.strip().splitlines()[-1],
                      "PARTY_ACK_FILE": str(acks),
                      "PARTY_POSTS_ONLY": "1" if args.posts_only else "0",
                      "PARTY_LIVE": "0" if args.no_live else "1",
                      "PARTY_PHONE_STREAM": args.phone_stream}
        prefix = work / "locust"
        users = args.phones + (0 if args.posts_only else 3)
        run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "party_locustfile.py"),
             "--headless", "-u", str(users), "-r", str(args.spawn_rate),
             "-t", f"{args.seconds}s", "--host", url, "--csv", str(prefix), "--only-summary",
             "--stop-timeout", "10"], locust_env, ok=(0, 1), timeout=args.seconds + 300)
        elapsed = time.monotonic() - started
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust, reaped
        probe.stop.set()
        probe.join(timeout=30)
        server_cpu = cpu_seconds(server_pids(server.pid)) - cpu_before
        client_cpu = (children_after.ru_utime + children_after.ru_stime
                      - children_before.ru_utime - children_before.ru_stime)
        load_after = os.getloadavg()
    finally:
        os.killpg(os.getpgid(server.pid), signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(os.getpgid(server.pid), signal.SIGKILL)
        server_log.close()
    counts = json.loads(run([str(BIN / "cartoparty"), "shell", "-c",
                             COUNT_SCRIPT.format(acks=str(acks), slug="chambery-centre")], env
                            ).strip().splitlines()[-1])
    stats, failures = read_stats(prefix)
    with (work / "server.log").open() as log:
        errors_in_log = sum(1 for line in log if "Traceback" in line)
    result = {
        "label": args.label, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "db": args.db, "server": args.server, "workers": args.workers or "default",
        "phones": args.phones, "seconds": args.seconds, "posts_only": args.posts_only,
        "live_streams": not args.no_live, "elapsed_s": round(elapsed, 1),
        "server_cpu_s": round(server_cpu, 1), "locust_cpu_s": round(client_cpu, 1),
        "probe": probe.summary(), "loadavg_before": load_before,
        "loadavg_after": load_after, "counts": counts, "stats": stats,
        "failures": failures[:20], "tracebacks_in_server_log": errors_in_log,
    }
    name = f"party_{args.db}_{args.server}_{'posts' if args.posts_only else 'party'}_{args.phones}"
    (RESULTS / f"{name}{'_' + args.label if args.label else ''}.json").write_text(
        json.dumps(result, indent=1))
    total = next((s for s in stats if s["name"] == "Aggregated"), None)
    print(json.dumps({"aggregated": total, "counts": counts, "server_cpu_s": result["server_cpu_s"],
                      "locust_cpu_s": result["locust_cpu_s"], "probe": result["probe"],
                      "failures": failures[:5]}, indent=1))
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
