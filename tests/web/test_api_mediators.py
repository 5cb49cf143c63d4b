"""Mediators enter contributions on behalf of participants, recorded as such."""

from __future__ import annotations

import pytest

from mapping.models import Contributor, EventRole, MappedFeature
from tests import geometries as g
from tests.conftest import role_api

pytestmark = pytest.mark.django_db

FEATURES = "/api/v1/events/chambery/features/"


@pytest.fixture
def mediator_api(event):  # type: ignore[no-untyped-def]
    return role_api(event, "mediatrice", EventRole.Role.MEDIATOR)


def test_mediator_enters_a_feature_for_a_participant(mediator_api, organiser_api, event):
    response = mediator_api.post(FEATURES, {
        "type": "Feature", "geometry": g.INSIDE,
        "properties": {"preset": "amenity/bench", "on_behalf_of": "Mme Martin"}}, format="json")
    assert response.status_code == 201, response.json()
    feature = MappedFeature.objects.get()
    assert feature.channel == "mediator"
    assert feature.entered_by.username == "mediatrice"
    assert feature.author.pseudonym == "Mme Martin"
    assert feature.author.registered_by.username == "mediatrice"
    seen = organiser_api.get(f"{FEATURES}{feature.pk}/").json()
    assert seen["properties"]["history"][0]["by"] == "mediatrice"


def test_the_same_participant_is_reused(mediator_api, event):
    for point in (g.INSIDE, g.INSIDE_2):
        mediator_api.post(FEATURES, {"type": "Feature", "geometry": point, "properties": {
            "preset": "natural/tree", "on_behalf_of": "Mme Martin"}}, format="json")
    assert Contributor.objects.filter(pseudonym="Mme Martin").count() == 1
    assert MappedFeature.objects.count() == 2


def test_a_participant_cannot_act_on_behalf_of_someone(participant_api, event):
    response = participant_api.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE,
                                               "properties": {"preset": "amenity/bench",
                                                              "on_behalf_of": "Quelqu'un"}},
                                    format="json")
    assert response.status_code == 403
    assert not MappedFeature.objects.exists()
