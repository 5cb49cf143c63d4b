"""Nuisance reports: the grid (category, intensity, sources, time) and the comment."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from mapping.models import NuisanceReport
from tests import geometries as g

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/chambery/reports/"


def body(geometry=None, **overrides):  # type: ignore[no-untyped-def]
    properties = {"category": "noise", "intensity": 4, "sources": ["road", "two_wheelers"],
                  "observed_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
                  "comment": "Scooters au feu rouge, 22 h."}
    return {"type": "Feature", "geometry": geometry or g.INSIDE,
            "properties": {**properties, **overrides}}


def test_participant_reports_a_nuisance(participant_api, event):
    response = participant_api.post(URL, body(), format="json")
    assert response.status_code == 201, response.json()
    props = response.json()["properties"]
    assert (props["category"], props["intensity"], props["sources"]) == (
        "noise", 4, ["road", "two_wheelers"])
    assert props["comment"] == "Scooters au feu rouge, 22 h."
    assert props["status"] == "received"
    assert props["coarsened"] is False  # its author sees it exactly



def test_a_short_line_is_a_valid_report(participant_api, event):
    response = participant_api.post(URL, body(g.SHORT_LINE), format="json")
    assert response.status_code == 201
    assert response.json()["geometry"]["type"] == "LineString"


def test_a_report_wider_than_the_limit_is_refused(participant_api, event, settings):
    settings.REPORT_MAX_EXTENT_M = 100
    long_line = {"type": "LineString", "coordinates": [[5.9302, 45.5654], [5.9335, 45.5666]]}
    response = participant_api.post(URL, body(long_line), format="json")
    assert response.status_code == 400
    assert "at most 100 m" in response.json()["detail"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "radiation"}, "category"),
        ({"intensity": 0}, "intensity"),
        ({"intensity": 6}, "intensity"),
        ({"intensity": 3.5}, "intensity"),
        ({"intensity": "4"}, "intensity"),
        ({"intensity": True}, "intensity"),
        ({"sources": ["sewer"]}, "sources"),
        ({"observed_at": "yesterday"}, "observed_at"),
        ({"observed_at": (timezone.now() + dt.timedelta(days=1)).isoformat()}, "observed_at"),
        ({"observed_until": (timezone.now() - dt.timedelta(days=1)).isoformat()},
         "observed_until"),
        ({"comment": "x" * 2001}, "comment"),
        ({"comment": "bip\x07"}, "comment"),
    ],
)
def test_bad_report_fields_are_named(participant_api, event, overrides, field):
    response = participant_api.post(URL, body(**overrides), format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert NuisanceReport.objects.count() == 0


def test_category_must_be_offered_by_the_event(participant_api, db):
    from tests.conftest import make_event

    make_event("bruit-seul", nuisance_categories_offered=["noise"])
    # The fixture's participant belongs to "chambery"; join this event instead.
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token = client.post("/api/v1/events/bruit-seul/participants/",
                        {"join_code": "SAVOIE73", "pseudonym": "Lou"},
                        format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.post("/api/v1/events/bruit-seul/reports/",
                           body(category="smell", sources=["waste"]), format="json")
    assert response.status_code == 400
    assert "not offered" in response.json()["detail"]


def test_idempotent_report(participant_api, event):
    payload = {**body(), "id": str(uuid.uuid4())}
    assert participant_api.post(URL, payload, format="json").status_code == 201
    assert participant_api.post(URL, payload, format="json").status_code == 200
    assert NuisanceReport.objects.count() == 1


def test_a_feature_id_cannot_be_reused_for_a_report(participant_api, event):
    same_id = str(uuid.uuid4())
    participant_api.post("/api/v1/events/chambery/features/",
                         {"type": "Feature", "id": same_id, "geometry": g.INSIDE,
                          "properties": {"preset": "amenity/bench"}}, format="json")
    response = participant_api.post(URL, {**body(), "id": same_id}, format="json")
    assert response.status_code == 409


def test_public_readers_get_coarsened_reports(participant_api, client_api, event):
    exact = {"type": "Point", "coordinates": [5.932149, 45.566049]}
    participant_api.post(URL, body(exact), format="json")
    public = client_api.get(URL).json()["features"][0]
    assert public["geometry"]["coordinates"] == [5.932, 45.566]
    assert public["properties"]["coarsened"] is True
    assert public["properties"]["observed_at"].endswith(":00:00+00:00")
    assert public["properties"]["comment"] is None  # not moderated yet
    own = participant_api.get(URL).json()["features"][0]
    assert own["geometry"]["coordinates"] == [5.932149, 45.566049]


def test_officers_see_exact_reports(participant_api, organiser_api, event):
    exact = {"type": "Point", "coordinates": [5.932149, 45.566049]}
    participant_api.post(URL, body(exact), format="json")
    seen = organiser_api.get(URL).json()["features"][0]
    assert seen["geometry"]["coordinates"] == [5.932149, 45.566049]
    assert seen["properties"]["author"] == "Camille"


def test_filters_by_category(participant_api, client_api, event):
    participant_api.post(URL, body(), format="json")
    participant_api.post(URL, body(category="smell", sources=["waste"]), format="json")
    smells = client_api.get(URL, {"category": "smell"}).json()["features"]
    assert [f["properties"]["category"] for f in smells] == ["smell"]
