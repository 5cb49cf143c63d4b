"""The optional soundscape part (ISO/TS 12913-2) of a noise report, through the API."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.gis.geos import Point

from mapping.models import EventSite, NuisanceReport, SoundscapeAnswer
from tests.web.test_api_reports import URL, body

pytestmark = pytest.mark.django_db

ANSWER = {
    "pleasant": 2,
    "chaotic": 4,
    "vibrant": 3,
    "uneventful": 2,
    "calm": 1,
    "annoying": 2,
    "eventful": 4,
    "monotonous": 3,
    "loudness": 4,
    "overall": 2,
}


@pytest.fixture
def offering(event):  # type: ignore[no-untyped-def]
    event.soundscape_enabled = True
    event.save(update_fields=["soundscape_enabled"])
    return event


def test_a_noise_report_carries_its_soundscape(participant_api, offering):
    site = EventSite.objects.create(
        event=offering, name="Place Saint-Léger", location=Point(5.9215, 45.5660, srid=4326)
    )
    rid = str(uuid.uuid4())
    sent = body(soundscape=ANSWER | {"site": "Place Saint-Léger"}) | {"id": rid}
    response = participant_api.post(URL, sent, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["properties"]["soundscape"] == ANSWER | {"site": "Place Saint-Léger"}
    answer = SoundscapeAnswer.objects.get(report_id=rid)
    assert (answer.pleasant, answer.monotonous, answer.loudness, answer.site) == (2, 3, 4, site)
    # A retry of the same id stores nothing more
    again = participant_api.post(URL, sent, format="json")
    assert again.status_code == 200
    assert SoundscapeAnswer.objects.count() == 1


def test_loudness_overall_and_site_are_optional(participant_api, offering):
    eight = {k: v for k, v in ANSWER.items() if k not in ("loudness", "overall")}
    response = participant_api.post(URL, body(soundscape=eight), format="json")
    assert response.status_code == 201, response.json()
    answer = SoundscapeAnswer.objects.get()
    assert (answer.loudness, answer.overall, answer.site) == (None, None, None)


def test_a_report_without_soundscape_is_unchanged(participant_api, offering):
    response = participant_api.post(URL, body(), format="json")
    assert response.status_code == 201
    assert "soundscape" not in response.json()["properties"]
    assert SoundscapeAnswer.objects.count() == 0


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        (ANSWER | {"calm": 0}, "soundscape.calm"),
        (ANSWER | {"calm": 6}, "soundscape.calm"),
        (ANSWER | {"vibrant": 2.5}, "soundscape.vibrant"),
        (ANSWER | {"annoying": "3"}, "soundscape.annoying"),
        (ANSWER | {"pleasant": True}, "soundscape.pleasant"),
        (ANSWER | {"loudness": 9}, "soundscape.loudness"),
        (ANSWER | {"overall": -1}, "soundscape.overall"),
        ({k: v for k, v in ANSWER.items() if k != "eventful"}, "soundscape.eventful"),
        (ANSWER | {"noisy": 3}, "soundscape.noisy"),
        (ANSWER | {"site": "Nowhere"}, "soundscape.site"),
        (ANSWER | {"site": 12}, "soundscape.site"),
        ([1, 2, 3], "soundscape"),
        ("calm", "soundscape"),
    ],
)
def test_each_bad_value_is_named(participant_api, offering, answer, field):
    response = participant_api.post(URL, body(soundscape=answer), format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert NuisanceReport.objects.count() == 0


def test_refused_when_the_event_does_not_offer_it(participant_api, event):
    response = participant_api.post(URL, body(soundscape=ANSWER), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "soundscape"
    assert "does not offer" in response.json()["detail"]


def test_message_in_french(participant_api, offering):
    response = participant_api.post(
        URL, body(soundscape=ANSWER | {"calm": 7}), format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    assert "de 1 à 5" in response.json()["detail"]


def test_the_event_says_whether_it_offers_the_soundscape(client_api, offering):
    body = client_api.get(f"/api/v1/events/{offering.slug}/").json()
    assert body["soundscape"] is True
