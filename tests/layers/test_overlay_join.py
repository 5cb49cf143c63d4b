"""layers.overlay.join_reports (vectorised) against a row-by-row reference on random data."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from layers.frames import readings_frame, reports_frame
from layers.overlay import JoinParameters, join_reports

T0 = dt.datetime(2024, 6, 21, 18, 0, tzinfo=dt.UTC)
L93 = "EPSG:2154"


def _network(seed: int):  # type: ignore[no-untyped-def]
    """3 fixed stations (many readings at one point each) and 2 mobile tracks, 40 reports."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(3):
        lon, lat = 5.930 + 0.002 * rng.random(), 45.565 + 0.002 * rng.random()
        for m in range(0, 7200, 60):
            rows.append((s, f"station:{s}", "fixed", T0 + dt.timedelta(seconds=m), 60.0,
                         float(50 + 15 * rng.random()), None, [], shapely.Point(lon, lat)))
    for s in (3, 4):
        for k in range(300):
            rows.append((s, f"track:{s}", "mobile", T0 + dt.timedelta(seconds=1000 + 10 * k + s),
                         float(rng.choice([1.0, 10.0])), float(45 + 30 * rng.random()),
                         float(rng.choice([5.0, 50.0])), [],
                         shapely.Point(5.930 + 0.002 * rng.random(),
                                       45.565 + 0.002 * rng.random())))
    readings = readings_frame(rows)
    reports = reports_frame([
        (f"r{i}", int(rng.integers(5)), "noise", int(rng.integers(1, 6)), [],
         T0 + dt.timedelta(seconds=float(rng.uniform(-1800, 9000))), None,
         shapely.Point(5.929 + 0.004 * rng.random(), 45.564 + 0.004 * rng.random()))
        for i in range(40)])
    return reports, readings


def _reference(reports, readings, params: JoinParameters) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The join written the obvious way: every report against every reading."""
    to_m = Transformer.from_crs("EPSG:4326", L93, always_xy=True)
    rows = [(r.measured_at.timestamp(), r.duration_s, *to_m.transform(r.geometry.x, r.geometry.y),
             r.sensor_code, r.laeq_db, r.accuracy_m) for r in readings.itertuples()]
    out = []
    for rep in reports.itertuples():
        px, py = to_m.transform(rep.geometry.x, rep.geometry.y)
        start = rep.observed_at.timestamp() - params.window_s
        end = rep.observed_until.timestamp() + params.window_s
        near = []
        for t, duration, x, y, code, level, accuracy in rows:
            if not (math.isnan(accuracy) or accuracy <= params.max_accuracy_m):
                continue
            d = math.hypot(x - px, y - py)
            if t <= end and t + duration >= start and d <= params.radius_m:
                near.append((d, code, level, duration))
        if not near:
            out.append((False, 0, None))
            continue
        nearest = min(near)[1]
        if params.pool == "nearest":
            near = [n for n in near if n[1] == nearest]
        energy = sum(dur * 10 ** (lv / 10) for _, _, lv, dur in near)
        seconds = sum(dur for *_, dur in near)
        out.append((True, len(near), 10 * math.log10(energy / seconds)))
    return out


@pytest.mark.parametrize("params", [JoinParameters(radius_m=80, window_s=300),
                                    JoinParameters(radius_m=150, window_s=60, pool="all")])
def test_vectorised_join_matches_the_row_by_row_reference(params: JoinParameters) -> None:
    reports, readings = _network(11)
    got = join_reports(reports, readings, metric_crs=L93, params=params)
    want = _reference(reports, readings, params)
    assert 0 < got["measured"].sum() < len(reports)  # both cases occur
    for (_, row), (measured, n, level) in zip(got.iterrows(), want, strict=True):
        assert (row["measured"], row["n_readings"]) == (measured, n)
        if measured:
            assert row["laeq_db"] == pytest.approx(level, abs=1e-9)
