"""A fixed, small number of queries per request, whatever the event holds (issue 9).

Counts are those of the test transaction, where the service's transaction is a SAVEPOINT
and a RELEASE; outside tests they are a BEGIN and a COMMIT, the same count.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from mapping.models import EventRole
from tests import geometries as g
from tests.conftest import role_api

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/events/chambery/reports/"
FEATURES = "/api/v1/events/chambery/features/"


def report_body(**properties):  # type: ignore[no-untyped-def]
    return {"type": "Feature", "id": str(uuid.uuid4()), "geometry": g.INSIDE, "properties": {
        "category": "noise", "intensity": 4, "sources": ["road"],
        "observed_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(), **properties}}


def feature_body(**properties):  # type: ignore[no-untyped-def]
    return {"type": "Feature", "id": str(uuid.uuid4()), "geometry": g.INSIDE,
            "properties": {"preset": "amenity/bench", **properties}}


# A participant's contribution: token, BEGIN, id free in the other kind, two inserts, COMMIT.
@pytest.mark.parametrize(("url", "body"), [(REPORTS, report_body), (FEATURES, feature_body)])
def test_a_contribution_costs_six_queries(participant_api, event, url, body,
                                          django_assert_num_queries):
    participant_api.post(url, body(), format="json")  # the event's first: no warm-up effect
    with django_assert_num_queries(6):
        response = participant_api.post(url, body(), format="json")
    assert response.status_code == 201


# A resend: the failed insert rolled back, then the stored one and its history are read.
@pytest.mark.parametrize(("url", "body"), [(REPORTS, report_body), (FEATURES, feature_body)])
def test_a_resent_contribution_costs_eight_queries(participant_api, event, url, body,
                                                   django_assert_num_queries):
    payload = body()
    assert participant_api.post(url, payload, format="json").status_code == 201
    with django_assert_num_queries(8):
        response = participant_api.post(url, payload, format="json")
    assert response.status_code == 200


def test_a_mediators_entry_for_a_new_participant_is_fixed(event, django_assert_num_queries):
    mediator = role_api(event, "mediatrice", EventRole.Role.MEDIATOR)
    with django_assert_num_queries(12):
        response = mediator.post(REPORTS, report_body(on_behalf_of="Mme Martin"), format="json")
    assert response.status_code == 201
