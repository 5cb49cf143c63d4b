"""The optional profile at join and under /me/profile/: stored apart, deleted with one's data."""

from __future__ import annotations

import json

import pytest

from mapping.models import Contributor
from mapping.models_profile import ParticipantProfile
from mapping.services import contributor_join
from tests.conftest import JOIN_CODE

pytestmark = pytest.mark.django_db

JOIN = "/api/v1/events/chambery/participants/"
ME = "/api/v1/me/profile/"


def _join(client_api, **extra):  # type: ignore[no-untyped-def]
    return client_api.post(JOIN, {"join_code": JOIN_CODE, "pseudonym": "Sacha", **extra},
                           format="json")


def test_joining_with_answers_stores_them_apart_from_the_participant(client_api, event):  # type: ignore[no-untyped-def]
    response = _join(client_api, profile={"age_band": "18_24", "lives_in_area": "yes",
                                          "gender": ""})
    assert response.status_code == 201
    assert response.json()["profile"] == {"age_band": "18_24", "lives_in_area": "yes"}
    profile = ParticipantProfile.objects.get()
    assert (profile.age_band, profile.lives_in_area, profile.first_participation,
            profile.gender) == ("18_24", "yes", "", "")
    assert profile.purpose_version == "2026-12"


@pytest.mark.parametrize("profile", [None, {}, {"age_band": None}])
def test_skipping_the_questions_stores_no_profile(client_api, event, profile):  # type: ignore[no-untyped-def]
    extra = {} if profile is None else {"profile": profile}
    response = _join(client_api, **extra)
    assert response.status_code == 201
    assert response.json()["profile"] is None
    assert not ParticipantProfile.objects.exists()


def test_a_wrong_answer_refuses_the_join_and_writes_nothing(client_api, event):  # type: ignore[no-untyped-def]
    response = _join(client_api, profile={"age_band": "forty"})
    assert response.status_code == 400
    assert response.json()["field"] == "profile.age_band"
    assert "'forty' is not an answer to age_band" in response.json()["detail"]
    assert not Contributor.objects.exists()
    assert not ParticipantProfile.objects.exists()


def test_a_participant_reads_changes_and_withdraws_their_answers(participant_api, joined):  # type: ignore[no-untyped-def]
    assert participant_api.get(ME).json() == {"profile": None}
    changed = participant_api.put(ME, {"profile": {"first_participation": "no"}}, format="json")
    assert changed.json() == {"profile": {"first_participation": "no"}}
    assert participant_api.get(ME).json() == {"profile": {"first_participation": "no"}}
    assert participant_api.put(ME, {"profile": {"gender": "x"}}, format="json").status_code == 400
    assert participant_api.delete(ME).status_code == 204
    assert not ParticipantProfile.objects.exists()


def test_the_profile_needs_the_participant_token(client_api, event):  # type: ignore[no-untyped-def]
    assert client_api.get(ME).status_code == 401
    assert client_api.put(ME, {"profile": {}}, format="json").status_code == 401


def test_delete_my_data_deletes_the_profile_too(event):  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    joined = contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Lou",
                              profile={"age_band": "40_54"})
    other = contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Noa",
                             profile={"age_band": "25_39"})
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {joined.token}")
    assert client.delete("/api/v1/me/contributions/").status_code == 200
    assert list(ParticipantProfile.objects.values_list("contributor", flat=True)) == [
        other.contributor.pk]


def test_a_deleted_participant_takes_their_profile_along(event):  # type: ignore[no-untyped-def]
    joined = contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Lou",
                              profile={"gender": "woman"})
    joined.contributor.delete()
    assert not ParticipantProfile.objects.exists()


def test_the_data_export_includes_the_answers(event):  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    joined = contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Lou",
                              profile={"lives_in_area": "no"})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {joined.token}")
    data = json.loads(client.get("/api/v1/me/contributions/export/").content)
    assert data["profile"] == {"lives_in_area": "no"}


@pytest.mark.parametrize(("language", "question", "purpose_words"), [
    ("en", "How old are you?", "groups of at least 5 people"),
    ("fr", "Quel âge avez-vous ?", "groupes d’au moins 5 personnes"),
])
def test_the_questions_and_their_purpose_are_given_in_the_reader_s_language(  # type: ignore[no-untyped-def]
    language, question, purpose_words,
):
    from rest_framework.test import APIClient

    body = APIClient(HTTP_ACCEPT_LANGUAGE=language).get("/api/v1/profile/questions/").json()
    assert body["questions"][0]["id"] == "age_band"
    assert body["questions"][0]["text"] == question
    assert purpose_words in body["purpose"]
    assert [a["id"] for a in body["questions"][0]["answers"]][:2] == ["under_18", "18_24"]
