"""GET /api/v1/events/{slug}/export.{ext}: organisers and officers, every registered format."""

from __future__ import annotations

import json

import pyogrio
import pytest
from django.contrib.gis.db.models.functions import Area, Transform
from django.contrib.gis.geos import GEOSGeometry

from exports.registry import EXPORTERS
from mapping.models import MappedFeature
from tests.factories import MappedFeatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench(event):  # type: ignore[no-untyped-def]
    return MappedFeatureFactory(
        event=event, geometry=GEOSGeometry("POINT (5.9318 45.5661)", srid=4326),
        status="accepted", consent_osm=True)


def url(event, ext: str) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/events/{event.slug}/export.{ext}"


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_organiser_downloads_every_format(organiser_api, event, bench, name: str) -> None:  # type: ignore[no-untyped-def]
    exporter = EXPORTERS[name]
    response = organiser_api.get(url(event, exporter.extension))
    assert response.status_code == 200
    assert response["Content-Type"] == exporter.media_type
    assert f'filename="{event.slug}.{exporter.extension}"' in response["Content-Disposition"]
    assert response["X-Export-Written"] == "1"
    assert len(b"".join(response.streaming_content)) > 100


def test_geojson_body_and_no_status_change(organiser_api, event, bench) -> None:  # type: ignore[no-untyped-def]
    response = organiser_api.get(url(event, "geojson"))
    body = json.loads(b"".join(response.streaming_content))
    assert body["features"][0]["properties"]["amenity"] == "bench"
    assert MappedFeature.objects.get(pk=bench.pk).status == "accepted"  # GET changes nothing


def test_anonymous_and_participants_cannot_export(client_api, participant_api, event) -> None:  # type: ignore[no-untyped-def]
    assert client_api.get(url(event, "osm")).status_code == 401
    assert participant_api.get(url(event, "osm")).status_code in {401, 403}


def test_unknown_extension_is_404(organiser_api, event) -> None:  # type: ignore[no-untyped-def]
    response = organiser_api.get(url(event, "shp"))
    assert response.status_code == 404
    assert "known: osm" in response.json()["detail"]


def test_bad_status_is_400(organiser_api, event) -> None:  # type: ignore[no-untyped-def]
    response = organiser_api.get(url(event, "csv") + "?status=nope")
    assert response.status_code == 400
    assert response.json()["field"] == "status"



def test_gpkg_export_repeated_after_spatial_queries(organiser_api, event, bench, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for round_ in range(3):
        near = MappedFeature.objects.filter(geometry__intersects=event.zone).annotate(
            l93=Transform("geometry", 2154), area=Area(Transform("geometry", 2154)))
        assert [f.l93.srid for f in near] == [2154]
        response = organiser_api.get(url(event, "gpkg"))
        assert response.status_code == 200, round_
        path = tmp_path / f"{round_}.gpkg"
        path.write_bytes(b"".join(response.streaming_content))
        assert len(pyogrio.read_dataframe(path, layer="features")) == 1
