"""The optional profile step of the join form in a real browser: skippable, accessible."""

from __future__ import annotations

import pytest

from mapping.models_profile import ParticipantProfile
from mapping.services.demo import JOIN_CODE, demo_load
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import EVENT_PATH, fallback_tiles_only
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def _open_join_form(page, live_server, pseudonym: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}{EVENT_PATH}")
    page.wait_for_selector("#event-app[data-ready=true]")
    page.get_by_test_id("join-code").fill(JOIN_CODE)
    page.get_by_test_id("pseudonym").fill(pseudonym)
    page.get_by_test_id("join-consent").check()


def _send(page) -> None:  # type: ignore[no-untyped-def]
    with page.expect_response("**/participants/") as sent:
        page.get_by_test_id("join-submit").click()
    assert sent.value.status == 201
    page.wait_for_selector("#contribute-forms:not([hidden])")


@pytest.mark.parametrize(("locale", "summary", "purpose"), [
    ("fr-FR", "Facultatif", "groupes d’au moins 5 personnes"),
    ("en-GB", "Optional", "groups of at least 5 people"),
])
def test_a_participant_answers_some_questions_in_their_language(  # type: ignore[no-untyped-def]
    page_factory, live_server, locale, summary, purpose,
):
    demo_load()
    page = page_factory(locale=locale)
    _open_join_form(page, live_server, "Lou")
    step = page.get_by_test_id("profile-step")
    assert summary in step.inner_text()
    step.locator("summary").click()
    assert purpose in page.locator("#profile-purpose").inner_text()
    assert serious_violations(page) == []  # the open step, every radio group labelled
    page.get_by_test_id("profile-age_band-18_24").check()
    page.get_by_test_id("profile-lives_in_area-yes").check()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"profile_step_{locale}.png"), full_page=True)
    _send(page)
    profile = ParticipantProfile.objects.get(contributor__pseudonym="Lou")
    assert profile.answers() == {"age_band": "18_24", "lives_in_area": "yes"}
    # demo_load() imports no OSM context: the map falls back to the external tiles.
    assert fallback_tiles_only(page_factory.outside) == []


def test_skipping_the_step_stores_no_profile(page_factory, live_server):  # type: ignore[no-untyped-def]
    demo_load()
    page = page_factory()
    _open_join_form(page, live_server, "Noa")
    _send(page)
    assert not ParticipantProfile.objects.filter(contributor__pseudonym="Noa").exists()


def test_an_answer_taken_back_counts_as_no_answer(page_factory, live_server):  # type: ignore[no-untyped-def]
    demo_load()
    page = page_factory(locale="en-GB")
    _open_join_form(page, live_server, "Eli")
    page.get_by_test_id("profile-step").locator("summary").click()
    page.get_by_test_id("profile-gender-woman").check()
    page.locator("#profile-gender-none").check()  # "I prefer not to say"
    page.get_by_test_id("profile-first_participation-no").check()
    _send(page)
    profile = ParticipantProfile.objects.get(contributor__pseudonym="Eli")
    assert profile.answers() == {"first_participation": "no"}
