"""The task grid (pure): squares in metres that cover the zone, states, lock expiry."""

from __future__ import annotations

import datetime as dt

import pyproj
import pytest
import shapely
from shapely.geometry import box, shape
from shapely.ops import transform

from mapping.grids import (
    CellState,
    GridError,
    check_cell_transition,
    column_letters,
    effective_state,
    lock_is_held,
    square_grid,
)
from tests.geometries import ZONE

# A concave zone (an L) around Chambéry's centre, about 700 m across.
L_ZONE = shape({"type": "Polygon", "coordinates": [[
    [5.9200, 45.5620], [5.9290, 45.5620], [5.9290, 45.5650], [5.9240, 45.5650],
    [5.9240, 45.5680], [5.9200, 45.5680], [5.9200, 45.5620]]]})
NOW = dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("zone", [shape(ZONE), L_ZONE])
@pytest.mark.parametrize("size_m", [25, 50, 100, 333])
def test_squares_cover_the_zone(zone, size_m):
    cells = square_grid(zone, size_m=size_m)
    union = shapely.union_all([c.polygon for c in cells])
    # Reprojection back to degrees bends edges by micrometres: compare areas in m².
    to_m = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True).transform
    uncovered = transform(to_m, zone.difference(union)).area
    assert uncovered < 0.01  # m²
    assert all(c.polygon.intersects(zone) for c in cells)


def test_sides_are_metres_in_the_metric_crs():
    cells = square_grid(shape(ZONE), size_m=50)
    for cell in cells:
        minx, miny, maxx, maxy = cell.metric_polygon.bounds
        assert maxx - minx == pytest.approx(50)
        assert maxy - miny == pytest.approx(50)
    # Checked independently on the ellipsoid: a side is 50 m within 0.1 % (Lambert-93 scale).
    geod = pyproj.Geod(ellps="GRS80")
    xs, ys = cells[0].polygon.exterior.coords.xy
    side = geod.line_length([xs[0], xs[1]], [ys[0], ys[1]])
    assert side == pytest.approx(50, rel=1e-3)


def test_smaller_squares_make_more_of_them_and_none_is_outside():
    zone = shape(ZONE)
    assert len(square_grid(zone, size_m=25)) > len(square_grid(zone, size_m=100))
    # The 260 m x 150 m test zone: 100 m squares → 3 or 4 columns, 2 or 3 rows.
    assert 6 <= len(square_grid(zone, size_m=100)) <= 12


def test_outside_lambert93_uses_utm():
    helsinki = box(24.93, 60.16, 24.95, 60.17)
    cell = square_grid(helsinki, size_m=200)[0]
    assert cell.metric_polygon.bounds[2] - cell.metric_polygon.bounds[0] == pytest.approx(200)


@pytest.mark.parametrize("size_m", [0, 5, -100, 10_000, float("nan")])
def test_sizes_out_of_range_are_refused(size_m):
    with pytest.raises(GridError):
        square_grid(shape(ZONE), size_m=size_m)


def test_too_many_squares_are_refused():
    with pytest.raises(GridError, match="at most"):
        square_grid(box(5.8, 45.5, 6.0, 45.7), size_m=20)


def test_labels_are_spreadsheet_like():
    assert [column_letters(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]


def test_an_expired_lock_frees_the_square():
    later = NOW + dt.timedelta(minutes=45)
    assert effective_state("being_mapped", later, NOW) is CellState.BEING_MAPPED
    assert effective_state("being_mapped", later, later) is CellState.TO_MAP
    assert effective_state("being_mapped", None, NOW) is CellState.TO_MAP
    assert effective_state("done", None, NOW) is CellState.DONE
    assert lock_is_held(later, NOW)
    assert not lock_is_held(NOW, NOW)


def test_transitions():
    assert check_cell_transition(CellState.TO_MAP, "being_mapped") is CellState.BEING_MAPPED
    assert check_cell_transition(CellState.DONE, "validated") is CellState.VALIDATED
    with pytest.raises(GridError):
        check_cell_transition(CellState.TO_MAP, "validated")
    with pytest.raises(GridError):
        check_cell_transition(CellState.TO_MAP, "finished")
