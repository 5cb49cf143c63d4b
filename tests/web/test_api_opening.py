"""Participants' tokens join and contribute only while the event is open (issue 14).

An event that ended in 2020 accepted joins and contributions: now a join or a contribution
with a participant's token outside the window is refused with when it opens or closed; a
retry of what was stored before the close is still answered; mediators and moderation are
not bound by the window.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from mapping.models import Event, EventRole, MappedFeature
from tests import geometries as g
from tests.conftest import bearer_api, make_event, role_api
from tests.factories import JOIN_CODE

pytestmark = pytest.mark.django_db

JOIN = "/api/v1/events/{slug}/participants/"
FEATURES = "/api/v1/events/chambery/features/"


def feature(**properties):  # type: ignore[no-untyped-def]
    return {"type": "Feature", "geometry": g.INSIDE,
            "properties": {"preset": "amenity/bench", **properties}}


def move_window(event: Event, *, starts: dt.timedelta, ends: dt.timedelta) -> None:
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(starts_at=now + starts, ends_at=now + ends)


def test_an_event_that_ended_long_ago_takes_no_one(client_api):  # type: ignore[no-untyped-def]
    now = timezone.now()
    make_event("vieille", starts_at=now - dt.timedelta(days=2200),
               ends_at=now - dt.timedelta(days=2199))
    response = client_api.post(JOIN.format(slug="vieille"),
                               {"join_code": JOIN_CODE, "pseudonym": "Lou"}, format="json")
    assert response.status_code == 403
    assert "closed on" in response.json()["detail"]


def test_an_event_opens_an_hour_early(client_api, settings):  # type: ignore[no-untyped-def]
    settings.EVENT_OPENS_EARLY_MINUTES = 60
    now = timezone.now()
    make_event("demain", starts_at=now + dt.timedelta(minutes=90),
               ends_at=now + dt.timedelta(hours=5))
    make_event("bientot", starts_at=now + dt.timedelta(minutes=30),
               ends_at=now + dt.timedelta(hours=5))
    early = client_api.post(JOIN.format(slug="demain"),
                            {"join_code": JOIN_CODE, "pseudonym": "Lou"}, format="json")
    assert early.status_code == 403
    assert "opens on" in early.json()["detail"]
    soon = client_api.post(JOIN.format(slug="bientot"),
                           {"join_code": JOIN_CODE, "pseudonym": "Lou"}, format="json")
    assert soon.status_code == 201, soon.json()


def test_the_refusal_is_french_for_french_phones(event):  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    move_window(event, starts=-dt.timedelta(days=10), ends=-dt.timedelta(days=9))
    response = APIClient(HTTP_ACCEPT_LANGUAGE="fr").post(
        JOIN.format(slug="chambery"), {"join_code": JOIN_CODE, "pseudonym": "Lou"},
        format="json")
    assert response.status_code == 403
    assert "terminée" in response.json()["detail"]


def test_a_token_stops_after_the_grace_period(event, joined, settings):  # type: ignore[no-untyped-def]
    settings.EVENT_GRACE_HOURS = 24
    phone = bearer_api(joined.token)
    move_window(event, starts=-dt.timedelta(hours=30), ends=-dt.timedelta(hours=23))
    within_grace = phone.post(FEATURES, feature(), format="json")
    assert within_grace.status_code == 201, within_grace.json()
    move_window(event, starts=-dt.timedelta(hours=30), ends=-dt.timedelta(hours=25))
    late = phone.post(FEATURES, feature(), format="json")
    assert late.status_code == 403
    assert "closed on" in late.json()["detail"]
    assert MappedFeature.objects.count() == 1


def test_a_retry_of_what_was_stored_before_the_close_is_answered(event, joined):  # type: ignore[no-untyped-def]
    phone = bearer_api(joined.token)
    payload = {**feature(), "id": str(uuid.uuid4())}
    assert phone.post(FEATURES, payload, format="json").status_code == 201
    move_window(event, starts=-dt.timedelta(days=5), ends=-dt.timedelta(days=4))
    # The answer was lost on a weak network; the phone sends again after the close.
    again = phone.post(FEATURES, payload, format="json")
    assert again.status_code == 200, again.json()
    assert MappedFeature.objects.count() == 1


def test_mediators_type_in_paper_forms_after_the_event(event):  # type: ignore[no-untyped-def]
    mediator = role_api(event, "mediatrice", EventRole.Role.MEDIATOR)
    move_window(event, starts=-dt.timedelta(days=5), ends=-dt.timedelta(days=4))
    response = mediator.post(FEATURES, feature(on_behalf_of="Mme Martin"), format="json")
    assert response.status_code == 201, response.json()
