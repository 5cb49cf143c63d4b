"""Coarsening of reports for public readers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon

from mapping.privacy import coarsen_geometry, coarsen_time, public_places_xy, public_time_bounds


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


_lon = st.floats(5.85, 6.0, allow_nan=False)
_lat = st.floats(45.5, 45.65, allow_nan=False)
_shapes = st.one_of(
    st.builds(Point, _lon, _lat),
    st.lists(st.tuples(_lon, _lat), min_size=2, max_size=5, unique=True).map(LineString),
    st.tuples(_lon, _lat, st.floats(1e-5, 0.01), st.floats(1e-5, 0.01)).map(
        lambda t: Polygon([(t[0], t[1]), (t[0] + t[2], t[1]), (t[0] + t[2], t[1] + t[3]),
                           (t[0], t[1] + t[3])])))


@given(st.lists(_shapes, max_size=20))
def test_public_places_of_many_are_each_ones_public_place(shapes):
    assert public_places_xy(shapes) == [coarsen_geometry(g).coords[0] for g in shapes]


def test_an_empty_geometry_has_no_public_place():
    with pytest.raises(ValueError, match="empty"):
        public_places_xy([Point(5.9, 45.6), Point()])
