"""The officer view and the widget read the data's vector tiles for a large event (issue 11).

The threshold is lowered (``MAP_TILES_ABOVE``, the live server runs in this process): a few
real contributions then stand for a large event. With the default threshold the same pages
still read GeoJSON pages.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from mapping.models import EventRole
from mapping.services.grid import grid_create
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import fallback_tiles_only
from tests.browser.test_desk_browser import signed_in_page
from tests.conftest import make_event
from tests.factories import EventRoleFactory, MappedFeatureFactory, NuisanceReportFactory, geos
from tests.geometries import INSIDE, INSIDE_2

pytestmark = pytest.mark.django_db(transaction=True)
READY = "window.cartopartyDeskMap && window.cartopartyDeskMap.loaded()"


@pytest.fixture
def large_event():  # type: ignore[no-untyped-def]
    """Two reports and a named bench: the officer and the widget see them."""
    event = make_event()
    officer = EventRoleFactory(event=event, user__username="sig", role=EventRole.Role.OFFICER).user
    observed = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=1)
    NuisanceReportFactory(event=event, geometry=geos(INSIDE), category="noise", intensity=4,
                          status="accepted", observed_at=observed)
    NuisanceReportFactory(event=event, geometry=geos(INSIDE), category="odour", intensity=2,
                          status="received", observed_at=observed)
    MappedFeatureFactory(event=event, geometry=geos(INSIDE_2), status="accepted",
                         tags={"amenity": "bench", "name": "Banc des tilleuls"})
    return event, officer


def tile_responses(page, slug: str) -> list:  # type: ignore[no-untyped-def, type-arg]
    """Every answered request for a data tile of ``slug`` (features or reports)."""
    seen: list = []  # type: ignore[type-arg]
    page.on("response", lambda r: seen.append(r) if f"/tiles/{slug}/" in r.url
            and r.url.endswith(".mvt") and "/basemap/" not in r.url else None)
    return seen


def rendered(page, layer: str) -> list:  # type: ignore[no-untyped-def, type-arg]
    return page.evaluate("l => window.cartopartyDeskMap.queryRenderedFeatures({layers: [l]})"
                         ".map(f => f.properties)", layer)


def hover(page, layer: str) -> str:  # type: ignore[no-untyped-def]
    """Move the mouse onto the first item drawn in ``layer``; the tooltip's text."""
    point = page.evaluate("""l => { const m = window.cartopartyDeskMap;
        const f = m.queryRenderedFeatures({layers: [l]})[0];
        const p = m.project(f.geometry.coordinates);
        const r = m.getCanvas().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""", layer)
    page.mouse.move(point[0] + 1, point[1] + 1)
    page.mouse.move(point[0], point[1])
    tooltip = page.locator(".desk-tooltip .maplibregl-popup-content")
    tooltip.wait_for()
    page.wait_for_function("() => !document.querySelector("
                           "'.desk-tooltip .maplibregl-popup-content').textContent.includes('…')")
    return tooltip.inner_text()


@pytest.mark.parametrize("who", ["officer", "organiser"])
def test_officer_view_draws_tiles_filters_them_and_shows_tooltips(
        page_factory, live_server, large_event, settings, who):
    settings.MAP_TILES_ABOVE = 0
    event, officer = large_event
    organiser = EventRoleFactory(event=event, role=EventRole.Role.ORGANISER).user
    cells = grid_create(event=event, actor=organiser, size_m=100)
    holding = next(c for c in cells if c.geometry.contains(geos(INSIDE)))
    elsewhere = next(c for c in cells if not c.geometry.intersects(geos(INSIDE)))
    # Both open the officer view; a pure GIS officer reads the grid's progress.json too (it
    # was 403 for them, and the square filter below then kept every report).
    page = signed_in_page(page_factory, live_server, officer if who == "officer" else organiser,
                          width=1280, height=900)
    tiles = tile_responses(page, event.slug)
    lists: list[str] = []
    page.on("request", lambda r: lists.append(r.url) if "/api/v1/" in r.url else None)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/desk/{event.slug}/officer/")
    page.wait_for_selector("body[data-officer-ready='1']", state="attached")
    page.wait_for_function(READY + " && window.cartopartyDeskMap.queryRenderedFeatures("
                           "{layers: ['reports-point']}).length >= 2")
    page.wait_for_function(READY + " && window.cartopartyDeskMap.queryRenderedFeatures("
                           "{layers: ['features-point']}).length >= 1")
    assert page.evaluate("['reports', 'features'].map(s => "
                         "window.cartopartyDeskMap.getSource(s).type)") == ["vector", "vector"]
    answered = {(r.url.split("/tiles/")[1].split("/")[1], r.status) for r in tiles}
    assert ("reports", 200) in answered
    assert ("features", 200) in answered
    assert all("sessionid=" in r.request.all_headers().get("cookie", "") for r in tiles)
    # The officer's tiles are exact (their session went with the requests), and no list was read.
    assert {p["coarsened"] for p in rendered(page, "reports-point")} == {False}
    assert not [u for u in lists if u.split("?")[0].endswith(("/reports/", "/features/"))]
    assert page.locator("#tiles-features-note").is_visible()

    # A report's tooltip from the tile's own properties: category, intensity, time observed.
    said = hover(page, "reports-point")
    assert re.search(r"[24]/5 · \d{4}-\d\d-\d\dT\d\d:00:00\+00:00", said), said
    # A feature's tags are one request away (tiles carry its name and preset).
    assert "name=Banc des tilleuls" in hover(page, "features-point")

    # Filters become MapLibre expressions on the tiles' properties.
    page.select_option("select[name=category]", "noise")
    page.wait_for_function("() => window.cartopartyDeskMap.queryRenderedFeatures("
                           "{layers: ['reports-point']}).every(f => f.properties.category === "
                           "'noise')")
    assert {p["intensity"] for p in rendered(page, "reports-point")} == {4}
    page.select_option("select[name=category]", "")
    page.select_option("select[name=status]", "received")
    page.wait_for_function("() => { const m = window.cartopartyDeskMap; return "
                           "m.queryRenderedFeatures({layers: ['features-point']}).length === 0 "
                           "&& m.queryRenderedFeatures({layers: ['reports-point']}).length > 0; }")
    assert {p["category"] for p in rendered(page, "reports-point")} == {"odour"}
    page.select_option("select[name=status]", "")
    # A square: MapLibre's "within" on the reports' tiles.
    page.select_option("select[name=cell]", str(elsewhere.pk))
    page.wait_for_function("() => window.cartopartyDeskMap.queryRenderedFeatures("
                           "{layers: ['reports-point']}).length === 0")
    page.select_option("select[name=cell]", str(holding.pk))
    page.wait_for_function("() => window.cartopartyDeskMap.queryRenderedFeatures("
                           "{layers: ['reports-point']}).length === 2")
    page.select_option("select[name=cell]", "")
    page.fill("input[name=from]", (timezone.localtime() + dt.timedelta(hours=1))
              .strftime("%Y-%m-%dT%H:%M"))
    page.dispatch_event("input[name=from]", "change")
    page.wait_for_function("() => window.cartopartyDeskMap.queryRenderedFeatures("
                           "{layers: ['reports-point']}).length === 0")
    # Dates do not apply to the features' tiles (the page says so): the bench stays.
    assert len(rendered(page, "features-point")) == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"officer_tiles_{who}.png"))
    assert errors == []
    # make_event() has no OSM context: the map falls back to the external tiles.
    assert fallback_tiles_only(page_factory.outside) == []


def test_widget_draws_public_tiles_without_the_session(page_factory, live_server, large_event,
                                                       settings):
    settings.MAP_TILES_ABOVE = 0
    event, officer = large_event
    # Signed in, yet the widget's tiles are the public ones: no cookie goes with them.
    page = signed_in_page(page_factory, live_server, officer, width=1024, height=800)
    tiles = tile_responses(page, event.slug)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/embed/{event.slug}/")
    page.wait_for_selector("body[data-loaded='2']", state="attached")
    page.wait_for_function(READY + " && window.cartopartyDeskMap.queryRenderedFeatures("
                           "{layers: ['items-reports']}).length >= 1")
    page.wait_for_function(READY + " && window.cartopartyDeskMap.queryRenderedFeatures("
                           "{layers: ['items-features']}).length >= 1")
    reports = rendered(page, "items-reports")
    assert {p["status"] for p in reports} == {"accepted"}  # the received one is not shown
    assert {p["coarsened"] for p in reports} == {True}
    answered = {(r.url.split("/tiles/")[1].split("/")[1], r.status) for r in tiles}
    assert ("reports", 200) in answered
    assert ("features", 200) in answered
    assert {status for _, status in answered} <= {200, 204}  # 204: an empty neighbour
    # all_headers(): Playwright's plain .headers leaves cookies out.
    assert all("cookie" not in r.request.all_headers() for r in tiles)
    assert errors == []
    # make_event() has no OSM context: the map falls back to the external tiles.
    assert fallback_tiles_only(page_factory.outside) == []


def test_default_threshold_keeps_geojson_pages(page_factory, live_server, large_event,
                                               settings):
    """Below the threshold both pages read the lists, every page of them (next links)."""
    settings.API_PAGE_SIZE = 1
    event, officer = large_event
    page = signed_in_page(page_factory, live_server, officer, width=1280, height=900)
    tiles = tile_responses(page, event.slug)
    page.goto(f"{live_server.url}/desk/{event.slug}/officer/")
    page.wait_for_selector("body[data-officer-ready='1']", state="attached")
    assert page.evaluate("['reports', 'features'].map(s => "
                         "window.cartopartyDeskMap.getSource(s).type)") == ["geojson", "geojson"]
    shown = page.locator("#figures dd.local").all_inner_texts()
    assert [shown[0], shown[2]] == ["2", "1"]  # two reports over two pages, one feature
    assert "bench" in hover(page, "features-point")
    assert page.locator("#tiles-features-note").count() == 0

    lists: list = []  # type: ignore[type-arg]
    page.on("request", lambda r: lists.append(r) if "/api/v1/" in r.url else None)
    page.goto(f"{live_server.url}/embed/{event.slug}/")
    page.wait_for_selector("body[data-loaded='2']", state="attached")
    page.wait_for_function(READY + " && window.cartopartyDeskMap.queryRenderedFeatures("
                           "{layers: ['items']}).length >= 2")
    assert page.evaluate("window.cartopartyDeskMap.getSource('items').type") == "geojson"
    # The widget's lists (one accepted report: one page), without the session either.
    assert len([r for r in lists if "/reports/" in r.url]) == 1
    assert all("cookie" not in r.all_headers() for r in lists)
    assert tiles == []
