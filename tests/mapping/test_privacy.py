"""Coarsening of reports for public readers."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from mapping.privacy import coarsen_geometry, coarsen_time, public_time_bounds


def test_point_is_rounded_to_about_100_m():
    assert coarsen_geometry(Point(5.932149, 45.566049)).coords[0] == (5.932, 45.566)


def test_line_becomes_its_rounded_centroid():
    line = LineString([(5.9310, 45.5656), (5.9330, 45.5656)])
    assert coarsen_geometry(line).coords[0] == (5.932, 45.566)


def test_time_is_truncated_to_the_hour():
    moment = dt.datetime(2026, 5, 3, 21, 47, 12, tzinfo=dt.UTC)
    assert coarsen_time(moment) == dt.datetime(2026, 5, 3, 21, 0, tzinfo=dt.UTC)
    assert coarsen_time(None) is None


# --- Time filters for public readers: decided on the public hour --------------------------

MOMENTS = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 1, 3),
                       timezones=st.just(dt.UTC))


@given(moment=MOMENTS, start=st.none() | MOMENTS, end=st.none() | MOMENTS)
def test_public_time_bounds_select_exactly_the_moments_whose_hour_is_in_the_span(
        moment: dt.datetime, start: dt.datetime | None, end: dt.datetime | None) -> None:
    low, high = public_time_bounds(start, end)
    seen = coarsen_time(moment)
    assert seen is not None
    in_span = (start is None or seen >= start) and (end is None or seen <= end)
    selected = (low is None or moment >= low) and (high is None or moment < high)
    assert selected == in_span
