"""Benchmark of layers/: import, hourly LAeq + Lden, report ↔ reading join, beside naive code.

Usage (from the repository root)::

    .venv/bin/python bench/bench_layers.py                 # all three, SpatiaLite
    .venv/bin/python bench/bench_layers.py import --db postgis   # needs the local PostgreSQL
    .venv/bin/python bench/bench_layers.py indicators
    .venv/bin/python bench/bench_layers.py join

Synthetic, seeded data (numpy ``default_rng``), written to a temporary folder and deleted
afterwards. Each figure runs in a process of its own (peak RSS is its own). The naive way
(row by row, arithmetic in Python) is timed on a subsample and extrapolated linearly: the
output says so next to each ratio. Results are recorded in bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
POSTGIS = "postgis://postgres@127.0.0.1:5432/{name}"
T0 = np.datetime64("2024-01-01T00:00", "s")
# Chambéry, a 5 km × 4.5 km box: stations and reports fall in it (WGS84).
WEST, SOUTH, SPAN_LON, SPAN_LAT = 5.88, 45.54, 0.065, 0.04


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- 1. import: 1 M readings of the generic station CSV -------------------------------------

def write_station_csv(path: Path, stations: int, minutes: int, seed: int = 42) -> int:
    """``stations`` × ``minutes`` one-minute LAeq rows in the README's station CSV layout."""
    rng = np.random.default_rng(seed)
    start = dt.datetime(2024, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    stamps = [(start + dt.timedelta(minutes=m)).isoformat() for m in range(minutes)]
    with path.open("w", encoding="utf-8") as handle:
        handle.write("station_id,start,duration_s,lat,lon,laeq_db\n")
        for s in range(stations):
            lon, lat = WEST + rng.random() * SPAN_LON, SOUTH + rng.random() * SPAN_LAT
            levels = np.round(55 + 8 * rng.standard_normal(minutes), 1)
            handle.writelines(f"bench-{s:03d},{t},60,{lat:.6f},{lon:.6f},{v}\n"
                              for t, v in zip(stamps, levels, strict=True))
    return stations * minutes


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def copy_limit(path: Path, name: str) -> float:
    """The raw ``COPY`` limit on PostGIS: the CSV's bytes straight into a table by ``COPY``,
    points built, the natural key's unique index made — no parsing in Python, no check."""
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={name}", autocommit=True) as c:
        c.execute("CREATE TABLE copy_limit (station_id text, start timestamptz, duration_s "
                  "float8, lat float8, lon float8, laeq_db float8)")
        start = time.perf_counter()
        with c.cursor() as cursor, path.open("rb") as handle, cursor.copy(
                "COPY copy_limit FROM STDIN (FORMAT csv, HEADER)") as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        c.execute("ALTER TABLE copy_limit ADD COLUMN geom geometry(Point, 4326)")
        c.execute("UPDATE copy_limit SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326)")
        c.execute("CREATE UNIQUE INDEX copy_limit_key ON copy_limit (station_id, start)")
        elapsed = time.perf_counter() - start
        c.execute("DROP TABLE copy_limit")
    return elapsed


def task_import(readings: int, db: str, naive_rows: int) -> dict[str, Any]:
    """Time ``measurements_import`` (the command's path) and its peak memory, its re-import,
    parsing alone, the raw ``COPY`` limit (PostGIS) and row-by-row ORM, in this order (the
    peak RSS after the import is the import's own)."""
    folder = Path(tempfile.mkdtemp(prefix="cp-bench-"))
    stations = 100
    path = folder / "stations.csv"
    write_station_csv(path, stations, readings // stations)
    name = f"cp_bench_{os.getpid()}"
    if db == "postgis":
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        _django(POSTGIS.format(name=name))
    else:
        _django(f"spatialite:///{folder / 'bench.sqlite3'}")
    from layers.importers.records import ReadingBatch
    from layers.importers.station_csv import parse_station_csv
    from layers.services import measurements_import

    rss_before = _rss_mib()
    start = time.perf_counter()
    summary = measurements_import(paths=[path])
    import_s = time.perf_counter() - start
    rss_import = _rss_mib()
    start = time.perf_counter()
    again = measurements_import(paths=[path])
    reimport_s = time.perf_counter() - start
    start = time.perf_counter()
    parsed = parse_station_csv(path)
    first = []
    for batch in parsed.batches():
        if len(first) < naive_rows:
            first.extend(ReadingBatch(batch.frame.head(naive_rows - len(first))).records())
    parse_s = time.perf_counter() - start
    limit_s = copy_limit(path, name) if db == "postgis" else None
    naive_s = _naive_import(first)
    out = {"db": db, "readings": summary.readings_new, "import_s": import_s,
           "copy_limit_s": limit_s,
           "import_over_copy_limit": import_s / limit_s if limit_s else None,
           "reimport_s": reimport_s, "reimport_new": again.readings_new,
           "parse_only_s": parse_s, "naive_rows": naive_rows, "naive_s_sample": naive_s,
           "naive_s_extrapolated": naive_s * readings / naive_rows,
           "rss_mib_before_import": rss_before, "rss_mib_after_import": rss_import,
           "csv_mib": path.stat().st_size / 2**20}
    path.unlink()
    if db == "postgis":
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE {name}")
    return out


def _naive_import(records: list[Any]) -> float:
    """Row by row through the ORM: find the sensor, skip a stored reading, else create it."""
    from django.db import transaction

    from layers.models import Measurement, Sensor

    start = time.perf_counter()
    with transaction.atomic():
        for r in records:
            sensor = Sensor.objects.get(code=r.sensor_code)
            # A shifted copy of the same rows, so each one is really new.
            moment = r.measured_at + dt.timedelta(days=3650)
            if not Measurement.objects.filter(sensor=sensor, measured_at=moment,
                                              quantity=r.quantity).exists():
                Measurement.objects.create(sensor=sensor, measured_at=moment,
                                           duration_s=r.duration_s, quantity=r.quantity,
                                           value=r.value, unit=r.unit)
    return time.perf_counter() - start


# --- 2. hourly LAeq + Lden of 100 stations × 1 year of 1-minute readings --------------------

def network(stations: int, minutes: int, seed: int = 7) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    times = np.tile(T0 + np.arange(minutes, dtype=np.int64) * np.timedelta64(60, "s"), stations)
    station = np.repeat(np.arange(stations, dtype=np.int64), minutes)
    levels = 55.0 + 8.0 * rng.standard_normal(stations * minutes)
    durations = np.full(stations * minutes, 60.0)  # an array, as read from the database
    return station, times, levels, durations


def task_indicators(stations: int, minutes: int, naive_stations: int) -> dict[str, Any]:
    from layers.acoustics import laeq_db, lden_db
    from layers.indicators import station_indicators

    station, times, levels, durations = network(stations, minutes)
    start = time.perf_counter()
    out = station_indicators(station, times, levels, durations, n_stations=stations)
    fast_s = time.perf_counter() - start
    sample = station < naive_stations
    start = time.perf_counter()
    naive = _naive_indicators(station[sample], times[sample], levels[sample], durations[sample])
    naive_s = time.perf_counter() - start
    # The per-station path of layers.acoustics (numpy, but a datetime per sample).
    start = time.perf_counter()
    for i in range(naive_stations):
        mine = station == i
        t, lv, d = times[mine], levels[mine], durations[mine]
        lden_db(t, lv, d)
        hour = t.astype("datetime64[h]")
        cuts = np.flatnonzero(np.r_[True, hour[1:] != hour[:-1], True])
        for a, b in itertools.pairwise(cuts):
            laeq_db(lv[a:b], d[a:b])
    loop_s = time.perf_counter() - start
    assert abs(naive[0] - out.lden_db[0]) < 1e-6, (naive[0], out.lden_db[0])
    scale = stations / naive_stations
    return {"values": int(levels.size), "stations": stations, "hours": out.hourly_laeq_db.shape[1],
            "vectorised_s": fast_s, "naive_stations": naive_stations,
            "naive_s_sample": naive_s, "naive_s_extrapolated": naive_s * scale,
            "per_station_loop_s_extrapolated": loop_s * scale, "rss_mib": _rss_mib(),
            "lden_db_station0": float(out.lden_db[0])}


def _naive_indicators(station: np.ndarray, times: np.ndarray, levels: np.ndarray,
                      durations: np.ndarray) -> list[float]:
    """One sample at a time in Python: local time, period, 10^(L/10) summed in dicts."""
    tz = ZoneInfo("Europe/Paris")
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    hourly: dict[tuple[int, int], list[float]] = {}
    period: dict[tuple[int, int], list[float]] = {}
    days: dict[int, set[dt.date]] = {}
    for s, t, lv, d in zip(station.tolist(), times.astype(np.int64).tolist(), levels.tolist(),
                           durations.tolist(), strict=True):
        energy = d * 10 ** (lv / 10)
        cell = hourly.setdefault((s, t // 3600), [0.0, 0.0])
        cell[0] += energy
        cell[1] += d
        local = (epoch + dt.timedelta(seconds=t)).astimezone(tz)
        p = 0 if 7 <= local.hour < 19 else 1 if 19 <= local.hour < 23 else 2
        cell = period.setdefault((s, p), [0.0, 0.0])
        cell[0] += energy
        cell[1] += d
        days.setdefault(s, set()).add(local.date())
    for cell in hourly.values():
        10 * math.log10(cell[0] / cell[1])
    out = []
    for s in sorted(days):
        ld, le, ln = (10 * math.log10(period[s, p][0] / period[s, p][1]) for p in range(3))
        out.append(10 * math.log10((12 * 10 ** (ld / 10) + 4 * 10 ** ((le + 5) / 10)
                                    + 8 * 10 ** ((ln + 10) / 10)) / 24))
    return out


# --- 3. join 10,000 reports to 1 M readings in space and time -------------------------------

def join_frames(readings: int, reports: int, seed: int = 3) -> tuple[Any, Any]:
    """Half the readings from 50 fixed stations (1 min), half from 50 walking tracks (1 s)."""
    import geopandas as gpd
    import pandas as pd

    rng = np.random.default_rng(seed)
    per = readings // 100
    lon = WEST + rng.random(50) * SPAN_LON
    lat = SOUTH + rng.random(50) * SPAN_LAT
    fixed_t = np.tile(np.arange(per) * 60, 50)
    fixed_xy = np.column_stack([np.repeat(lon, per), np.repeat(lat, per)])
    # Tracks: a random walk at ~1.4 m/s from a random start, 1-second points.
    steps = rng.standard_normal((50, per, 2)) * 1.4e-5
    walk = np.cumsum(steps, axis=1) + np.column_stack(
        [WEST + rng.random(50) * SPAN_LON, SOUTH + rng.random(50) * SPAN_LAT])[:, None, :]
    track_t = (rng.integers(0, per * 60 - per, 50)[:, None] + np.arange(per)).ravel()
    xy = np.vstack([fixed_xy, walk.reshape(-1, 2)])
    codes = np.array([f"station:{i}" for i in range(50)] + [f"track:{i}" for i in range(50)])
    frame = pd.DataFrame({
        "sensor_id": np.repeat(np.arange(100), per), "sensor_code": np.repeat(codes, per),
        "deployment": np.repeat(["fixed", "mobile"], 50 * per),
        "measured_at": pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(
            np.r_[fixed_t, track_t], unit="s"),
        "duration_s": np.repeat([60.0, 1.0], 50 * per),
        "laeq_db": 55 + 8 * rng.standard_normal(100 * per),
        "accuracy_m": np.r_[np.full(50 * per, np.nan), rng.uniform(3, 40, 50 * per)],
        "flags": [()] * (100 * per)})
    readings_gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
                                    crs="EPSG:4326")
    # Half the reports anywhere, half within ~40 m (1 σ) of a station: some are measured.
    report_lonlat = np.column_stack([WEST + rng.random(reports) * SPAN_LON,
                                     SOUTH + rng.random(reports) * SPAN_LAT])
    close = rng.random(reports) < 0.5
    report_lonlat[close] = (np.column_stack([lon, lat])[rng.integers(0, 50, close.sum())]
                            + rng.standard_normal((close.sum(), 2)) * [5.1e-4, 3.6e-4])
    observed = pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(
        rng.random(reports) * per * 60, unit="s")
    reports_gdf = gpd.GeoDataFrame({
        "report_id": [f"r{i}" for i in range(reports)],
        "contributor_id": rng.integers(0, 800, reports), "category": "noise",
        "intensity": rng.integers(1, 6, reports), "sources": [[]] * reports,
        "observed_at": observed, "observed_until": observed + pd.to_timedelta(
            rng.choice([0, 0, 300]), unit="s")},
        geometry=gpd.points_from_xy(*report_lonlat.T), crs="EPSG:4326")
    return reports_gdf, readings_gdf


def task_join(readings: int, reports: int, naive_reports: int) -> dict[str, Any]:
    from pyproj import Transformer

    from layers.overlay import JoinParameters, join_reports

    reports_gdf, readings_gdf = join_frames(readings, reports)
    params = JoinParameters()
    start = time.perf_counter()
    joined = join_reports(reports_gdf, readings_gdf, metric_crs="EPSG:2154", params=params)
    fast_s = time.perf_counter() - start
    # Naive: project every point once (pyproj, vectorised, not timed), then compare each
    # report with every reading in Python.
    to_m = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    rx, ry = to_m.transform(readings_gdf.geometry.x.to_numpy(), readings_gdf.geometry.y.to_numpy())
    px, py = to_m.transform(reports_gdf.geometry.x.to_numpy(), reports_gdf.geometry.y.to_numpy())
    rows = list(zip(readings_gdf["measured_at"].astype("int64").to_numpy().tolist(),
                    readings_gdf["duration_s"].tolist(), rx.tolist(), ry.tolist(),
                    readings_gdf["laeq_db"].tolist(), readings_gdf["accuracy_m"].tolist(),
                    readings_gdf["sensor_code"].tolist(), strict=True))
    starts = reports_gdf["observed_at"].astype("int64").to_numpy() / 1e9 - params.window_s
    ends = reports_gdf["observed_until"].astype("int64").to_numpy() / 1e9 + params.window_s
    start = time.perf_counter()
    for i in range(naive_reports):
        near = []
        for t_ns, d, x, y, level, accuracy, code in rows:
            t = t_ns / 1e9
            if accuracy > params.max_accuracy_m:  # NaN (fixed) passes
                continue
            dist = math.hypot(x - px[i], y - py[i])
            if t <= ends[i] and t + d >= starts[i] and dist <= params.radius_m:
                near.append((dist, code, level, d))
        if near:
            nearest = min(near)[1]
            near = [n for n in near if n[1] == nearest]
            10 * math.log10(sum(d * 10 ** (lv / 10) for _, _, lv, d in near)
                            / sum(n[3] for n in near))
    naive_s = time.perf_counter() - start
    return {"readings": len(readings_gdf), "reports": reports, "vectorised_s": fast_s,
            "reports_measured": int(joined["measured"].sum()),
            "mean_readings_per_measured_report": float(
                joined.loc[joined["measured"], "n_readings"].mean()),
            "naive_reports": naive_reports, "naive_s_sample": naive_s,
            "naive_s_extrapolated": naive_s * reports / naive_reports, "rss_mib": _rss_mib()}


# --- driver ---------------------------------------------------------------------------------

def child(args: argparse.Namespace) -> dict[str, Any]:
    if args.task == "import":
        return task_import(args.readings, args.db, args.naive_rows)
    if args.task == "indicators":
        return task_indicators(args.stations, args.minutes, args.naive_stations)
    return task_join(args.readings, args.reports, args.naive_reports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", nargs="?", default="all", choices=["all", "import", "indicators",
                                                                   "join"])
    parser.add_argument("--db", choices=["spatialite", "postgis"], default="spatialite")
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", dest="naive_rows", type=int, default=5000)
    parser.add_argument("--stations", type=int, default=100)
    parser.add_argument("--minutes", type=int, default=525_600)  # a year
    parser.add_argument("--naive-stations", dest="naive_stations", type=int, default=2)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--naive-reports", dest="naive_reports", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(args)
        print(json.dumps(result))
        sys.stdout.flush()
        os._exit(0)  # skip interpreter teardown (SpatiaLite's extension may abort in it)
    tasks = ["import", "indicators", "join"] if args.task == "all" else [args.task]
    for task in tasks:
        options = [a for a in sys.argv[1:] if a not in {"all", "import", "indicators", "join"}]
        argv = [sys.executable, __file__, task, "--child", *options]
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode:
            sys.stderr.write(done.stderr)
            raise SystemExit(done.returncode)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(task, json.dumps(result, indent=1))
        naive = result.get("naive_s_extrapolated")
        fast = result.get("import_s", result.get("vectorised_s"))
        print(f"  → {fast:.2f} s; naive (extrapolated) {naive:.0f} s; ratio {naive / fast:.0f}×")


if __name__ == "__main__":
    main()
