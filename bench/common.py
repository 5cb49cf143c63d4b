"""What the GIS benches share: a scratch database, one event filled fast, timing, results.

Each bench names itself (``"tiles_bench"``, ``"read_bench"``, …):

- :func:`setup` makes its scratch database — PostGIS ``cartoparty_{name}`` (dropped and
  created again) or a SpatiaLite file in a temporary folder — sets Django up on it and
  migrates; :func:`teardown` drops it (or deletes the folder) when the process exits;
- :func:`event_fill` creates one event over a bounding box with its contributors and bulk-inserts
  N mapped features (points) and, if asked, N nuisance reports and each one's "received"
  history line, in batches of 5,000 — the same seeded rows, in the same order, as each bench
  made on its own before;
- :func:`timed` is the median of a few calls after a warm-up; :func:`serve` starts the ASGI
  application under uvicorn on a free port, :func:`get` is one HTTP request;
- :func:`record` appends the bench's JSON line to ``bench/results/{name}.jsonl``.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 5000
_SCRATCH: dict[str, str] = {}  # bench name → its SpatiaLite folder


def db_name(name: str) -> str:
    """The bench's scratch PostGIS database (every one starts with ``cartoparty_``)."""
    return f"cartoparty_{name}"


def _pg(*command: str) -> None:
    subprocess.run([command[0], "-h", "127.0.0.1", "-U", "postgres", *command[1:]], check=True)


def setup(db: str, name: str, *, reuse: bool = False, keep: bool = False) -> None:
    """Django set up and migrated on a fresh scratch database of bench ``name``, dropped
    (:func:`teardown`) when the process exits, failed or not, unless ``keep``.

    ``db``: ``"postgis"`` or ``"spatialite"``; ``reuse`` (PostGIS): use the database a
    previous run kept (migrations still run, they do nothing).
    """
    if db == "postgis":
        if not reuse:
            _pg("dropdb", "--if-exists", "--force", db_name(name))
            _pg("createdb", db_name(name))
        os.environ["DATABASE_URL"] = f"postgis://postgres@127.0.0.1:5432/{db_name(name)}"
    else:
        os.environ.pop("DATABASE_URL", None)
        _SCRATCH[name] = tempfile.mkdtemp(prefix=f"{name.replace('_', '-')}-")
        os.environ["CARTOPARTY_DATA_DIR"] = _SCRATCH[name]
    if not keep:
        atexit.register(teardown, db, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def teardown(db: str, name: str) -> None:
    """Drop the scratch database of bench ``name`` (PostGIS) or delete its folder."""
    from django.db import connections

    connections.close_all()
    if db == "postgis":
        _pg("dropdb", "--if-exists", "--force", db_name(name))
    elif name in _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(name), ignore_errors=True)


def zone(bounds: tuple[float, float, float, float]) -> dict[str, object]:
    """The GeoJSON polygon of a (west, south, east, north) box."""
    west, south, east, north = bounds
    return {"type": "Polygon", "coordinates": [
        [[west, south], [east, south], [east, north], [west, north], [west, south]]]}


def event_fill(
    *, n: int, bounds: tuple[float, float, float, float], name: str, slug: str,
    people: int, reports: bool = False, analyze: bool = False,
    tags: Callable[[int], Mapping[str, str]] = lambda i: {"amenity": "bench", "backrest": "yes"},
) -> Any:
    """One event over ``bounds`` with ``people`` contributors and ``n`` features (+ ``n``
    reports and their history lines when ``reports``); returns the event.

    Rows come from ``random.Random(7)`` in a fixed order (per batch: the features, then the
    reports), so a given ``n`` gives the same data on every run and database. ``tags(i)``
    gives feature ``i``'s tags. Bulk inserts of 5,000 rows; ``analyze``: PostGIS is
    ``ANALYZE``d after (as the tiles bench always did).
    """
    from django.utils import timezone

    from mapping.services import contributor_join, event_create

    now = timezone.now()
    event = event_create(
        actor=None, name=name, slug=slug, zone_geojson=zone(bounds),
        starts_at=now - dt.timedelta(hours=3), ends_at=now + dt.timedelta(days=1),
        join_code="BENCH123")
    contributors = [contributor_join(event=event, join_code="BENCH123", pseudonym=f"Bench {i}"
                                     ).contributor for i in range(people)]
    rows_fill(event, contributors, n=n, bounds=bounds, reports=reports, tags=tags, now=now)
    if analyze and os.environ.get("DATABASE_URL"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return event


def rows_fill(
    event: Any, contributors: list[Any], *, n: int, bounds: tuple[float, float, float, float],
    reports: bool, tags: Callable[[int], Mapping[str, str]], now: dt.datetime,
) -> None:
    """The bulk inserts of :func:`event_fill` (its rows, its order, its seed)."""
    from django.contrib.gis.geos import Point

    from mapping.models import MappedFeature, NuisanceReport, StatusChange

    west, south, east, north = bounds
    rng = random.Random(7)
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        size = min(BATCH, n - start)
        features = [MappedFeature(
            id=uuid.uuid4(), event=event, author=rng.choice(contributors),
            geometry=Point(rng.uniform(west, east), rng.uniform(south, north), srid=4326),
            tags=dict(tags(start + i)), preset="amenity/bench", consent_osm=True)
            for i in range(size)]
        MappedFeature.objects.bulk_create(features)
        if not reports:
            continue
        made = [NuisanceReport(
            id=uuid.uuid4(), event=event, author=rng.choice(contributors),
            geometry=Point(rng.uniform(west, east), rng.uniform(south, north), srid=4326),
            category="noise", intensity=rng.randint(1, 5), sources=["road"],
            observed_at=now - dt.timedelta(minutes=rng.randint(0, 170)),
            comment="banc d'essai") for _ in range(size)]
        NuisanceReport.objects.bulk_create(made)
        StatusChange.objects.bulk_create(
            [StatusChange(feature=f, to_status="received", actor_contributor_id=f.author_id)
             for f in features]
            + [StatusChange(report=r, to_status="received", actor_contributor_id=r.author_id)
               for r in made])
        print(f"\r{start + size:,} / {n:,} features{' + reports' if reports else ''} "
              f"({time.perf_counter() - started:.0f} s)", end="", file=sys.stderr, flush=True)
    print(f"\rfilled {n:,} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def timed(call: Callable[[], Any], repeat: int = 7,
          before: Callable[[], object] | None = None) -> tuple[float, Any]:
    """Median milliseconds of ``repeat`` calls after one warm-up, and the last result;
    ``before`` runs ahead of each timed call, outside the time (e.g. emptying a cache)."""
    call()  # warm-up
    times, result = [], None
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def serve() -> tuple[str, Any]:
    """The product's ASGI application under uvicorn on a free local port: (base URL, server);
    set ``server.should_exit = True`` to stop it."""
    import uvicorn

    from web.asgi import application

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET: (status, body); an HTTP error gives its status and no body."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages (it is shared: say so with results)."""
    return [round(x, 2) for x in os.getloadavg()]


def record(name: str, rows: Mapping[str, object]) -> None:
    """Print ``rows`` and append them as one JSON line to ``bench/results/{name}.jsonl``."""
    print(json.dumps(rows, indent=1))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    with open(out / f"{name}.jsonl", "a") as results:
        results.write(json.dumps(rows) + "\n")
