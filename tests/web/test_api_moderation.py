"""Moderation through the API: organisers only, reasons shown to authors, history kept."""

from __future__ import annotations

import pytest

from mapping.models import EventRole, MappedFeature
from tests import geometries as g
from tests.conftest import role_api

pytestmark = pytest.mark.django_db

FEATURES = "/api/v1/events/chambery/features/"


@pytest.fixture
def feature_id(participant_api, event):  # type: ignore[no-untyped-def]
    response = participant_api.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE,
                                               "properties": {"preset": "amenity/bench"}},
                                    format="json")
    return response.json()["id"]


def status_url(feature_id: str) -> str:
    return f"{FEATURES}{feature_id}/status/"


def test_organiser_rejects_with_a_reason_the_author_sees(organiser_api, participant_api,
                                                         feature_id):
    response = organiser_api.post(status_url(feature_id),
                                  {"status": "rejected", "reason": "Ce banc n'existe plus."},
                                  format="json")
    assert response.status_code == 200, response.json()
    mine = participant_api.get("/api/v1/me/contributions/").json()["features"]["features"][0]
    assert mine["properties"]["status"] == "rejected"
    last = mine["properties"]["history"][-1]
    assert (last["from"], last["to"], last["reason"], last["by"]) == (
        "received", "rejected", "Ce banc n'existe plus.", "moderator")


def test_rejection_without_reason_is_a_400(organiser_api, feature_id):
    response = organiser_api.post(status_url(feature_id), {"status": "rejected"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    assert MappedFeature.objects.get(pk=feature_id).status == "received"


def test_merge_into_another_feature(organiser_api, participant_api, feature_id):
    original = participant_api.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE_2,
                                               "properties": {"preset": "amenity/bench"}},
                                    format="json").json()["id"]
    response = organiser_api.post(status_url(feature_id),
                                  {"status": "merged", "merged_into": original}, format="json")
    assert response.status_code == 200
    assert response.json()["properties"]["merged_into"] == original
    # Merged is final.
    again = organiser_api.post(status_url(feature_id), {"status": "accepted"}, format="json")
    assert again.status_code == 409


def test_merge_into_itself_is_refused(organiser_api, feature_id):
    response = organiser_api.post(status_url(feature_id),
                                  {"status": "merged", "merged_into": feature_id}, format="json")
    assert response.status_code == 400
    assert "itself" in response.json()["detail"]


def test_stale_version_is_a_409_with_the_current_version(organiser_api, feature_id):
    organiser_api.post(status_url(feature_id), {"status": "accepted", "version": 1}, format="json")
    response = organiser_api.post(status_url(feature_id),
                                  {"status": "rejected", "reason": "non", "version": 1},
                                  format="json")
    assert response.status_code == 409
    assert "version 2" in response.json()["detail"]


def test_exported_cannot_be_set_by_hand(organiser_api, feature_id):
    response = organiser_api.post(status_url(feature_id), {"status": "exported"}, format="json")
    assert response.status_code == 400


def test_participant_cannot_moderate(participant_api, feature_id):
    response = participant_api.post(status_url(feature_id), {"status": "accepted"}, format="json")
    assert response.status_code == 401
    assert MappedFeature.objects.get(pk=feature_id).status == "received"


def test_mediator_cannot_moderate(event, feature_id):
    client = role_api(event, "med", EventRole.Role.MEDIATOR)
    response = client.post(status_url(feature_id), {"status": "accepted"}, format="json")
    assert response.status_code == 403


def test_organiser_of_another_event_cannot_moderate(other_event, feature_id):
    client = role_api(other_event, "autre-orga", EventRole.Role.ORGANISER)
    response = client.post(status_url(feature_id), {"status": "accepted"}, format="json")
    assert response.status_code == 403


def test_report_moderation_uses_the_same_rules(organiser_api, participant_api, event):
    report = participant_api.post("/api/v1/events/chambery/reports/", {
        "type": "Feature", "geometry": g.INSIDE,
        "properties": {"category": "smell", "intensity": 2, "sources": ["waste"],
                       "observed_at": "2026-01-10T10:00:00+01:00"}}, format="json").json()
    url = f"/api/v1/events/chambery/reports/{report['id']}/status/"
    response = organiser_api.post(url, {"status": "accepted"}, format="json")
    assert response.status_code == 200
    history = response.json()["properties"]["history"]
    assert [step["to"] for step in history] == ["received", "accepted"]
    assert history[-1]["by"] == "orga"  # organisers see who moderated
