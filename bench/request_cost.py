"""In-process cost of a phone's requests at a filled carto-party (issue 9, round 4).

Django's test client on a copy of a carto-party's database (the ``data`` folder a
``party_load.py`` run leaves: the demo event after 300 phones), no server, one thread: the
milliseconds of one map read (features then reports for one 200 m box, as the phones read),
one report posted, one "my contributions". ``--profile`` prints cProfile's top functions.

    .venv/bin/python bench/request_cost.py --data /tmp/party-XXXX/data
    .venv/bin/python bench/request_cost.py --data /tmp/party-XXXX/data --only read --profile

Results: ``bench/results/request_cost.jsonl``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "chambery-centre"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a party run's data folder (copied)")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--only", choices=["read", "post", "mine"])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="request-cost-"))
    shutil.copytree(args.data, work / "data")
    os.environ.update({"CARTOPARTY_DATA_DIR": str(work / "data"), "DEBUG": "false",
                       "LOG_LEVEL": "WARNING", "THROTTLE_CONTRIBUTE": "1000000/hour",
                       "DJANGO_SETTINGS_MODULE": "web.settings"})
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    west, south, east, north = client.get(f"/api/v1/events/{SLUG}/").json()["bbox"]
    token = client.post(f"/api/v1/events/{SLUG}/participants/",
                        {"join_code": "CHAMBE73", "pseudonym": f"cost-{uuid.uuid4().hex[:6]}"},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def point() -> tuple[float, float]:
        return random.uniform(west, east), random.uniform(south, north)

    def read() -> None:
        lon, lat = point()
        box = f"{lon - 0.0013:.5f},{lat - 0.0009:.5f},{lon + 0.0013:.5f},{lat + 0.0009:.5f}"
        for kind in ("features", "reports"):
            assert client.get(f"/api/v1/events/{SLUG}/{kind}/?bbox={box}").status_code == 200

    def post() -> None:
        body = {"type": "Feature", "id": str(uuid.uuid4()),
                "geometry": {"type": "Point", "coordinates": list(point())},
                "properties": {"category": "noise", "intensity": 3, "sources": ["road"],
                               "observed_at": dt.datetime.now(dt.UTC).isoformat()}}
        response = client.post(f"/api/v1/events/{SLUG}/reports/", body,
                               content_type="application/json", **auth)
        assert response.status_code == 201, response.content

    def mine() -> None:
        assert client.get("/api/v1/me/contributions/", **auth).status_code == 200

    calls = {"read": read, "post": post, "mine": mine}
    row: dict[str, object] = {"label": args.label, "calls": args.calls,
                              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                                       capture_output=True, text=True,
                                                       cwd=ROOT, check=False).stdout.strip()}
    for name, call in calls.items():
        if args.only and name != args.only:
            continue
        for _ in range(20):
            call()
        start = time.perf_counter()
        for _ in range(args.calls):
            call()
        row[f"{name}_ms"] = round((time.perf_counter() - start) / args.calls * 1000, 2)
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.calls):
                call()
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    row["loadavg_before"] = list(os.getloadavg())
    with (ROOT / "bench" / "results" / "request_cost.jsonl").open("a") as out:
        out.write(json.dumps(row) + "\n")
    print(json.dumps(row))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
