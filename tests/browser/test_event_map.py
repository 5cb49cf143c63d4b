"""The citizen map page in a real browser: join, add a feature and a report, see them."""

from __future__ import annotations

import pytest

from mapping.models import MappedFeature, NuisanceReport
from mapping.services.demo import JOIN_CODE, demo_load
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)


def join(page, live_server, pseudonym: str = "Alex"):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/events/chambery-centre/")
    page.get_by_test_id("join-code").fill(JOIN_CODE)
    page.get_by_test_id("pseudonym").fill(pseudonym)
    page.get_by_test_id("join-consent").check()
    page.get_by_test_id("join-submit").click()
    page.wait_for_selector("#contribute-forms:not([hidden])")


def test_participant_joins_adds_a_feature_and_a_report(page_factory, live_server):
    demo_load()
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    join(page, live_server)

    page.get_by_test_id("lat").fill("45.56600")
    page.get_by_test_id("lon").fill("5.93210")
    page.get_by_test_id("preset-select").select_option("amenity/bench")
    page.get_by_test_id("consent-osm").check()
    with page.expect_response("**/chambery-centre/features/") as sent:
        page.get_by_test_id("feature-submit").click()
    assert sent.value.status == 201
    feature = MappedFeature.objects.get(author__pseudonym="Alex")
    assert feature.tags["amenity"] == "bench" and feature.consent_osm
    assert feature.geometry.coords == pytest.approx((5.9321, 45.566))

    page.locator("#kind-report").check()
    # Each contribution gets its own place: the location was cleared after sending.
    assert page.get_by_test_id("lat").input_value() == ""
    page.get_by_test_id("lat").fill("45.56590")
    page.get_by_test_id("lon").fill("5.93150")
    page.get_by_test_id("report-category").select_option("noise")
    page.get_by_test_id("intensity-4").check()
    page.get_by_test_id("report-comment").fill("Klaxons à l'heure de pointe")
    with page.expect_response("**/chambery-centre/reports/") as sent:
        page.get_by_test_id("report-submit").click()
    assert sent.value.status == 201
    report = NuisanceReport.objects.get(author__pseudonym="Alex")
    assert (report.category, report.intensity) == ("noise", 4)

    # Both appear in the list view (the non-map path) and in "my contributions".
    page.wait_for_function(
        "document.querySelector('[data-testid=my-contributions]').innerText.includes('Klaxons')")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "event_map_phone_fr.png"), full_page=True)
    assert errors == []
    assert page_factory.outside == []


def test_page_speaks_english_to_english_browsers(page_factory, live_server):
    demo_load()
    page = page_factory(width=1280, height=800, locale="en-GB")
    page.goto(f"{live_server.url}/events/chambery-centre/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("join-submit").inner_text() == "Join the carto-party"
    page.screenshot(path=str(SCREENSHOTS / "event_map_desktop_en.png"), full_page=True)
    french = page_factory(locale="fr-FR")
    french.goto(f"{live_server.url}/events/chambery-centre/")
    assert french.locator("html").get_attribute("lang") == "fr"
    assert french.get_by_test_id("join-submit").inner_text() != "Join the carto-party"
