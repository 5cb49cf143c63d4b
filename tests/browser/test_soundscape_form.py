"""The optional soundscape part (ISO 12913) of a noise report, in a real browser."""

from __future__ import annotations

import pytest

from mapping.models import Event, SoundscapeAnswer
from mapping.services.demo import demo_load
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import fill_report, join
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)
ANSWERS = {
    "pleasant": 2,
    "chaotic": 4,
    "vibrant": 3,
    "uneventful": 2,
    "calm": 1,
    "annoying": 2,
    "eventful": 4,
    "monotonous": 3,
}


def send(page):  # type: ignore[no-untyped-def]
    page.get_by_test_id("report-submit").click()
    panel = page.get_by_test_id("nearby-panel")
    try:  # a demo report may be nearby: "is it this one?" comes first
        panel.wait_for(state="visible", timeout=3000)
    except Exception:  # no panel: the report went straight out
        return
    page.get_by_test_id("nearby-different").click()


def test_a_noise_report_with_its_soundscape(page_factory, live_server):
    demo_load()
    Event.objects.filter(slug="chambery-centre").update(soundscape_enabled=True)
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    join(page, live_server)
    fill_report(page, "45.56590", "5.93150", comment="Fontaine et voitures")
    part = page.get_by_test_id("soundscape-part")
    part.locator("summary").click()
    assert "environnement sonore" in part.inner_text()
    assert serious_violations(page) == []  # ten labelled radio groups
    for name, value in list(ANSWERS.items())[:7]:
        page.get_by_test_id(f"soundscape-{name}-{value}").check()
    page.get_by_test_id("report-submit").click()
    error = page.locator("#soundscape-part-error")
    error.wait_for(state="visible")
    assert "Monotone" in error.inner_text()  # the word still unanswered, named in French
    assert SoundscapeAnswer.objects.count() == 0
    page.get_by_test_id("soundscape-monotonous-3").check()
    page.get_by_test_id("soundscape-loudness-4").check()
    page.screenshot(path=str(SCREENSHOTS / "soundscape_phone_fr.png"), full_page=True)
    with page.expect_response("**/chambery-centre/reports/") as sent:
        send(page)
    assert sent.value.status == 201
    answer = SoundscapeAnswer.objects.get()
    assert {k: getattr(answer, k) for k in ANSWERS} == ANSWERS
    assert (answer.loudness, answer.overall) == (4, None)
    assert errors == []


def test_no_soundscape_part_when_the_event_does_not_offer_it(page_factory, live_server):
    demo_load()
    page = page_factory()
    join(page, live_server)
    page.locator("#kind-report").check()
    page.get_by_test_id("report-category").select_option("noise")
    assert page.get_by_test_id("soundscape-part").count() == 0
