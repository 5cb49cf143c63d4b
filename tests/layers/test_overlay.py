"""Tests for layers.overlay (pure): join in space and time, grid aggregation, discrepancy."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from layers.frames import LeftOut, readings_frame, reports_frame, split_left_out
from layers.overlay import JoinParameters, grid_overlay, join_reports

T0 = dt.datetime(2024, 6, 21, 18, 0, tzinfo=dt.UTC)
HERE, NEAR, FAR = (5.9320, 45.5660), (5.93215, 45.5660), (5.9340, 45.5660)  # ~12 m, ~156 m
L93 = "EPSG:2154"


def _readings(rows):  # type: ignore[no-untyped-def]
    return readings_frame([(1, code, "fixed", T0 + dt.timedelta(seconds=s), dur, level, acc,
                            flags, __import__("shapely").Point(*xy))
                           for code, s, dur, level, xy, acc, flags in rows])


def _reports(rows):  # type: ignore[no-untyped-def]
    return reports_frame([(f"r{i}", who, "noise", intensity, ["road"], T0 + dt.timedelta(seconds=s),
                           None, __import__("shapely").Point(*xy))
                          for i, (who, intensity, s, xy) in enumerate(rows)])


def test_report_gets_the_energetic_laeq_of_the_nearest_sensor_in_the_window() -> None:
    readings = _readings([("a", 0, 60, 60.0, NEAR, None, []), ("a", 60, 60, 70.0, NEAR, None, []),
                          ("a", 7200, 60, 90.0, NEAR, None, []),  # outside the window
                          ("b", 0, 60, 80.0, FAR, None, [])])  # outside the radius
    joined = join_reports(_reports([(1, 4, 30, HERE)]), readings, metric_crs=L93)
    row = joined.iloc[0]
    assert row["measured"]
    assert row["nearest_sensor"] == "a"
    assert row["laeq_db"] == pytest.approx(67.40, abs=0.01)
    assert (row["seconds_measured"], row["n_readings"]) == (120.0, 2)
    assert row["distance_m"] == pytest.approx(11.7, abs=0.5)


def test_report_with_nothing_near_says_so() -> None:
    readings = _readings([("b", 0, 60, 80.0, FAR, None, [])])
    row = join_reports(_reports([(1, 4, 0, HERE)]), readings, metric_crs=L93,
                       params=JoinParameters(radius_m=50, window_s=600)).iloc[0]
    assert not row["measured"]
    assert np.isnan(row["laeq_db"])
    assert row["context"] == "no measurement within 50 m and ±600 s"


def test_inaccurate_and_flagged_points_are_left_out_with_the_reason() -> None:
    readings = _readings([("a", 0, 1, 60.0, NEAR, 80.0, []),
                          ("a", 1, 1, 90.0, NEAR, None, ["test"]),
                          ("b", 0, 1, 70.0, NEAR, None, ["indoor", "test"])])
    kept, left_out = split_left_out(readings)
    assert len(kept) == 1  # the test- and indoor-tagged ones are left out, and said so
    assert left_out == (LeftOut("test", ("a", "b"), 2),)
    assert not join_reports(_reports([(1, 3, 0, HERE)]), kept, metric_crs=L93).iloc[0]["measured"]


def test_grid_aggregates_energetically_and_flags_small_counts() -> None:
    readings = _readings([("a", 0, 30, 60.0, HERE, None, []), ("a", 30, 30, 70.0, HERE, None, []),
                          ("b", 0, 600, 50.0, FAR, None, [])])
    reports = _reports([(1, 5, 0, HERE), (2, 4, 0, HERE), (3, 3, 0, HERE), (4, 1, 0, FAR)])
    cells = grid_overlay(reports, readings, metric_crs=L93, cell_m=50).set_index("cell")
    assert cells.crs.to_epsg() == 4326
    assert len(cells) == 2
    here = cells.loc[cells["n_reports"] == 3].iloc[0]
    assert here["laeq_db"] == pytest.approx(67.40, abs=0.01)
    assert (here["n_contributors"], here["mean_intensity"], here["small_count"]) == (3, 4.0, False)
    far = cells.loc[cells["n_reports"] == 1].iloc[0]
    assert far["small_count"]  # one contributor
    # Louder and more annoying here, quieter and calmer there: no relative discrepancy.
    assert here["discrepancy"] == pytest.approx(0.0)
    assert far["discrepancy"] == pytest.approx(0.0)
    assert set(cells["kind"]) == {"both"}


def test_cells_with_only_one_kind_are_labelled() -> None:
    readings = _readings([("b", 0, 600, 50.0, FAR, None, [])])
    cells = grid_overlay(_reports([(1, 5, 0, HERE)]), readings, metric_crs=L93, cell_m=50)
    assert sorted(cells["kind"]) == ["measured_not_perceived", "perceived_not_measured"]


def test_h3_grid() -> None:
    readings = _readings([("a", 0, 60, 60.0, HERE, None, [])])
    cells = grid_overlay(_reports([(1, 2, 0, HERE)]), readings, metric_crs=L93, grid="h3",
                         h3_resolution=11)
    assert len(cells) == 1
    assert cells.iloc[0]["cell"].startswith("8b")
    assert cells.geometry.iloc[0].contains(__import__("shapely").Point(*HERE))
