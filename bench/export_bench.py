"""Benchmark: export N synthetic features to .osm and .gpkg, beside osmium-tool and ogr2ogr.

Usage (from the repository root)::

    .venv/bin/python bench/export_bench.py                 # 25k, 50k, 100k, writers only
    .venv/bin/python bench/export_bench.py --db 100000     # through the database and services

Each measurement runs in a fresh subprocess so its peak RSS (``ru_maxrss`` of the child) is
its own. Writers-only runs time the pure writers fed by the synthetic generator of
``tests/exports/synthetic.py``; ``--db`` loads the features into a throw-away SpatiaLite
database first (not timed) and times ``exports.services.event_export``, the command's path.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(task: str, count: int, folder: Path) -> dict[str, float]:
    """Run one measurement in this (child) process and return seconds and peak RSS (MiB)."""
    from exports.geopackage import write_gpkg
    from exports.osm_xml import write_osm
    from exports.records import ExportData, ExportMeta
    from tests.exports.synthetic import context_elements, records

    meta = ExportMeta(event_name="Bench", event_slug="bench")
    # "osmwriter": the records are built first (not timed), so CPU is the writer's alone.
    prebuilt = list(records(count)) if task == "osmwriter" else []
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    start = time.perf_counter()
    if task == "records":
        for _ in records(count):
            pass
    elif task == "osm":
        with (folder / "bench.osm").open("w", encoding="utf-8") as stream:
            write_osm(records(count), stream, meta=meta, context=context_elements())
    elif task == "osmwriter":
        with (folder / "bench-prebuilt.osm").open("w", encoding="utf-8") as stream:
            write_osm(prebuilt, stream, meta=meta, context=context_elements())
    elif task == "gpkg":
        write_gpkg(ExportData(meta=meta, features=records(count), tag_columns=("amenity",)),
                   folder / "bench.gpkg")
    elif task == "geojson":
        from exports.geojson import write_geojson

        write_geojson(ExportData(meta=meta, features=records(count)), folder / "bench.geojson")
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": seconds, "cpu_s": usage.ru_utime + usage.ru_stime - cpu_before,
            "rss_mib": usage.ru_maxrss / 1024}


def _django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"spatialite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    import django

    django.setup()


def db_load(count: int, folder: Path) -> dict[str, float]:
    """Load ``count`` accepted, consented features into a fresh SpatiaLite database."""
    _django(folder)
    from django.contrib.gis.geos import GEOSGeometry
    from django.core.management import call_command

    from mapping.models import MappedFeature
    from tests.conftest import make_event
    from tests.exports.synthetic import records

    call_command("migrate", verbosity=0)
    event = make_event("bench")
    batch: list[MappedFeature] = []
    for record in records(count, edits=0):
        batch.append(MappedFeature(
            event=event, geometry=GEOSGeometry(memoryview(record.geometry.wkb), srid=4326),
            tags=dict(record.tags), preset=record.preset, status="accepted", consent_osm=True))
        if len(batch) == 5000:
            MappedFeature.objects.bulk_create(batch)
            batch = []
    MappedFeature.objects.bulk_create(batch)
    return {"loaded": count}


def db_export(name: str, folder: Path) -> dict[str, float]:
    """Time ``event_export`` (the command's path) in a process of its own."""
    _django(folder)
    from exports.services import event_export
    from mapping.selectors import event_by_slug

    event = event_by_slug("bench")
    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    result = event_export(event=event, format_name=name, path=folder / f"db.{name}")
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": time.perf_counter() - start,
            "cpu_s": (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime),
            "rss_mib": after.ru_maxrss / 1024, "written": result.written}


def measure(args: list[str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall time and peak RSS of an external tool (``/usr/bin/time`` is not always there)."""
    # A small Python parent of its own, so RUSAGE_CHILDREN covers the tool alone.
    probe = ("import resource, subprocess, sys, time, json; s = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
             "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(json.dumps({'seconds': time.perf_counter() - s, "
             "'cpu_s': u.ru_utime + u.ru_stime, 'rss_mib': u.ru_maxrss / 1024}))")
    done = subprocess.run([sys.executable, "-c", probe, *command], check=True,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("counts", nargs="*", type=int, default=[25_000, 50_000, 100_000])
    parser.add_argument("--db", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("TASK", "COUNT", "FOLDER"))
    options = parser.parse_args()
    if options.child:
        task, count, folder = options.child
        if task == "dbload":
            result = db_load(int(count), Path(folder))
        elif task.startswith("db"):
            result = db_export(task.removeprefix("db"), Path(folder))
        else:
            result = child(task, int(count), Path(folder))
        print(json.dumps(result))
        return
    for count in options.counts:
        with tempfile.TemporaryDirectory(prefix="cartoparty-bench-") as name:
            folder = Path(name)
            if options.db:
                measure(["dbload", str(count), name])
                rows = {task: measure([task, str(count), name])
                        for task in ("dbosm", "dbosc", "dbgpkg", "dbgeojson", "dbcsv")}
                print(count, "db", json.dumps(rows), flush=True)
                continue
            rows = {task: measure([task, str(count), name])
                    for task in ("records", "osm", "osmwriter", "gpkg", "geojson")}
            osm = folder / "bench.osm"
            subprocess.run(["osmium", "cat", osm, "-o", folder / "bench.osm.pbf", "-O"],
                           check=True)
            rows["osmium cat pbf→osm"] = timed(
                ["osmium", "cat", str(folder / "bench.osm.pbf"), "-o", str(folder / "o.osm"),
                 "-O"])
            rows["ogr2ogr geojson→gpkg"] = timed(
                ["ogr2ogr", "-f", "GPKG", str(folder / "o.gpkg"),
                 str(folder / "bench.geojson"), "-nln", "features"])
            rows["ogr2ogr gpkg→gpkg"] = timed(
                ["ogr2ogr", "-f", "GPKG", str(folder / "o2.gpkg"), str(folder / "bench.gpkg"),
                 "features"])
            sizes = {p.name: p.stat().st_size // 1024 for p in folder.iterdir() if p.is_file()}
            print(count, json.dumps({k: {m: round(v, 2) for m, v in r.items()}
                                     for k, r in rows.items()}), json.dumps(sizes), flush=True)


if __name__ == "__main__":
    if shutil.which("osmium") is None or shutil.which("ogr2ogr") is None:
        sys.exit("The benchmark needs osmium-tool and gdal-bin.")
    main()
