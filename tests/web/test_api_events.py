"""Events and joining them."""

from __future__ import annotations

import pytest

from mapping.models import Contributor, Event
from tests import geometries as g

pytestmark = pytest.mark.django_db

NEW_EVENT = {"name": "Carto-party Bellevue", "slug": "bellevue", "zone": g.ZONE,
             "start": "2026-06-06T09:00:00+02:00", "end": "2026-06-06T18:00:00+02:00",
             "join_code": "BELLE44", "presets": ["amenity/bench", "natural/tree"],
             "nuisance_categories": ["noise"]}


def test_event_detail_has_zone_presets_and_categories(client_api, event):
    data = client_api.get("/api/v1/events/chambery/").json()
    assert data["zone"]["type"] == "Polygon"
    assert data["zone"]["coordinates"][0][0] == list(g.ZONE["coordinates"][0][0])
    assert {p["id"] for p in data["presets"]} >= {"amenity/bench", "emergency/defibrillator"}
    assert data["presets"][0]["name"]["fr"]
    assert "noise" in {c["id"] for c in data["nuisance_categories"]}
    assert "join_code" not in data


def test_event_list(client_api, event, other_event):
    slugs = {e["slug"] for e in client_api.get("/api/v1/events/").json()["events"]}
    assert slugs == {"chambery", "autre"}


def test_organiser_creates_an_event(organiser, organiser_api):
    organiser.is_staff = True
    organiser.save()
    response = organiser_api.post("/api/v1/events/", NEW_EVENT, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["join_code"] == "BELLE44"
    event = Event.objects.get(slug="bellevue")
    assert event.presets == ["amenity/bench", "natural/tree"]
    assert event.roles.get().user == organiser


def test_anonymous_cannot_create_an_event(client_api, db):
    response = client_api.post("/api/v1/events/", NEW_EVENT, format="json")
    assert response.status_code == 401
    assert not Event.objects.exists()


def test_plain_user_cannot_create_an_event(organiser_api, db):
    response = organiser_api.post("/api/v1/events/", NEW_EVENT, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Belle Vue!"}, "slug"),
        ({"end": "2026-06-06T08:00:00+02:00"}, "end"),
        ({"zone": g.BOWTIE}, "zone"),
        ({"zone": g.INSIDE}, "zone.type"),
        ({"presets": ["amenity/casino"]}, "presets"),
        ({"nuisance_categories": ["radiation"]}, "nuisance_categories"),
        ({"join_code": "ab"}, "join_code"),
    ],
)
def test_bad_events_are_refused(organiser, organiser_api, change, field):
    organiser.is_staff = True
    organiser.save()
    response = organiser_api.post("/api/v1/events/", {**NEW_EVENT, **change}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert not Event.objects.filter(slug="bellevue").exists()


def test_duplicate_slug_is_a_409(organiser, organiser_api, event):
    organiser.is_staff = True
    organiser.save()
    response = organiser_api.post("/api/v1/events/", {**NEW_EVENT, "slug": "chambery"},
                                  format="json")
    assert response.status_code == 409


def test_join_returns_a_token_and_a_follow_link(client_api, event):
    response = client_api.post("/api/v1/events/chambery/participants/",
                               {"join_code": "savoie73 ", "pseudonym": "  Zoé  "}, format="json")
    assert response.status_code == 201
    data = response.json()
    assert len(data["token"]) >= 40
    assert "/follow/" in data["follow_url"]
    person = Contributor.objects.get()
    assert person.pseudonym == "Zoé"
    assert data["token"] not in person.token_digest  # only the digest is stored


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"join_code": "WRONG", "pseudonym": "Zoé"}, 403, "join_code"),
        ({"join_code": "SAVOIE73", "pseudonym": "Z"}, 400, "pseudonym"),
        ({"join_code": "SAVOIE73", "pseudonym": "x" * 41}, 400, "pseudonym"),
        ({"join_code": "SAVOIE73"}, 400, "pseudonym"),
    ],
)
def test_bad_joins(client_api, event, payload, status, field):
    response = client_api.post("/api/v1/events/chambery/participants/", payload, format="json")
    assert response.status_code == status
    assert response.json()["field"] == field
    assert not Contributor.objects.exists()


def test_pseudonym_is_unique_in_an_event_whatever_the_case(client_api, joined):
    response = client_api.post("/api/v1/events/chambery/participants/",
                               {"join_code": "SAVOIE73", "pseudonym": "CAMILLE"}, format="json")
    assert response.status_code == 409


def test_follow_link_shows_statuses_and_reasons(client, joined, author, organiser):
    from mapping.services import contribution_set_status, feature_submit

    feature, _ = feature_submit(event=joined.contributor.event, author=author,
                                geometry=g.INSIDE, preset="amenity/bench")
    contribution_set_status(contribution=feature, actor=organiser, status="rejected",
                            reason="Déjà cartographié")
    page = client.get(f"/follow/{joined.follow_key}/")
    assert page.status_code == 200
    assert "Déjà cartographié" in page.content.decode()
    assert client.get("/follow/not-a-key/").status_code == 404


def test_my_contributions_needs_a_token(client_api, db):
    assert client_api.get("/api/v1/me/contributions/").status_code == 401


def test_follow_link_is_built_on_the_public_address_not_the_host_header(client_api, event,
                                                                        settings):
    settings.ALLOWED_HOSTS = ["carto.ville.example", "evil.example"]
    settings.PUBLIC_BASE_URL = "https://carto.ville.example"
    data = client_api.post("/api/v1/events/chambery/participants/",
                           {"join_code": "SAVOIE73", "pseudonym": "Zoé"}, format="json",
                           HTTP_HOST="evil.example").json()
    assert data["follow_url"].startswith("https://carto.ville.example/follow/")
    path = data["follow_url"].removeprefix("https://carto.ville.example")
    assert client_api.get(path, HTTP_HOST="carto.ville.example").status_code == 200
