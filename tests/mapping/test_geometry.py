"""Geometry validation: types, numbers, ranges, validity, the zone and its tolerance."""

from __future__ import annotations

import pytest

from mapping.crs import metric_crs_for
from mapping.errors import InvalidInput
from mapping.geometry import (
    FEATURE_GEOMETRY_TYPES,
    REPORT_GEOMETRY_TYPES,
    ZoneRules,
    check_in_zone,
    extent_m,
    parse_geometry,
)
from tests import geometries as g

RULES = ZoneRules(zone_wkt=parse_geometry(g.ZONE, allowed=("Polygon",)).wkt, tolerance_m=50)


@pytest.mark.parametrize("geojson", [g.INSIDE, g.SHORT_LINE, g.SQUARE])
def test_valid_geometries_inside_the_zone_pass(geojson):
    geom = parse_geometry(geojson, allowed=FEATURE_GEOMETRY_TYPES)
    check_in_zone(geom, RULES)
    assert geom.geom_type == geojson["type"]


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        ({"type": "Point", "coordinates": [float("nan"), 45.0]}, "finite"),
        ({"type": "Point", "coordinates": [float("inf"), 45.0]}, "finite"),
        ({"type": "Point", "coordinates": ["5.9", 45.0]}, "must be numbers"),
        ({"type": "Point", "coordinates": [True, 45.0]}, "must be numbers"),
        ({"type": "Point", "coordinates": [45.5, 190.0]}, "out of range"),
        ({"type": "Point", "coordinates": [200.0, 45.0]}, "out of range"),
        ({"type": "Point", "coordinates": []}, "empty|do not form"),
        ({"type": "Point"}, "must be an array"),
        ({"type": "Circle", "coordinates": [5.9, 45.5]}, "not accepted"),
        ({"type": "MultiPoint", "coordinates": [[5.9, 45.5]]}, "not accepted"),
        ({"type": "LineString", "coordinates": [[5.9, 45.5]]}, "do not form"),
        (g.BOWTIE, "not valid: Self-intersection"),
        ("POINT(5.9 45.5)", "GeoJSON geometry object"),
    ],
)
def test_bad_geometries_are_refused_with_a_reason(geojson, message):
    with pytest.raises(InvalidInput, match=message):
        parse_geometry(geojson, allowed=FEATURE_GEOMETRY_TYPES)


def test_report_geometry_types_exclude_multipolygons():
    multi = {"type": "MultiPolygon", "coordinates": [g.SQUARE["coordinates"]]}
    with pytest.raises(InvalidInput, match="not accepted"):
        parse_geometry(multi, allowed=REPORT_GEOMETRY_TYPES)


def test_a_point_within_the_tolerance_is_accepted():
    check_in_zone(parse_geometry(g.JUST_OUTSIDE, allowed=FEATURE_GEOMETRY_TYPES), RULES)


def test_a_point_far_outside_is_refused_with_its_distance():
    geom = parse_geometry(g.FAR_OUTSIDE, allowed=FEATURE_GEOMETRY_TYPES)
    with pytest.raises(InvalidInput, match=r"10[01]\d m outside"):
        check_in_zone(geom, RULES)


def test_too_many_vertices_are_refused():
    line = {"type": "LineString",
            "coordinates": [[5.931 + i * 1e-6, 45.566] for i in range(20)]}
    rules = ZoneRules(zone_wkt=RULES.zone_wkt, tolerance_m=50, max_vertices=10)
    with pytest.raises(InvalidInput, match="20 vertices"):
        check_in_zone(parse_geometry(line, allowed=FEATURE_GEOMETRY_TYPES), rules)


def test_extent_is_in_metres():
    # 0.001° of longitude at 45.5657° N is 111.32 km × cos(45.5657°) / 1000 ≈ 77.9 m.
    line = parse_geometry(g.SHORT_LINE, allowed=FEATURE_GEOMETRY_TYPES)
    assert extent_m(line) == pytest.approx(78.9, abs=1.5)


@pytest.mark.parametrize(
    ("lon", "lat", "crs"),
    [(5.92, 45.57, "EPSG:2154"), (-1.55, 47.22, "EPSG:2154"), (24.94, 60.17, "EPSG:32635"),
     (-58.4, -34.6, "EPSG:32721")],
)
def test_metric_crs(lon, lat, crs):
    assert metric_crs_for(lon, lat) == crs
