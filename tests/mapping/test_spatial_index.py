"""Bounding-box reads go through the spatial index, and give what the exact test gives."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.db import connection

from mapping.models import MappedFeature
from mapping.selectors.filters import in_box
from mapping.spatial_index import missing_indexes
from tests.factories import MappedFeatureFactory

pytestmark = pytest.mark.django_db


def test_every_geometry_field_has_its_spatial_index_after_migrate():
    # SQLite rebuilds altered tables; the index must survive every migration.
    assert missing_indexes() == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SpatiaLite's SpatialIndex table")
def test_the_spatialite_query_uses_the_rtree(event):
    query = str(in_box(MappedFeature.objects.filter(event=event),
                       Polygon.from_bbox((5.931, 45.565, 5.932, 45.566))).query)
    assert "SpatialIndex" in query
    assert "search_frame" in query


def test_the_box_returns_exactly_the_intersecting_features(event):
    box = Polygon.from_bbox((5.9310, 45.5650, 5.9320, 45.5660))
    inside = MappedFeatureFactory(event=event, geometry=Point(5.9315, 45.5655, srid=4326))
    MappedFeatureFactory(event=event, geometry=Point(5.9330, 45.5655, srid=4326))
    # Its bounding rectangle meets the box, the line itself does not: the exact test decides.
    MappedFeatureFactory(event=event, geometry=LineString((5.9305, 45.5664), (5.9324, 45.5668),
                                                    srid=4326))
    crossing = MappedFeatureFactory(event=event, geometry=LineString((5.9305, 45.5655),
                                                               (5.9325, 45.5655), srid=4326))
    found = set(in_box(MappedFeature.objects.filter(event=event), box).values_list("pk",
                                                                                  flat=True))
    assert found == {inside.pk, crossing.pk}
