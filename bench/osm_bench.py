"""Benchmark: the OSM reader (pyosmium vs the former defusedxml parser) and the base map.

Usage (from the repository root)::

    .venv/bin/python bench/osm_bench.py reader              # Helsinki .osm.bz2 / .osm.pbf
    .venv/bin/python bench/osm_bench.py basemap             # Chambéry demo, SpatiaLite
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/cp_osm \\
        .venv/bin/python bench/osm_bench.py basemap         # the same on PostGIS (it migrates
                                                            # and writes an event "bench-*")

``reader`` times every element of the shared Helsinki extract (24,260 nodes, 5,130 ways,
620 relations) read by ``mapping.osm_file.read_elements`` and by the parser it replaced
(``exports/osm_extract.py`` of commit fbcb92f, loaded from git; it read preset kinds only,
``.pbf`` through an ``osmium cat`` subprocess). ``basemap`` times ``import_osm``'s service on
the Chambéry demo extract (read, store, build the tiles) and the tile build alone
(``basemap_build``: z12–z16 over the zone plus 250 m). Each measurement runs in a process of
its own (peak RSS is its own ``ru_maxrss``). Results: ``results_osm.txt``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent.parent / "shared" / "data" / "osm"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data/osm")
HELSINKI = {"bz2": SHARED / "helsinki_centre_2019.osm.bz2",
            "pbf": SHARED / "helsinki_centre_2019.osm.pbf"}
OLD_PARSER_COMMIT = "fbcb92f"


def _usage(start: float, cpu: resource.struct_rusage) -> dict[str, float]:
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": round(time.perf_counter() - start, 3),
            "cpu_s": round(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 3),
            "rss_mib": round(after.ru_maxrss / 1024, 1)}


def reader(which: str, fmt: str) -> dict[str, float]:
    from mapping.presets import tag_presets

    path = HELSINKI[fmt]
    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    if which in ("new", "new-presets"):
        from exports.conflation import kind_of
        from mapping.osm_file import is_tagged, read_elements

        presets = {key: dict(p["tags"]) for key, p in tag_presets().items()}
        # "new-presets" keeps what the old parser kept (same work); "new" every tagged element.
        wanted = (lambda tags: bool(kind_of(tags, presets))) if which == "new-presets" \
            else is_tagged
        count = sum(1 for _ in read_elements(path, wanted=wanted))
    else:
        source = subprocess.run(["git", "show", f"{OLD_PARSER_COMMIT}:exports/osm_extract.py"],
                                cwd=ROOT, check=True, capture_output=True, text=True).stdout
        module = types.ModuleType("old_osm_extract")
        sys.modules[module.__name__] = module  # dataclasses look their module up
        exec(compile(source, "old_osm_extract.py", "exec"), module.__dict__)
        presets = {key: dict(p["tags"]) for key, p in tag_presets().items()}
        count = sum(1 for _ in module.read_extract(path, presets))
    return {**_usage(start, cpu), "elements": count}


def basemap(task: str) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="cartoparty-bench-"))
    os.environ.setdefault("DATABASE_URL", f"spatialite:///{folder / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from exports.services import basemap_build, osm_context_import
    from mapping.models import Event
    from mapping.services.demo import DEMO_OSM
    from tests.conftest import make_event

    call_command("migrate", verbosity=0)
    slug = f"bench-{os.getpid()}"
    event = make_event(slug)
    if task == "build":
        osm_context_import(event=event, path=DEMO_OSM)  # not timed
    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    if task == "import":
        found = osm_context_import(event=event, path=DEMO_OSM).basemap
    else:
        found = basemap_build(event=event)
    result = {**_usage(start, cpu), "tiles": found.tiles if found else 0,
              "database": django.db.connection.vendor}
    Event.objects.filter(slug=slug).delete()
    return result


def measure(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        print(json.dumps(reader(*rest) if kind == "reader" else basemap(*rest)))
        return
    if sys.argv[1] == "reader":
        for fmt in ("bz2", "pbf"):
            for which in ("old", "new-presets", "new"):
                print(f"reader {which:11} {fmt}: {measure('reader', which, fmt)}", flush=True)
    else:
        for task in ("import", "build"):
            print(f"basemap {task:6}: {measure('basemap', task)}", flush=True)


if __name__ == "__main__":
    main()
