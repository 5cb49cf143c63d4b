"""The Chambéry demo's base map: its vector-tile set built from the imported OSM extract.

Loads the demo carto-party (``mapping.services.demo.demo_load``, as ``cartoparty demo`` does)
into a scratch database, imports its OSM extract (``exports.services.osm_context_import``,
which builds the base map in the same transaction), then times ``basemap_build`` again on
its own (one warm-up, median of ``--rounds``: it replaces every tile, so each round does the
whole work) and, in the same run, each of its phases with the functions it calls:

- ``read``: the event's OSM elements out of the database as WKB, into shapely;
- ``features``: which go on the map, in which layer (``all_map_features``), to Web Mercator;
- ``encode``: cutting, simplifying and encoding the tiles (``build_tiles``);
- ``write``: deleting the previous tiles and inserting the new ones (``bulk_create``).

Reported: tiles (and per zoom), their bytes, the OSM elements and map features, the load
average before and after (the machine is shared).

    .venv/bin/python bench/basemap_bench.py --db postgis
    .venv/bin/python bench/basemap_bench.py --db spatialite
    .venv/bin/python bench/basemap_bench.py --db spatialite --profile   # cProfile of a build
    .venv/bin/python bench/basemap_bench.py --db postgis \
        --extract /work/shared/data/osm/helsinki_centre_2019.osm.pbf   # a larger town centre

Results are appended as JSON lines to ``bench/results/basemap_bench.jsonl``; the scratch
database (``cartoparty_basemap_bench`` or a SpatiaLite folder) is dropped afterwards.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, now_iso, record, setup, zone

NAME = "basemap_bench"


def phases(event: object) -> tuple[dict[str, float], int]:
    """``basemap_build``'s steps one by one (seconds), as it runs them; the map features."""
    import shapely
    from django.contrib.gis.db.models.functions import AsWKB
    from django.db import transaction

    from exports.basemap.features import all_map_features
    from exports.basemap.tiles import build_tiles, tile_addresses, to_web_mercator
    from exports.models import BasemapTile, OsmElement
    from exports.services import basemap as service

    spent: dict[str, float] = {}
    start = time.perf_counter()
    rows = list(OsmElement.objects.filter(event=event).order_by("osm_type", "osm_id").annotate(
        wkb=AsWKB("geometry")).values_list("osm_type", "osm_id", "tags", "wkb"))
    geometries = shapely.from_wkb([bytes(row[3]) for row in rows])
    spent["read"] = time.perf_counter() - start
    start = time.perf_counter()
    features = to_web_mercator(all_map_features(
        (osm_id * 4 + service.TYPE_CODES[osm_type], tags, geometry)
        for (osm_type, osm_id, tags, _wkb), geometry in zip(rows, geometries, strict=True)))
    bounds = service._bounds(event)  # type: ignore[arg-type]
    max_zoom = next((z for z in service.MAX_ZOOMS
                     if len(tile_addresses(bounds, [z])) <= service.MAX_TILES),
                    service.MAX_ZOOMS[-1])
    addresses = tile_addresses(bounds, range(service.MIN_ZOOM, max_zoom + 1))
    spent["features"] = time.perf_counter() - start
    start = time.perf_counter()
    tiles = list(build_tiles(features, addresses))
    spent["encode"] = time.perf_counter() - start
    start = time.perf_counter()
    with transaction.atomic():
        BasemapTile.objects.filter(event=event).delete()
        BasemapTile.objects.bulk_create(
            [BasemapTile(event=event, z=t.z, x=t.x, y=t.y, data=t.data, etag=t.etag)
             for t in tiles], batch_size=500)
    spent["write"] = time.perf_counter() - start
    return spent, len(features)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["spatialite", "postgis"], default="spatialite")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--label", default="")
    parser.add_argument("--extract", type=Path, default=None,
                        help="another OSM extract, its bounds as the zone (default: the demo's)")
    parser.add_argument("--profile", action="store_true",
                        help="print the 25 costliest functions of one build (cProfile)")
    args = parser.parse_args()
    setup(args.db, NAME)
    from exports.models import BasemapTile, OsmElement
    from exports.services import basemap_build, osm_context_import
    from mapping.services.demo import DEMO_OSM, demo_load

    extract = args.extract or DEMO_OSM
    rows: dict[str, object] = {"db": args.db, "label": args.label, "at": now_iso(),
                               "extract": extract.name,
                               "extract_kb": round(extract.stat().st_size / 1000),
                               "load_before": load_average()}
    if args.extract is None:
        event = demo_load().event
    else:
        from django.utils import timezone

        from mapping.osm_file import read_bounds
        from mapping.services import event_create

        now = timezone.now()
        event = event_create(actor=None, name=extract.name, slug="basemap-bench",
                             zone_geojson=zone(read_bounds(extract)), join_code="BENCH123",
                             starts_at=now, ends_at=now + dt.timedelta(days=1))
    start = time.perf_counter()
    summary = osm_context_import(event=event, path=extract)
    rows["import_with_build_s"] = round(time.perf_counter() - start, 2)
    rows["osm_elements"] = OsmElement.objects.filter(event=event).count()
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(basemap_build, event=event)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    basemap_build(event=event)  # warm-up
    builds = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        basemap = basemap_build(event=event)
        builds.append(time.perf_counter() - start)
    assert basemap is not None
    assert summary.basemap is not None
    rows["build_s"] = round(statistics.median(builds), 3)
    rows["build_s_min_max"] = [round(min(builds), 3), round(max(builds), 3)]
    steps = []
    for _ in range(args.rounds):
        spent, rows["map_features"] = phases(event)
        steps.append(spent)
    for step in steps[0]:
        rows[f"{step}_s"] = round(statistics.median(s[step] for s in steps), 3)
    tiles = BasemapTile.objects.filter(event=event)
    rows["zooms"] = f"{basemap.min_zoom}-{basemap.max_zoom}"
    rows["tiles"] = basemap.tiles
    rows["tiles_per_zoom"] = dict(sorted(Counter(tiles.values_list("z", flat=True)).items()))
    rows["tiles_kb"] = round(sum(len(bytes(d)) for d in tiles.values_list("data", flat=True))
                             / 1000)
    rows["target_s"] = 10
    rows["load_average"] = load_average()
    record(NAME, rows)


if __name__ == "__main__":
    main()
