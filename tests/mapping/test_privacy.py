"""Coarsening of reports for public readers."""

from __future__ import annotations

import datetime as dt

from shapely.geometry import LineString, Point

from mapping.privacy import coarsen_geometry, coarsen_time


def test_point_is_rounded_to_about_100_m():
    assert coarsen_geometry(Point(5.932149, 45.566049)).coords[0] == (5.932, 45.566)


def test_line_becomes_its_rounded_centroid():
    line = LineString([(5.9310, 45.5656), (5.9330, 45.5656)])
    assert coarsen_geometry(line).coords[0] == (5.932, 45.566)


def test_time_is_truncated_to_the_hour():
    moment = dt.datetime(2026, 5, 3, 21, 47, 12, tzinfo=dt.UTC)
    assert coarsen_time(moment) == dt.datetime(2026, 5, 3, 21, 0, tzinfo=dt.UTC)
    assert coarsen_time(None) is None
