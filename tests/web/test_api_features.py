"""POST and GET of mapped features through the API."""

from __future__ import annotations

import uuid

import pytest

from mapping.models import MappedFeature, StatusChange
from tests import geometries as g

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/chambery/features/"


def body(geometry=None, **properties):  # type: ignore[no-untyped-def]
    return {"type": "Feature", "geometry": geometry or g.INSIDE,
            "properties": properties or {"preset": "amenity/bench"}}


def test_participant_adds_a_feature_from_a_preset(participant_api, event):
    response = participant_api.post(URL, body(preset="amenity/bench", tags={"backrest": "yes"},
                                             consent_osm=True), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["type"] == "Feature"
    assert data["geometry"] == g.INSIDE
    assert data["properties"]["tags"] == {"amenity": "bench", "backrest": "yes"}
    assert data["properties"]["status"] == "received"
    assert data["properties"]["history"][0]["to"] == "received"
    feature = MappedFeature.objects.get(pk=data["id"])
    assert feature.consent_osm
    assert feature.consent_at is not None
    assert feature.author.pseudonym == "Camille"


def test_free_tags_without_preset_are_allowed(participant_api, event):
    response = participant_api.post(URL, body(tags={"amenity": "bench", "colour": "green"}),
                                    format="json")
    assert response.status_code == 201
    assert response.json()["properties"]["preset"] is None


@pytest.mark.parametrize("geometry", [g.SHORT_LINE, g.SQUARE])
def test_lines_and_polygons_are_features_too(participant_api, event, geometry):
    response = participant_api.post(
        URL, body(geometry, tags={"leisure": "playground"}), format="json")
    assert response.status_code == 201
    assert response.json()["geometry"]["type"] == geometry["type"]


def test_same_client_id_twice_is_stored_once(participant_api, event):
    payload = {**body(), "id": str(uuid.uuid4())}
    first = participant_api.post(URL, payload, format="json")
    second = participant_api.post(URL, payload, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] == payload["id"]
    assert MappedFeature.objects.count() == 1
    assert StatusChange.objects.count() == 1


def test_another_participant_cannot_reuse_an_id(participant_api, client_api, event):
    payload = {**body(), "id": str(uuid.uuid4())}
    participant_api.post(URL, payload, format="json")
    other = client_api.post("/api/v1/events/chambery/participants/",
                            {"join_code": "SAVOIE73", "pseudonym": "Noé"}, format="json")
    client_api.credentials(HTTP_AUTHORIZATION=f"Bearer {other.json()['token']}")
    response = client_api.post(URL, payload, format="json")
    assert response.status_code == 409
    assert MappedFeature.objects.count() == 1


def test_osm_link_records_the_corrected_element(participant_api, event):
    response = participant_api.post(URL, body(
        preset="amenity/bench", osm={"type": "node", "id": 3415730562, "version": 1}),
        format="json")
    assert response.status_code == 201
    assert response.json()["properties"]["osm"] == {"type": "node", "id": 3415730562, "version": 1}


@pytest.mark.parametrize(
    ("properties", "field"),
    [
        ({"preset": "amenity/casino"}, "preset"),
        ({"tags": {"amenity": ""}}, "tags.amenity"),
        ({"tags": {"": "x"}}, "tags"),
        ({"tags": {"note": "x" * 256}}, "tags.note"),
        ({"tags": {"amenity": "bench"}, "osm": {"type": "area", "id": 1, "version": 1}},
         "osm.type"),
        ({"tags": {"amenity": "bench"}, "osm": {"type": "node", "id": -5, "version": 1}}, "osm.id"),
        ({"tags": {"amenity": "bench"}, "consent_osm": "yes please"}, "consent_osm"),
        ({}, "tags"),
        ({"tags": "amenity=bench"}, "tags"),
    ],
)
def test_bad_properties_get_a_400_naming_the_field(participant_api, event, properties, field):
    response = participant_api.post(URL, body(**properties) if properties else
                                    {"type": "Feature", "geometry": g.INSIDE, "properties": {}},
                                    format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert MappedFeature.objects.count() == 0


def test_preset_with_an_impossible_geometry_is_refused(participant_api, event):
    response = participant_api.post(URL, body(g.SQUARE, preset="emergency/defibrillator"),
                                    format="json")
    assert response.status_code == 400
    assert "cannot be a Polygon" in response.json()["detail"]


def test_list_filters_by_status_preset_and_bbox(participant_api, client_api, event):
    participant_api.post(URL, body(preset="amenity/bench"), format="json")
    participant_api.post(URL, body(g.INSIDE_2, preset="natural/tree"), format="json")
    all_features = client_api.get(URL).json()
    assert all_features["type"] == "FeatureCollection"
    assert len(all_features["features"]) == 2
    assert "licence" in all_features
    trees = client_api.get(URL, {"preset": "natural/tree"}).json()["features"]
    assert [f["properties"]["tags"]["natural"] for f in trees] == ["tree"]
    # A box around INSIDE (5.9320, 45.5660) only.
    boxed = client_api.get(URL, {"bbox": "5.9318,45.5659,5.9322,45.5661"}).json()["features"]
    assert [f["geometry"]["coordinates"] for f in boxed] == [g.INSIDE["coordinates"]]
    assert client_api.get(URL, {"status": "accepted"}).json()["features"] == []


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "10,10,5,5", "0,0,200,10"])
def test_bad_bbox_is_a_400(client_api, event, bbox):
    response = client_api.get(URL, {"bbox": bbox})
    assert response.status_code == 400
    assert response.json()["field"] == "bbox"


def test_unknown_status_filter_is_a_400(client_api, event):
    response = client_api.get(URL, {"status": "approved"})
    assert response.status_code == 400


def test_feature_detail_and_404s(participant_api, client_api, event):
    created = participant_api.post(URL, body(), format="json").json()
    assert client_api.get(f"{URL}{created['id']}/").json()["id"] == created["id"]
    assert client_api.get(f"{URL}{uuid.uuid4()}/").status_code == 404
    assert client_api.get(f"{URL}not-a-uuid/").status_code == 404
    assert client_api.get("/api/v1/events/nowhere/features/").status_code == 404


def test_public_list_hides_pseudonyms(participant_api, client_api, event):
    participant_api.post(URL, body(), format="json")
    assert "Camille" not in client_api.get(URL).content.decode()
