"""A participant downloads and deletes their own contributions."""

from __future__ import annotations

import json

import pytest

from mapping.models import MappedFeature, NuisanceReport, StatusChange
from mapping.services import contributor_join, feature_submit
from tests import geometries as g
from tests.conftest import JOIN_CODE

pytestmark = pytest.mark.django_db

MINE = "/api/v1/me/contributions/"


@pytest.fixture
def two_of_mine(participant_api):  # type: ignore[no-untyped-def]
    feature = participant_api.post("/api/v1/events/chambery/features/", {
        "type": "Feature", "geometry": g.INSIDE, "properties": {"preset": "amenity/bench"}},
        format="json").json()
    report = participant_api.post("/api/v1/events/chambery/reports/", {
        "type": "Feature", "geometry": g.INSIDE_2, "properties": {
            "category": "noise", "intensity": 2, "observed_at": "2020-01-01T10:00:00+01:00"}},
        format="json")
    return feature["id"], report


@pytest.fixture
def someone_else(event):  # type: ignore[no-untyped-def]
    from mapping.services.contributions import Author

    other = contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Dominique").contributor
    item, _ = feature_submit(event=event, author=Author(other, None, "web"), geometry=g.INSIDE,
                             preset="amenity/bench")
    return item


def test_export_is_a_geojson_download_of_exact_contributions(participant_api, event, author):
    feature_submit(event=event, author=author, geometry=g.INSIDE, preset="amenity/bench")
    response = participant_api.get(MINE + "export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    assert 'attachment; filename="cartoparty-chambery-' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert data["participant"]["pseudonym"] == "Camille"
    assert [f["geometry"] for f in data["features"]] == [g.INSIDE]


def test_export_needs_the_participant_token(client_api, event):
    assert client_api.get(MINE + "export/").status_code == 401


def test_participant_deletes_one_contribution_and_its_history(participant_api, event, author):
    item, _ = feature_submit(event=event, author=author, geometry=g.INSIDE, preset="amenity/bench")
    response = participant_api.delete(f"{MINE}{item.pk}/")
    assert response.status_code == 204
    assert not MappedFeature.objects.filter(pk=item.pk).exists()
    assert not StatusChange.objects.filter(feature_id=item.pk).exists()


def test_someone_elses_contribution_cannot_be_deleted(participant_api, someone_else):
    response = participant_api.delete(f"{MINE}{someone_else.pk}/")
    assert response.status_code == 404
    assert MappedFeature.objects.filter(pk=someone_else.pk).exists()


def test_malformed_id_is_not_found(participant_api, event):
    assert participant_api.delete(f"{MINE}not-a-uuid/").status_code == 404


def test_participant_deletes_all_of_theirs_only(participant_api, two_of_mine, someone_else):
    response = participant_api.delete(MINE)
    assert response.status_code == 200
    assert response.json() == {"deleted": 2}
    assert list(MappedFeature.objects.all()) == [someone_else]
    assert not NuisanceReport.objects.exists()


def test_follow_link_downloads_the_same_export(client, joined, author, event):
    feature_submit(event=event, author=author, geometry=g.INSIDE, preset="amenity/bench")
    response = client.get(f"/follow/{joined.follow_key}/export.geojson")
    assert response.status_code == 200
    assert len(json.loads(response.content)["features"]) == 1
    assert client.get("/follow/wrong-key/export.geojson").status_code == 404
