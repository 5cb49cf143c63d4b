"""Browser tests: Playwright driving Debian's Chromium against the live server.

Never a browser downloaded by a test tool: ``/usr/bin/chromium`` (apt package ``chromium``).
No request may leave 127.0.0.1: every other request is answered locally by a route (a blank
tile for ``tile.openstreetmap.org``, refused otherwise) AND recorded in ``page_factory.outside``,
so a test asserting ``outside == []`` sees an external tile request too (issue 11: a map must
not need a tile server). The ``live_server`` fixture (the product's ASGI application under
uvicorn) is in ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
# A 1×1 transparent PNG served for every base-map tile.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)

# Playwright's sync API runs an event loop in the test thread; the test itself stays
# synchronous, so Django's async-safety guard would only get in the way here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required: apt-get install chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, live_server):  # type: ignore[no-untyped-def]
    """New pages with a given viewport and language; ``make.outside`` lists every request that
    left 127.0.0.1 (external tiles included), each answered locally."""
    contexts = []
    outside: list[str] = []

    def make(*, width: int = 390, height: int = 844, locale: str = "fr-FR",  # type: ignore[no-untyped-def]
             enforce_csp: bool = False):
        # Tests inject their own scripts (axe-core, wait_for_function): the pages' policy is
        # bypassed unless a test asks to enforce it (tests/browser/test_csp.py does).
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale=locale, bypass_csp=not enforce_csp)

        def local(url: str) -> bool:
            # The live server, a test's other loopback server (a host site), or in-page data.
            parts = urlsplit(url)
            return parts.scheme in {"data", "blob"} or parts.hostname in LOOPBACK

        def answer(route):  # type: ignore[no-untyped-def]
            # Answered here, never by the network; recorded by watch() below all the same.
            if "tile.openstreetmap.org" in route.request.url:
                route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
            else:
                route.abort("blockedbyclient")

        context.route(lambda url: not local(url), answer)

        def watch(request):  # type: ignore[no-untyped-def]
            if not local(request.url):
                outside.append(request.url)

        context.on("request", watch)
        contexts.append(context)
        page = context.new_page()
        # Generous: a loaded 2-core CI machine runs two servers, Chromium and the suite at once.
        page.set_default_timeout(30_000)
        return page

    make.outside = outside  # type: ignore[attr-defined]
    yield make
    for context in contexts:
        context.close()
