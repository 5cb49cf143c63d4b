"""One participant a pseudonym in an event, found by its key's index (issue 9), both databases."""

from __future__ import annotations

import threading
import unicodedata

import pytest
from django.db import connection

from mapping.errors import Conflict
from mapping.models import Channel, Contributor, EventRole, MappedFeature
from mapping.selectors.moderation import QueueFilters, moderation_queue
from mapping.services import contributor_join, feature_submit
from mapping.services.contributions import Author
from mapping.services.participants import PSEUDONYM_TAKEN
from tests import geometries as g
from tests.conftest import role_api
from tests.factories import JOIN_CODE, ContributorFactory, EventRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

JOIN = "/api/v1/events/chambery/participants/"
FEATURES = "/api/v1/events/chambery/features/"
NFC = unicodedata.normalize("NFC", "Élodie Zoé")
NFD = unicodedata.normalize("NFD", "Élodie Zoé")


def join(client, pseudonym):  # type: ignore[no-untyped-def]
    return client.post(JOIN, {"join_code": JOIN_CODE, "pseudonym": pseudonym}, format="json")


@pytest.mark.parametrize("second", [NFC, NFD, "élodie zoé", "ÉLODIE ZOÉ",
                                    unicodedata.normalize("NFD", "ÉLODIE ZOÉ"),
                                    "  Élodie    Zoé "])
@pytest.mark.parametrize("first", [NFC, NFD])
def test_the_same_name_in_any_case_form_or_spacing_is_taken(client_api, event, first, second):
    assert join(client_api, first).status_code == 201
    response = join(client_api, second)
    assert response.status_code == 409
    assert response.json()["field"] == "pseudonym"
    assert response.json()["detail"] == PSEUDONYM_TAKEN
    assert Contributor.objects.count() == 1


def test_other_letters_are_other_participants(client_api, event):
    assert [join(client_api, name).status_code
            for name in ("Élodie", "Elodie", "Zoe", "Zoé")] == [201] * 4
    assert Contributor.objects.count() == 4


def test_the_same_name_in_another_event_is_free(client_api, event, other_event):
    assert join(client_api, "Élodie").status_code == 201
    response = client_api.post("/api/v1/events/autre/participants/",
                               {"join_code": JOIN_CODE, "pseudonym": "élodie"}, format="json")
    assert response.status_code == 201


def test_the_stored_key_is_the_pseudonyms(client_api, event):
    assert join(client_api, NFD).status_code == 201
    person = Contributor.objects.get()
    assert person.pseudonym == NFC  # stored composed, as typed on most keyboards
    assert person.pseudonym_key == "élodie zoé"
    person.pseudonym = "Camille"
    person.save(update_fields=["pseudonym"])
    assert Contributor.objects.get().pseudonym_key == "camille"


def test_a_join_reads_no_participant(client_api, event, django_assert_num_queries):
    """The rate counter, the event, the service's SAVEPOINT and the insert's, the insert, two
    RELEASEs, the profile for the answer: 8, whatever the event holds. Before issue 9 a 9th
    read every participant's name to compare them in Python."""
    ContributorFactory.create_batch(30, event=event)
    join(client_api, "Warm Up")  # the event's caches and the throttle's first row
    with django_assert_num_queries(8):
        assert join(client_api, "Élodie").status_code == 201
    with django_assert_num_queries(9):  # the refused insert: two ROLLBACK TO, two RELEASE
        assert join(client_api, "élodie").status_code == 409


def test_a_mediator_finds_the_participant_whatever_the_form(event, organiser):
    mediator = role_api(event, "mediatrice", EventRole.Role.MEDIATOR)
    for name in (NFC, NFD, "élodie   zoé"):
        response = mediator.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE,
                                            "properties": {"preset": "natural/tree",
                                                           "on_behalf_of": name}},
                                 format="json")
        assert response.status_code == 201, response.json()
    person = Contributor.objects.get()
    assert person.pseudonym == NFC
    assert MappedFeature.objects.filter(author=person).count() == 3


def test_a_mediator_never_writes_for_a_self_joined_name_in_another_form(client_api, event,
                                                                        organiser):
    assert join(client_api, NFC).status_code == 201
    mediator = role_api(event, "mediatrice", EventRole.Role.MEDIATOR)
    response = mediator.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE,
                                        "properties": {"preset": "natural/tree",
                                                       "on_behalf_of": NFD.upper()}},
                             format="json")
    assert response.status_code == 409
    assert response.json()["field"] == "on_behalf_of"
    assert not MappedFeature.objects.exists()


def test_the_moderation_queue_filters_by_key_beyond_ascii(event, organiser):
    person = contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Élodie").contributor
    feature_submit(event=event, author=Author(contributor=person), geometry=g.INSIDE,
                   preset="amenity/bench")
    queue = moderation_queue(event=event, filters=QueueFilters(contributor="ÉLODIE"))
    assert [item.author_id for item in queue] == [person.pk]


# --- Two phones, one name, the same instant -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_joins_with_one_name_at_once_store_one_participant(event):
    """PostgreSQL: both transactions insert; the index makes the second wait for the first
    and refuse. SQLite: IMMEDIATE transactions take turns; the second insert is refused."""
    results: list[str] = []
    barrier = threading.Barrier(2)

    def send(name: str) -> None:
        barrier.wait()
        try:
            contributor_join(event=event, join_code=JOIN_CODE, pseudonym=name)
            results.append("joined")
        except Conflict as refused:
            results.append(refused.template)
        except Exception as error:  # what would be a 500: recorded, so the test shows it
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(name,)) for name in (NFC, NFD.lower())]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted(["joined", PSEUDONYM_TAKEN])
    assert Contributor.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_mediators_entering_for_one_new_name_at_once_share_the_participant(event):
    """The second registration is refused by the index, then finds the first one's row."""
    mediators = [EventRoleFactory(event=event, user=UserFactory(username=f"mediatrice{i}"),
                                  role=EventRole.Role.MEDIATOR).user for i in range(2)]
    results: list[str] = []
    barrier = threading.Barrier(2)

    def enter(mediator, name) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            _, created = feature_submit(
                event=event, author=Author(entered_by=mediator, on_behalf_of=name,
                                           channel=Channel.MEDIATOR),
                geometry=g.INSIDE, preset="natural/tree")
            results.append("created" if created else "replayed")
        except Exception as error:  # what would be a 409 or a 500: recorded, the test shows it
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=enter, args=(mediator, name))
               for mediator, name in zip(mediators, ("Mme Martin", "MME  MARTIN"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["created", "created"]
    (person,) = Contributor.objects.all()
    assert MappedFeature.objects.filter(author=person).count() == 2


# --- The admin ---------------------------------------------------------------------------------


def test_renaming_in_the_admin_to_a_taken_name_is_a_form_error(admin_client, event):
    ContributorFactory(event=event, pseudonym="Élodie")
    other = ContributorFactory(event=event, pseudonym="Camille")
    url = f"/admin/mapping/contributor/{other.pk}/change/"
    response = admin_client.post(url, {"event": event.pk, "pseudonym": "ÉLODIE",
                                       "registered_by": ""})
    assert response.status_code == 200  # the form again, not a server error
    assert response.context["adminform"].form.errors["pseudonym"]
    assert Contributor.objects.get(pk=other.pk).pseudonym == "Camille"
    response = admin_client.post(url, {"event": event.pk, "pseudonym": "Camille M",
                                       "registered_by": ""})
    assert response.status_code == 302
    assert Contributor.objects.get(pk=other.pk).pseudonym_key == "camille m"


def test_the_admin_finds_a_name_beyond_ascii_case(admin_client, event):
    ContributorFactory(event=event, pseudonym="Élodie")
    page = admin_client.get("/admin/mapping/contributor/", {"q": "ÉLODIE"}).content.decode()
    assert "Élodie" in page
