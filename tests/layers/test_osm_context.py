"""Tests for layers.osm_context: the Chambéry street network, offline."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from layers.osm_context import nearest_segment, street_segments

CHAMBERY = Path(__file__).resolve().parents[2] / "mapping" / "data" / "demo" / "chambery_centre_2021.osm"


@pytest.fixture(scope="module")
def segments() -> gpd.GeoDataFrame:
    return street_segments(CHAMBERY)


def test_only_streets_become_segments(segments: gpd.GeoDataFrame) -> None:
    assert segments.crs.to_epsg() == 4326
    assert len(segments) == 74  # not the ~2,000 edges buildings would add
    assert set(segments.geom_type) == {"LineString"}
    assert segments["segment"].is_unique
    assert {"tertiary", "pedestrian", "residential"} <= set(segments["highway"])


def test_points_snap_to_a_segment_within_the_distance(segments: gpd.GeoDataFrame) -> None:
    line = segments.geometry.iloc[0]
    points = gpd.GeoDataFrame(geometry=[line.interpolate(0.5, normalized=True), Point(5.95, 45.58)],
                              crs="EPSG:4326")
    keys = nearest_segment(points, segments, metric_crs="EPSG:2154", max_distance_m=25)
    assert keys.iloc[0] is not None and keys.iloc[0] == keys.iloc[0]
    assert keys.isna().iloc[1]
