"""Bad input gets a 4xx with a message, never a 500 and never a half-written record."""

from __future__ import annotations

import json

import pytest

from mapping.models import MappedFeature, NuisanceReport, StatusChange
from tests import geometries as g

pytestmark = pytest.mark.django_db

FEATURES = "/api/v1/events/chambery/features/"
REPORTS = "/api/v1/events/chambery/reports/"


def post_raw(client, url, raw: bytes | str, content_type="application/json"):  # type: ignore[no-untyped-def]
    return client.generic("POST", url, raw, content_type=content_type)


def assert_nothing_stored():
    assert MappedFeature.objects.count() == NuisanceReport.objects.count() == 0
    assert StatusChange.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"type": "Feature", ', "Malformed JSON"),
        ("not json at all", "Malformed JSON"),
        ('{"type": "Feature", "geometry": {"type": "Point", "coordinates": [NaN, 45.5]}}',
         "NaN is not a JSON number"),
        ('{"type":"Feature","geometry":{"type":"Point","coordinates":[5.932,45.566]},'
         '"properties":{"tags":{"amenity":"bench","amenity":"toilets"}}}', "appears twice"),
        (b'{"type": "Feature", "properties": {"tags": {"name": "caf\xe9"}}}', "not valid UTF-8"),
    ],
)
def test_malformed_bodies(participant_api, event, raw, message):
    response = post_raw(participant_api, FEATURES, raw)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("geometry", "field", "message"),
    [
        ({"type": "Point", "coordinates": [5.932, 95.0]}, "geometry.coordinates", "out of range"),
        ({"type": "MultiPoint", "coordinates": [[5.932, 45.566]]}, "geometry.type", "not accepted"),
        (g.BOWTIE, "geometry", "Self-intersection"),
        (g.FAR_OUTSIDE, "geometry", "outside the event's zone"),
        ({"type": "Point", "coordinates": "5.932,45.566"}, "geometry.coordinates", "array"),
        (None, "geometry", "GeoJSON geometry object"),
    ],
)
def test_bad_geometries(participant_api, event, geometry, field, message):
    response = participant_api.post(FEATURES, {"type": "Feature", "geometry": geometry,
                                               "properties": {"preset": "amenity/bench"}},
                                    format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert message in response.json()["detail"]
    assert_nothing_stored()


def test_geojson_type_must_be_feature(participant_api, event):
    response = participant_api.post(FEATURES, {"type": "FeatureCollection", "geometry": g.INSIDE,
                                               "properties": {}}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "type"


def test_oversized_body_is_a_413(participant_api, event, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    big = {"type": "Feature", "geometry": g.INSIDE,
           "properties": {"tags": {f"k{i}": "v" * 200 for i in range(80)}}}
    response = post_raw(participant_api, FEATURES, json.dumps(big))
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert_nothing_stored()


def test_missing_token_is_refused(client_api, event):
    response = client_api.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE,
                                          "properties": {"preset": "amenity/bench"}}, format="json")
    assert response.status_code == 403
    assert "Join the event first" in response.json()["detail"]
    assert_nothing_stored()


def test_unknown_token_is_a_401(client_api, event):
    client_api.credentials(HTTP_AUTHORIZATION="Bearer forged-token")
    response = client_api.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE,
                                          "properties": {"preset": "amenity/bench"}}, format="json")
    assert response.status_code == 401
    assert "Unknown participant token" in response.json()["detail"]


def test_another_events_token_is_refused(participant_api, other_event):
    response = participant_api.post(
        "/api/v1/events/autre/features/",
        {"type": "Feature", "geometry": g.INSIDE, "properties": {"preset": "amenity/bench"}},
        format="json")
    assert response.status_code == 403
    assert "another event" in response.json()["detail"]
    assert_nothing_stored()


def test_form_encoded_body_is_a_415(participant_api, event):
    response = participant_api.post(FEATURES, {"type": "Feature"})  # multipart
    assert response.status_code == 415


def test_errors_speak_french_to_french_clients(event):
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    joined = client.post("/api/v1/events/chambery/participants/",
                         {"join_code": "SAVOIE73", "pseudonym": "Lou"}, format="json").json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {joined['token']}")
    response = client.post(FEATURES, {"type": "Feature", "geometry": g.FAR_OUTSIDE,
                                      "properties": {"tags": {"note": "x" * 300}}}, format="json")
    assert response.status_code == 400
    assert "en dehors de la zone de la carto-party" in response.json()["detail"]
    response = client.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE,
                                      "properties": {"tags": {"note": "x" * 300}}}, format="json")
    assert response.json()["detail"] == (
        "La valeur de l'attribut 'note' compte 300 caractères ; "
        "OpenStreetMap en accepte 255 au plus.")
    assert client.post(FEATURES, "{", content_type="application/json").json()[
        "detail"].startswith("JSON mal formé")


def test_a_broken_translation_never_hides_the_error():
    from mapping.errors import InvalidInput

    error = InvalidInput("{count} things", count=3)
    assert error.render(lambda template: "{missing} choses") == "3 things"
