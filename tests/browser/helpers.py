"""Steps the citizen-app browser tests share: join, place, pick, send."""

from __future__ import annotations

import re

from mapping.services.demo import JOIN_CODE

# BASEMAP_TILE_URL's default, answered by tests/browser/conftest.py with a blank tile.
FALLBACK_TILE = re.compile(r"https://tile\.openstreetmap\.org/\d+/\d+/\d+\.png")


def fallback_tiles_only(outside: list[str]) -> list[str]:
    """What left 127.0.0.1 besides the fallback tiles of an event with NO OSM context (the
    product's rule, README "base map": such an event's map draws ``BASEMAP_TILE_URL``); fails
    when no such tile was asked for, so a test saying "no OSM context here" stays true."""
    assert any(FALLBACK_TILE.fullmatch(url) for url in outside), outside
    return [url for url in outside if not FALLBACK_TILE.fullmatch(url)]

EVENT_PATH = "/events/chambery-centre/"


def join(page, live_server, pseudonym: str = "Alex", *, code: str = JOIN_CODE):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}{EVENT_PATH}")
    page.wait_for_selector("#event-app[data-ready=true]")
    page.get_by_test_id("join-code").fill(code)
    page.get_by_test_id("pseudonym").fill(pseudonym)
    page.get_by_test_id("join-consent").check()
    page.get_by_test_id("join-submit").click()
    page.wait_for_selector("#contribute-forms:not([hidden])")


def place(page, lat: str, lon: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_test_id("lat").fill(lat)
    page.get_by_test_id("lon").fill(lon)


def fill_feature(page, lat: str, lon: str, *, search: str = "banc",  # type: ignore[no-untyped-def]
                 preset: str = "amenity/bench") -> None:
    page.locator("#kind-feature").check()
    place(page, lat, lon)
    page.get_by_test_id("preset-search").fill(search)
    page.get_by_test_id(f"preset-{preset}").check()
    page.get_by_test_id("consent-osm").check()


def fill_report(page, lat: str, lon: str, *, comment: str,  # type: ignore[no-untyped-def]
                category: str = "noise", intensity: int = 4) -> None:
    page.locator("#kind-report").check()
    place(page, lat, lon)
    page.get_by_test_id("report-category").select_option(category)
    page.get_by_test_id(f"intensity-{intensity}").check()
    page.get_by_test_id("report-comment").fill(comment)
