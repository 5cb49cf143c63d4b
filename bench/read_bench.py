"""Map reads at scale: a 200 m bounding box and the whole event, at N contributions.

Fills a scratch database (SpatiaLite file or PostGIS) with one event over a 2 km × 2 km zone
and N mapped features + N nuisance reports (each with its "received" history line), then
times, in process through Django's test client (no network, one warm-up call each):

- a 200 m bbox of features and of reports, as the public and as an officer;
- the same request again with the ``ETag`` it got (a refresh that changed nothing);
- the whole event's features streamed (``limit`` as large as the API allows, every page).

    .venv/bin/python bench/read_bench.py --db spatialite --n 100000
    .venv/bin/python bench/read_bench.py --db postgis --n 100000

Results are appended as JSON lines to ``bench/results/read_bench.jsonl``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGIS_URL = "postgis://postgres@127.0.0.1:5432/cartoparty_read_bench"
# A 2 km × 2 km district of Chambéry (WGS84).
WEST, SOUTH = 5.9100, 45.5570
EAST, NORTH = WEST + 0.0257, SOUTH + 0.0180


def setup(db: str) -> None:
    if db == "postgis":
        import subprocess

        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists",
                        "cartoparty_read_bench"], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres",
                        "cartoparty_read_bench"], check=True)
        os.environ["DATABASE_URL"] = POSTGIS_URL
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CARTOPARTY_DATA_DIR"] = tempfile.mkdtemp(prefix="read-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(n: int) -> tuple[object, object]:
    from django.contrib.auth import get_user_model
    from django.contrib.gis.geos import Point
    from django.utils import timezone
    from tqdm import tqdm

    from mapping.models import EventRole, MappedFeature, NuisanceReport, StatusChange
    from mapping.services import contributor_join, event_create

    now = timezone.now()
    event = event_create(actor=None, name="Read bench", slug="read-bench", zone_geojson={
        "type": "Polygon", "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH],
                                            [WEST, NORTH], [WEST, SOUTH]]]},
        starts_at=now - dt.timedelta(hours=3), ends_at=now + dt.timedelta(days=1),
        join_code="BENCH123")
    people = [contributor_join(event=event, join_code="BENCH123", pseudonym=f"Bench {i}"
                               ).contributor for i in range(200)]
    officer = get_user_model().objects.create_user("bench-officer")
    EventRole.objects.create(event=event, user=officer, role=EventRole.Role.OFFICER)
    rng = random.Random(7)
    batch = 5000
    for start in tqdm(range(0, n, batch), desc="contributions", unit_scale=batch):
        size = min(batch, n - start)
        features = [MappedFeature(
            id=uuid.uuid4(), event=event, author=rng.choice(people),
            geometry=Point(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), srid=4326),
            tags={"amenity": "bench", "backrest": "yes"}, preset="amenity/bench",
            consent_osm=True) for _ in range(size)]
        reports = [NuisanceReport(
            id=uuid.uuid4(), event=event, author=rng.choice(people),
            geometry=Point(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), srid=4326),
            category="noise", intensity=rng.randint(1, 5), sources=["road"],
            observed_at=now - dt.timedelta(minutes=rng.randint(0, 170)),
            comment="banc d'essai") for _ in range(size)]
        MappedFeature.objects.bulk_create(features)
        NuisanceReport.objects.bulk_create(reports)
        StatusChange.objects.bulk_create(
            [StatusChange(feature=f, to_status="received", actor_contributor_id=f.author_id)
             for f in features] + [StatusChange(report=r, to_status="received",
                                                actor_contributor_id=r.author_id)
                                   for r in reports])
    return event, officer


def timed(call, repeat: int = 7, cold: bool = False,  # type: ignore[no-untyped-def]
          ) -> tuple[float, object]:
    """Median ms of ``call`` after a warm-up; ``cold``: the API's rendered items
    (web/api/items.py) are dropped before each call, so every item is read and rendered."""
    from web.api.items import CACHE

    call()  # warm-up
    times, result = [], None
    for _ in range(repeat):
        if cold:
            CACHE.clear()
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["spatialite", "postgis"], default="spatialite")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    setup(args.db)
    from django.test import Client
    from rest_framework.authtoken.models import Token

    _event, officer = fill(args.n)
    token = Token.objects.create(user=officer).key
    public = Client(HTTP_HOST="127.0.0.1")
    officer_client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")
    lon, lat = (WEST + EAST) / 2, (SOUTH + NORTH) / 2
    half_lon, half_lat = 0.00128, 0.0009  # ≈ 200 m × 200 m
    bbox = f"{lon - half_lon},{lat - half_lat},{lon + half_lon},{lat + half_lat}"
    rows: dict[str, object] = {"db": args.db, "n_each": args.n, "label": args.label,
                               "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    for layer in ("features", "reports"):
        url = f"/api/v1/events/read-bench/{layer}/?bbox={bbox}"
        for who, client in (("public", public), ("officer", officer_client)):
            ms, response = timed(lambda c=client, u=url: c.get(u), cold=True)
            rows[f"bbox_{layer}_{who}_cold_ms"] = round(ms, 1)
            ms, response = timed(lambda c=client, u=url: c.get(u))
            body = response.json()  # type: ignore[attr-defined]
            rows[f"bbox_{layer}_{who}_ms"] = round(ms, 1)
            rows[f"bbox_{layer}_{who}_items"] = len(body["features"])
            etag = response.get("ETag")  # type: ignore[attr-defined]
            if etag:
                ms, again = timed(lambda c=client, u=url, e=etag: c.get(u, HTTP_IF_NONE_MATCH=e))
                rows[f"bbox_{layer}_{who}_304_ms"] = round(ms, 1)
                rows[f"bbox_{layer}_{who}_304_status"] = again.status_code  # type: ignore[attr-defined]

    def whole() -> tuple[float, int, int]:
        """Every page of the event's features: server ms (the client's JSON parse, needed
        for the next link, is left out), items, bytes."""
        url, count, size, spent = "/api/v1/events/read-bench/features/?limit=10000", 0, 0, 0.0
        while url:
            start = time.perf_counter()
            response = public.get(url)
            content = b"".join(response.streaming_content) if response.streaming else \
                response.content
            spent += time.perf_counter() - start
            size += len(content)
            body = json.loads(content)
            count += len(body["features"])
            url = next((link["href"] for link in body.get("links", [])
                        if link.get("rel") == "next"), None)
        return spent * 1000, count, size

    from web.api.items import CACHE

    for state in ("cold", "warm"):
        runs = []
        for _ in range(3):
            if state == "cold":
                CACHE.clear()
            runs.append(whole())
        spent, count, size = sorted(runs)[1]
        rows[f"whole_features_{state}_ms"] = round(spent, 1)
    rows["whole_features_ms"] = rows["whole_features_warm_ms"]
    rows["whole_features_items"] = count
    rows["whole_features_mb"] = round(size / 1e6, 1)
    rows["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(rows, indent=1))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    with open(out / "read_bench.jsonl", "a") as results:
        results.write(json.dumps(rows) + "\n")


if __name__ == "__main__":
    main()
