"""Data vector tiles at scale: the dense z14 tile of 100,000 features, over HTTP and raw.

Fills a scratch PostGIS database (or SpatiaLite file) with one event over a
town (Chambéry, 5 km × 4 km) and N mapped features (points, with the bench's tags), starts the
product's ASGI application under uvicorn on 127.0.0.1, then times, in the same run:

- **raw** ``ST_AsMVT`` of the densest z14 tile, in SQL alone (PostGIS): the minimal query
  (geometry and id) and the product's query (the same properties as the tile served);
- **cold** ``GET /tiles/{slug}/features/14/x/y.mvt`` end to end over HTTP (cache emptied
  before each request: ETag, read, encode, cache write, transfer);
- **warm**: the same tile again, from the cache: over HTTP, and the server time alone
  (Django's test client in process, no socket);
- **304**: the same request with its ``If-None-Match``.

    nice .venv/bin/python bench/tiles_bench.py --db postgis --n 100000
    nice .venv/bin/python bench/tiles_bench.py --db spatialite --n 100000

Results are appended as JSON lines to ``bench/results/tiles_bench.jsonl``. The scratch
database (``cartoparty_tiles_bench``) is dropped afterwards unless ``--keep`` (for ``--reuse``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import event_fill, get, now_iso, record, serve, setup, timed

NAME = "tiles_bench"
# Chambéry and its first ring, 5 km by 4 km (WGS84): its densest z14 tile holds about 15 %.
WEST, SOUTH = 5.8950, 45.5500
EAST, NORTH = WEST + 0.0640, SOUTH + 0.0360
SLUG = "tiles-bench"


def fill(n: int) -> object:
    return event_fill(
        n=n, bounds=(WEST, SOUTH, EAST, NORTH), name="Tiles bench", slug=SLUG, people=50,
        analyze=True,
        tags=lambda i: {"amenity": "bench", "backrest": "yes", "name": f"Banc {i}"})


def dense_tile(event: object) -> tuple[int, int, int]:
    """The z14 tile of the zone holding the most features."""
    import mercantile
    from django.contrib.gis.geos import Polygon

    from mapping.models import MappedFeature

    counts = {
        (t.z, t.x, t.y): MappedFeature.objects.filter(
            event=event, geometry__intersects=Polygon.from_bbox(mercantile.bounds(t))
        ).count()
        for t in mercantile.tiles(WEST, SOUTH, EAST, NORTH, [14])
    }
    return max(counts, key=lambda key: counts[key])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["spatialite", "postgis"], default="postgis")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--label", default="")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--reuse", action="store_true", help="PostGIS: use the database kept by a previous run"
    )
    parser.add_argument(
        "--keep", action="store_true", help="PostGIS: keep the database afterwards (--reuse)"
    )
    args = parser.parse_args()
    setup(args.db, NAME, reuse=args.reuse, keep=args.keep)
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from exports.selectors_tiles import RECENT, _features_postgis, data_tile_state
    from mapping.models import Event
    from mapping.selectors import Reader

    event = Event.objects.get(slug=SLUG) if args.reuse else fill(args.n)
    z, x, y = dense_tile(event)
    rows: dict[str, object] = {
        "db": args.db,
        "n": args.n,
        "tile": f"{z}/{x}/{y}",
        "label": args.label,
        "load_before": os.getloadavg()[0],
        "at": now_iso(),
    }
    path = f"/tiles/{SLUG}/features/{z}/{x}/{y}.mvt"
    if settings.SPATIAL_BACKEND == "postgis":
        minimal = """SELECT ST_AsMVT(t, 'features') FROM (
            SELECT ST_AsMVTGeom(ST_Transform(geometry, 3857), ST_TileEnvelope(%s, %s, %s))
                   AS geom, id::text AS id
            FROM mapping_mappedfeature WHERE event_id = %s
              AND geometry && ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326)) t"""

        def raw_minimal(jit: bool) -> int:
            from django.db import transaction

            with transaction.atomic(), connection.cursor() as cursor:
                if not jit:
                    cursor.execute("SET LOCAL jit = off")
                cursor.execute(minimal, [z, x, y, event.pk, z, x, y])  # type: ignore[attr-defined]
                return len(bytes(cursor.fetchone()[0]))

        state = data_tile_state(event=event, layer="features", reader=Reader(), z=z, x=x, y=y)
        sizes = {
            "raw_minimal": raw_minimal(True),
            "raw_minimal_nojit": raw_minimal(False),
            "raw_product_sql": len(_features_postgis(state)),
        }
        for raw, size in sizes.items():
            rows[f"{raw}_kb"] = round(size / 1000)

    base, server = serve()

    def cold() -> bytes:
        cache.clear()
        RECENT.clear()
        status, body = get(base + path)
        assert status == 200, status
        return body

    # Raw and HTTP are measured in turns, so that the (shared, noisy) machine's load
    # weighs on each alike; medians of the rounds.
    calls = {"http_cold": cold}
    if settings.SPATIAL_BACKEND == "postgis":
        calls = {
            "raw_minimal": lambda: raw_minimal(True),
            "raw_minimal_nojit": lambda: raw_minimal(False),
            "raw_product_sql": lambda: _features_postgis(state),
            **calls,
        }
    times: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        call()  # warm-up
    for _ in range(args.rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - start) * 1000)
    for name, measured in times.items():
        rows[f"{name}_ms"] = round(statistics.median(measured), 1)
    body = cold()
    rows["http_kb"] = round(len(body) / 1000)
    import mapbox_vector_tile

    rows["features_in_tile"] = len(mapbox_vector_tile.decode(body)["features"]["features"])  # type: ignore[arg-type]
    get(base + path)  # into the cache
    ms, _ = timed(lambda: get(base + path), repeat=9)
    rows["http_warm_ms"] = round(ms, 1)
    client = Client(HTTP_HOST="127.0.0.1")
    ms, response = timed(lambda: client.get(path), repeat=21)
    rows["server_warm_ms"] = round(ms, 2)
    tag = response["ETag"]  # type: ignore[index]
    ms, again = timed(lambda: client.get(path, HTTP_IF_NONE_MATCH=tag), repeat=21)
    assert again.status_code == 304  # type: ignore[attr-defined]
    rows["server_304_ms"] = round(ms, 2)
    for raw in ("raw_minimal", "raw_minimal_nojit", "raw_product_sql"):
        if f"{raw}_ms" in rows:
            ratio = float(rows["http_cold_ms"]) / float(rows[f"{raw}_ms"])  # type: ignore[arg-type]
            rows[f"http_cold_over_{raw}"] = round(ratio, 2)
    rows["load_after"] = os.getloadavg()[0]
    server.should_exit = True
    record(NAME, rows)


if __name__ == "__main__":
    main()
