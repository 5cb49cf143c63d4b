"""Organisers' and admins' passwords cannot be guessed without limit (django-axes)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_user(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("orga-lock", password="the-right-one")


@pytest.mark.parametrize("url", ["/desk/login/", "/admin/login/"])
def test_repeated_wrong_passwords_lock_the_account_from_that_address(client, organiser_user,
                                                                     settings, url):
    settings.AXES_FAILURE_LIMIT = 3
    wrong = [client.post(url, {"username": "orga-lock", "password": "guess"}).status_code
             for _ in range(3)]
    assert wrong[:2] == [200, 200]  # the form again, with its error
    assert wrong[2] == 429
    # Locked: even the right password is refused, with a page that says why.
    right = client.post(url, {"username": "orga-lock", "password": "the-right-one"})
    assert right.status_code == 429
    assert b"locked" in right.content or b"verrouill" in right.content


def test_the_lock_is_per_user_and_address_not_the_whole_room(client, organiser_user, settings,
                                                              django_user_model):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post("/desk/login/", {"username": "orga-lock", "password": "guess"})
    django_user_model.objects.create_user("colleague", password="pw-colleague-1")
    colleague = client.post("/desk/login/", {"username": "colleague",
                                             "password": "pw-colleague-1"})
    assert colleague.status_code == 302  # signed in


def test_attempts_are_kept_in_the_database(client, organiser_user):
    from axes.models import AccessAttempt

    client.post("/desk/login/", {"username": "orga-lock", "password": "guess"})
    assert AccessAttempt.objects.filter(username="orga-lock").count() == 1
