"""The write path at scale: one contribution's cost with 1,000 to 1,000,000 already stored.

Issue 9's target: "one contribution ≤ 5 ms in-process, flat from 1,000 to 1,000,000
contributions in the event". One event over a 2 km × 2 km zone with 200 participants is
filled step by step up to each N (half mapped features, half nuisance reports, each with its
"received" history line), in bulk by SQL (``INSERT … SELECT`` from a generated temporary
table: no ORM, no API). At each N, K single contributions are timed in process, one at a
time, each with a fresh client id as phones send them:

- ``via=client``: a feature POST and a report POST through Django's test client (the whole
  request: participant token, rate counter, serializer, service, answer; no network);
- ``via=service``: ``feature_submit`` / ``report_submit`` called directly.

Wall-clock times (median, p95) and this process's CPU time per POST are both kept: the
machine is shared, and other tenants' load inflates the first, not the second. It also
counts one POST's queries and keeps its slowest one, so a step that is not flat
points at its query. The PostGIS database is the one in ``DATABASE_URL`` (default the
write-path helper's ``cp_write_path``): its tables are emptied (``flush``) before the fill.

    .venv/bin/python bench/contribution_bench.py --db spatialite --label round2
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/cp_write_path \\
        .venv/bin/python bench/contribution_bench.py --db postgis --label round2

Results are appended as JSON lines (db, n, kind, via, median/p95 ms, queries, load average,
timestamp) to ``bench/results/contribution_bench.jsonl``.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGIS_URL = "postgis://postgres@127.0.0.1:5432/cp_write_path"
# A 2 km × 2 km district of Chambéry (WGS84), as in read_bench.py.
WEST, SOUTH = 5.9100, 45.5570
EAST, NORTH = WEST + 0.0257, SOUTH + 0.0180
PEOPLE = 200
SLUG = "write-bench"
CODE = "BENCH123"
STEPS = (1_000, 10_000, 100_000, 1_000_000)
BATCH = 100_000  # rows of each kind per generated temporary table


def setup(db: str) -> None:
    if db == "postgis":
        os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL", POSTGIS_URL)
        if "postgis" not in os.environ["DATABASE_URL"]:
            os.environ["DATABASE_URL"] = POSTGIS_URL
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CARTOPARTY_DATA_DIR"] = tempfile.mkdtemp(prefix="write-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["THROTTLE_CONTRIBUTE"] = "100000000/hour"  # counted, never refused
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if db == "postgis":
        call_command("flush", interactive=False, verbosity=0)


def make_event() -> tuple[Any, list[Any]]:
    from django.utils import timezone

    from mapping.services import contributor_join, event_create

    now = timezone.now()
    event = event_create(actor=None, name="Write bench", slug=SLUG, zone_geojson={
        "type": "Polygon", "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH],
                                            [WEST, NORTH], [WEST, SOUTH]]]},
        starts_at=now - dt.timedelta(hours=3), ends_at=now + dt.timedelta(days=1),
        join_code=CODE)
    joined = [contributor_join(event=event, join_code=CODE, pseudonym=f"Bench {i}")
              for i in range(PEOPLE)]
    return event, joined


# Dialect pieces of the generated rows: a random id, a random point in the zone, a time in
# the last three hours, and booleans/JSON as each backend stores them.
SQL = {
    "postgresql": {
        "rows": ("CREATE TEMPORARY TABLE bench_new AS SELECT gen_random_uuid() AS id, "
                 "{first} + (i % {people}) AS author_id, "
                 "ST_SetSRID(ST_MakePoint({west} + random() * {dx}, {south} + random() * {dy}),"
                 " 4326) AS geometry, now() - random() * interval '3 hours' AS at "
                 "FROM generate_series(1, {count}) AS i"),
        "geometry": "geometry", "false": "false", "json": "'{json}'::jsonb",
        "intensity": "1 + floor(random() * 5)::int",
    },
    "sqlite": {
        "rows": ("CREATE TEMPORARY TABLE bench_new AS WITH RECURSIVE s(i) AS (SELECT 1 "
                 "UNION ALL SELECT i + 1 FROM s WHERE i < {count}) SELECT "
                 "lower(hex(randomblob(16))) AS id, {first} + (i % {people}) AS author_id, "
                 "{west} + (abs(random()) % 1000000) / 1e6 * {dx} AS x, "
                 "{south} + (abs(random()) % 1000000) / 1e6 * {dy} AS y, "
                 "strftime('%Y-%m-%d %H:%M:%f', 'now', "
                 "'-' || (abs(random()) % 10800) || ' seconds') AS at FROM s"),
        "geometry": "MakePoint(x, y, 4326)", "false": "0", "json": "'{json}'",
        "intensity": "1 + abs(random()) % 5",
    },
}


def add_contributions(event: Any, first_author: int, count: int) -> None:
    """``count`` more features and as many reports, with their history lines, by SQL."""
    from django.db import connection, transaction

    dialect = SQL[connection.vendor]
    values = {"first": first_author, "people": PEOPLE, "west": WEST, "south": SOUTH,
              "dx": EAST - WEST, "dy": NORTH - SOUTH}
    tags = dialect["json"].format(json='{"amenity": "bench", "backrest": "yes"}')
    sources = dialect["json"].format(json='["road"]')
    false, geometry = dialect["false"], dialect["geometry"]
    common = ("id, event_id, author_id, entered_by_id, channel, geometry, status, version, "
              "created_at, updated_at, merged_into_id")
    common_values = (f"id, {event.pk}, author_id, NULL, 'web', {geometry}, 'received', 1, "
                     "at, at, NULL")
    history = ("from_status, to_status, reason, merged_into, actor_user_id, "
               "actor_contributor_id, created_at")
    history_values = "'', 'received', '', NULL, NULL, author_id, at"
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        with transaction.atomic(), connection.cursor() as cursor:
            for table, columns, rows, link in (
                ("mapping_mappedfeature",
                 f"{common}, tags, preset, osm_type, osm_id, osm_version, consent_osm, "
                 "consent_at, consent_terms_version",
                 f"{common_values}, {tags}, 'amenity/bench', '', NULL, NULL, {false}, NULL, ''",
                 "feature_id"),
                ("mapping_nuisancereport",
                 f"{common}, category, intensity, sources, observed_at, observed_until, comment",
                 f"{common_values}, 'noise', {dialect['intensity']}, {sources}, at, NULL, "
                 "'banc d''essai'", "report_id"),
            ):
                cursor.execute(dialect["rows"].format(count=size, **values))
                cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {rows} FROM bench_new")
                cursor.execute(f"INSERT INTO mapping_statuschange ({link}, {history}) "
                               f"SELECT id, {history_values} FROM bench_new")
                cursor.execute("DROP TABLE bench_new")
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load in production, done now rather than during
        # the timings. (SQLite is left as the product leaves it: no ANALYZE.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def stored(event: Any) -> int:
    from mapping.models import MappedFeature, NuisanceReport

    return (MappedFeature.objects.filter(event=event).count()
            + NuisanceReport.objects.filter(event=event).count())


def point(rng: random.Random) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(rng.uniform(WEST, EAST), 7),
                                             round(rng.uniform(SOUTH, NORTH), 7)]}


def feature_body(rng: random.Random) -> dict[str, Any]:
    return {"type": "Feature", "id": str(uuid.uuid4()), "geometry": point(rng),
            "properties": {"preset": "amenity/bench", "tags": {"backrest": "yes"}}}


def report_body(rng: random.Random) -> dict[str, Any]:
    observed = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=rng.randint(1, 60))
    return {"type": "Feature", "id": str(uuid.uuid4()), "geometry": point(rng),
            "properties": {"category": "noise", "intensity": rng.randint(1, 5),
                           "sources": ["road"], "observed_at": observed.isoformat()}}


def percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(event: Any, joined: list[Any], k: int, rng: random.Random) -> list[dict[str, Any]]:
    """K POSTs of each kind, through the client and the service; one POST's queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from mapping.services import feature_submit, report_submit
    from mapping.services.contributions import Author

    # One client, each participant's token per request: every Client builds its own
    # handler, so a new one pays Django's middleware set-up (WhiteNoise scanning the static
    # files with finders: ~0.4 s) on its first request, which a server pays once per worker.
    client = Client(HTTP_HOST="127.0.0.1")
    tokens = [f"Bearer {j.token}" for j in joined]
    url = f"/api/v1/events/{SLUG}/{{}}/"

    def by_client(kind: str) -> Any:
        body = (feature_body if kind == "features" else report_body)(rng)
        response = client.post(url.format(kind), body, content_type="application/json",
                               HTTP_AUTHORIZATION=rng.choice(tokens))
        assert response.status_code == 201, response.content
        return response

    def by_service(kind: str) -> Any:
        author = Author(contributor=rng.choice(joined).contributor)
        if kind == "features":
            return feature_submit(event=event, author=author, geometry=point(rng),
                                  preset="amenity/bench", tags={"backrest": "yes"},
                                  contribution_id=uuid.uuid4())
        return report_submit(event=event, author=author, geometry=point(rng), category="noise",
                             intensity=rng.randint(1, 5), sources=["road"],
                             observed_at=timezone.now() - dt.timedelta(minutes=5),
                             contribution_id=uuid.uuid4())

    rows = []
    for via, call in (("client", by_client), ("service", by_service)):
        for kind in ("features", "reports"):
            for _ in range(10):  # warm-up: caches, prepared plans, the rate counters' rows
                call(kind)
            times, cpu = [], []
            for _ in range(k):
                start, start_cpu = time.perf_counter(), time.process_time()
                call(kind)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            with CaptureQueriesContext(connection) as queries:
                call(kind)
            slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
            rows.append({
                "kind": kind, "via": via, "k": k,
                "median_ms": round(statistics.median(times), 2),
                "p95_ms": round(percentile(times, 0.95), 2),
                "max_ms": round(max(times), 2),
                # This process's CPU time: what the machine's other tenants cannot inflate
                # (the database's own work is in it for SQLite, not for PostgreSQL's server).
                "cpu_median_ms": round(statistics.median(cpu), 2),
                "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
                "queries": len(queries.captured_queries),
                "slowest_query_ms": round(float(slowest["time"]) * 1000, 2),
                "slowest_query": slowest["sql"][:160],
            })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["spatialite", "postgis"], default="spatialite")
    parser.add_argument("--steps", type=int, nargs="+", default=list(STEPS),
                        help="contributions in the event before each measurement")
    parser.add_argument("--k", type=int, default=200, help="timed POSTs of each kind per step")
    parser.add_argument("--label", default="")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" /
                        "contribution_bench.jsonl", help="JSON lines appended here")
    args = parser.parse_args()
    setup(args.db)
    from django.db import connection

    event, joined = make_event()
    first = min(j.contributor.pk for j in joined)
    assert max(j.contributor.pk for j in joined) - first == PEOPLE - 1  # ids in a row
    rng = random.Random(9)
    args.out.parent.mkdir(exist_ok=True)
    for n in sorted(args.steps):
        started = time.perf_counter()
        missing = n - stored(event)
        if missing > 0:
            add_contributions(event, first, (missing + 1) // 2)
        fill_s = time.perf_counter() - started
        n_before = stored(event)
        load_before = os.getloadavg()[0]
        rows = measure(event, joined, args.k, rng)
        load_after = os.getloadavg()[0]
        for row in rows:
            line = {"db": args.db, "backend": connection.vendor, "n": n_before,
                    "label": args.label, **row, "fill_s": round(fill_s, 1),
                    "load_before": round(load_before, 2), "load_after": round(load_after, 2),
                    "cpus": os.cpu_count(),
                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            print(json.dumps(line), flush=True)
            with open(args.out, "a") as results:
                results.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
