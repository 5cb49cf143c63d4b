"""A fixed, small number of queries per request, whatever the event holds (issue 9).

Counts are those of the test transaction, where the service's transaction is a SAVEPOINT
and a RELEASE; outside tests they are a BEGIN and a COMMIT, the same count.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mapping.models import Contributor, EventRole
from mapping.services import contribution_set_status
from tests import geometries as g
from tests.conftest import bearer_api, role_api, token_api
from tests.factories import ContributorFactory, MappedFeatureFactory, NuisanceReportFactory

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


# A participant's contribution: token, its rate counter (one upsert), BEGIN, id free in the
# other kind, two inserts, COMMIT.
@pytest.mark.parametrize(("url", "body"), [(REPORTS, report_body), (FEATURES, feature_body)])
def test_a_contribution_costs_seven_queries(participant_api, event, url, body,
                                          django_assert_num_queries):
    participant_api.post(url, body(), format="json")  # the event's first: no warm-up effect
    with django_assert_num_queries(7):
        response = participant_api.post(url, body(), format="json")
    assert response.status_code == 201


# A resend: the rate counter, the failed insert rolled back, then the stored one and its
# history are read.
@pytest.mark.parametrize(("url", "body"), [(REPORTS, report_body), (FEATURES, feature_body)])
def test_a_resent_contribution_costs_nine_queries(participant_api, event, url, body,
                                                   django_assert_num_queries):
    payload = body()
    assert participant_api.post(url, payload, format="json").status_code == 201
    with django_assert_num_queries(9):
        response = participant_api.post(url, payload, format="json")
    assert response.status_code == 200


def test_a_mediators_entry_for_a_new_participant_is_fixed(event, django_assert_num_queries):
    mediator = role_api(event, "mediatrice", EventRole.Role.MEDIATOR)
    with django_assert_num_queries(13):  # + the rate counter
        response = mediator.post(REPORTS, report_body(on_behalf_of="Mme Martin"), format="json")
    assert response.status_code == 201


# --- Lists: the same count for one contribution or many ---------------------------------


@pytest.fixture
def filled(event, organiser):  # type: ignore[no-untyped-def]
    """Make ``count`` features and reports of one participant, half of them moderated."""

    def fill(count: int) -> Contributor:
        person = ContributorFactory(event=event)
        for n in range(count):
            feature = MappedFeatureFactory(event=event, author=person)
            report = NuisanceReportFactory(event=event, author=person)
            if n % 2:  # a history line by a user: names must not cost a query each
                for item in (feature, report):
                    contribution_set_status(contribution=item, actor=organiser,
                                            status="accepted")
        return person

    return fill


# Lists of an event also read its version (the ETag): one indexed query. The API's lists
# read the page's keys first, then the rows and histories of the items not rendered yet.
LISTS = [
    ("features, public", FEATURES, {}, "anonymous", 5),  # event, version, keys, rows, histories
    ("features, organiser", FEATURES, {"bbox": "5.93,45.56,5.94,45.57"}, "organiser", 7),
    ("reports, public", REPORTS, {"bbox": "5.93,45.56,5.94,45.57"}, "anonymous", 5),
    ("reports, organiser", REPORTS, {}, "organiser", 7),  # + token and roles
    ("reports, participant", REPORTS, {}, "participant", 5),  # token, keys, rows, histories
    ("nearby features", "/api/v1/events/chambery/nearby/",
     {"lon": 5.9320, "lat": 45.5660, "preset": "amenity/bench"}, "anonymous", 4),  # + OSM
    ("nearby reports", "/api/v1/events/chambery/nearby/",
     {"lon": 5.9320, "lat": 45.5660, "category": "noise"}, "anonymous", 3),
    ("my contributions", "/api/v1/me/contributions/", {}, "participant", 5),
]


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize(("name", "url", "params", "who", "queries"), LISTS,
                         ids=[row[0] for row in LISTS])
def test_a_list_costs_the_same_queries_for_one_item_or_many(
        filled, organiser, name, url, params, who, queries, count, django_assert_num_queries):
    person = filled(count)
    client = {"anonymous": APIClient(), "participant": bearer_api(person.token),
              "organiser": token_api(organiser)}[who]
    with django_assert_num_queries(queries):
        response = client.get(url, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    if "participant" in body:  # my contributions: a collection of each kind
        found = body["features"]["features"] + body["reports"]["features"]
    else:
        found = body["contributions"]["features"] if "contributions" in body else body["features"]
    assert len(found) >= count


@pytest.mark.parametrize(("name", "url", "params", "who", "queries"), LISTS[:5],
                         ids=[row[0] for row in LISTS[:5]])
def test_an_unchanged_list_is_a_304_after_two_queries_at_most(
        filled, organiser, name, url, params, who, queries, django_assert_max_num_queries):
    person = filled(3)
    client = {"anonymous": APIClient(), "participant": bearer_api(person.token),
              "organiser": token_api(organiser)}[who]
    tag = client.get(url, params)["ETag"]
    # The event and its version (and a token and the roles for those who have them).
    with django_assert_max_num_queries(queries - 3):
        response = client.get(url, params, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304
    assert not response.content


@pytest.mark.parametrize(("name", "url", "params", "who", "queries"), LISTS[:5],
                         ids=[row[0] for row in LISTS[:5]])
def test_a_list_read_again_reads_only_its_keys(
        filled, organiser, name, url, params, who, queries, django_assert_num_queries):
    """Items rendered once are re-sent as they were: the second read (another query string,
    so no 304) reads the keys, not the rows nor their histories — and sends the same items."""
    person = filled(6)
    client = {"anonymous": APIClient(), "participant": bearer_api(person.token),
              "organiser": token_api(organiser)}[who]
    first = client.get(url, params).json()
    with django_assert_num_queries(queries - 2):
        again = client.get(url, {**params, "limit": 500})
    assert again.status_code == 200
    assert again.json()["features"] == first["features"]
    assert len(first["features"]) >= 6


def test_a_changed_contribution_is_read_again(event, organiser, organiser_api):
    """A moderation decision changes the key: the next list shows the new status, for the
    public (the comment it makes public) and for the organiser (who decided)."""
    report = NuisanceReportFactory(event=event, comment="Derrière la gare")
    (public,) = APIClient().get(REPORTS).json()["features"]
    (seen,) = organiser_api.get(REPORTS).json()["features"]
    assert (public["properties"]["comment"], seen["properties"]["status"]) == (None, "received")
    contribution_set_status(contribution=report, actor=organiser, status="accepted")
    (public,) = APIClient().get(REPORTS, {"limit": 10}).json()["features"]
    (seen,) = organiser_api.get(REPORTS, {"limit": 10}).json()["features"]
    assert public["properties"]["comment"] == "Derrière la gare"
    assert [step["by"] for step in seen["properties"]["history"]][-1] == organiser.username


# Token, event, the report and its history, then the service (BEGIN, role, row locked,
# update, insert, COMMIT) and the organiser's roles for the answer: no re-read.
def test_a_moderation_decision_is_fixed(event, organiser, organiser_api,
                                        django_assert_num_queries):
    report = NuisanceReportFactory(event=event)
    with django_assert_num_queries(11):
        response = organiser_api.post(f"{REPORTS}{report.pk}/status/",
                                      {"status": "accepted", "version": 1}, format="json")
    assert response.status_code == 200
    assert [step["to"] for step in response.json()["properties"]["history"]] == [
        "received", "accepted"]
