"""axe-core (npm, injected into the page) finds no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapping.services.demo import demo_load
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import EVENT_PATH, fallback_tiles_only, fill_report, join

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/bootstrap.sh (npm ci)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    assert result["passes"], "axe ran no check"
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize(("locale", "width", "height"), [("fr-FR", 390, 844),
                                                         ("en-GB", 1280, 900)])
def test_citizen_page_has_no_serious_accessibility_violation(page_factory, live_server,
                                                             locale, width, height):
    demo_load()
    page = page_factory(locale=locale, width=width, height=height)
    page.goto(f"{live_server.url}{EVENT_PATH}")
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function("document.querySelector('#list-summary').innerText.length > 0")
    assert serious_violations(page) == []  # the join form

    join(page, live_server, "Ada")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"event_map_joined_{locale}_{width}.png"),
                    full_page=True)
    assert serious_violations(page) == []  # the contribution forms and "my contributions"

    fill_report(page, "45.56590", "5.93150", comment="Test")
    page.get_by_test_id("report-submit").click()
    page.get_by_test_id("nearby-panel").wait_for(state="visible")
    assert serious_violations(page) == []  # "is it this one?"

    page.context.set_offline(True)
    page.locator("#nearby-actions button").first.click()
    page.get_by_test_id("outbox").wait_for(state="visible")
    assert serious_violations(page) == []  # the outbox
    # demo_load() imports no OSM context: the map falls back to the external tiles.
    assert fallback_tiles_only(page_factory.outside) == []


def test_follow_page_has_no_serious_accessibility_violation(page_factory, live_server):
    demo_load()
    page = page_factory()
    join(page, live_server, "Bea")
    follow = page.locator("#follow-link").get_attribute("href")
    page.goto(follow)
    assert serious_violations(page) == []
