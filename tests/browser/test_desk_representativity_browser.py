"""The representativity page in Debian's Chromium: figures drawn, readable on a phone,
no serious axe violation, nothing refused by the strict CSP, in French and English."""

from __future__ import annotations

import pytest

from layers.services.demo_representativity import SLUG, representativity_demo_load
from mapping.models import EventRole
from mapping.services.demo import demo_load
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_desk_browser import signed_in_page
from tests.factories import EventRoleFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("locale", "width", "height", "title"),
    [("fr-FR", 390, 844, "Représentativité"), ("en-GB", 1280, 900, "Representativity")],
)
def test_the_representativity_page_draws_its_figures_accessibly(
    page_factory, live_server, locale, width, height, title
):
    demo_load()
    event = representativity_demo_load().event
    officer = EventRoleFactory(
        event=event, user__username="officier", role=EventRole.Role.OFFICER
    ).user
    page = signed_in_page(
        page_factory,
        live_server,
        officer,
        width=width,
        height=height,
        locale=locale,
        enforce_csp=True,
    )
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: refused.append(f"page error: {error}"))
    response = page.goto(f"{live_server.url}/desk/{SLUG}/representativity/")
    assert response is not None
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert title in page.locator("h1").inner_text()
    for key in ("coverage", "concentration", "time", "weekdays"):
        figure = page.locator(f'img[data-figure="{key}"]')
        assert figure.get_attribute("alt")
        # The SVG decoded and laid out: a real width, no wider than the screen.
        size = figure.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
        assert size[0] > 100
        assert 0 < size[1] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"desk_representativity_{locale}_{width}.png"), full_page=True
    )
    assert refused == []  # nothing refused by the policy, no script error
    # axe is injected, so it runs on a page whose policy is bypassed.
    checked = signed_in_page(
        page_factory, live_server, officer, width=width, height=height, locale=locale
    )
    checked.goto(f"{live_server.url}/desk/{SLUG}/representativity/")
    assert serious_violations(checked) == []
    checked.get_by_role(
        "link", name=("Vue exacte" if locale == "fr-FR" else "Exact view"), exact=False
    ).first.click()
    checked.wait_for_selector('img[data-figure="profile"]')
    assert serious_violations(checked) == []
    assert page_factory.outside == []
