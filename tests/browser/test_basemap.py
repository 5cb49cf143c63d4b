"""The event's own base map in a real browser: MapLibre draws the streets from our tiles,
with our glyphs, and no request leaves 127.0.0.1."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from exports.services import osm_context_import
from mapping.services.demo import DEMO_OSM, demo_load
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)
ROADS = ["road-major", "road-minor", "road-service"]


def test_streets_render_from_our_own_tiles(page_factory, live_server) -> None:  # type: ignore[no-untyped-def]
    event = demo_load().event
    osm_context_import(event=event, path=DEMO_OSM)
    page = page_factory(width=800, height=700, locale="en-GB")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    responses: list[tuple[str, int]] = []
    page.on("response", lambda r: responses.append((r.url, r.status)))

    page.goto(f"{live_server.url}/tiles/{event.slug}/basemap/")
    page.wait_for_selector("[data-testid=basemap][data-ready=true]", timeout=30_000)
    page.wait_for_function("window.cartopartyBasemap.loaded() && "
                           "window.cartopartyBasemap.areTilesLoaded()", timeout=30_000)
    page.wait_for_function(
        "window.cartopartyBasemap.queryRenderedFeatures({layers: ['street-name']}).length > 0",
        timeout=30_000)

    names = page.evaluate(f"""window.cartopartyBasemap.queryRenderedFeatures(
        {{layers: {ROADS}}}).map(f => f.properties.name).filter(Boolean)""")
    assert {"Rue de Warens", "Faubourg Montmélian"} <= set(names)
    buildings = page.evaluate(
        "window.cartopartyBasemap.queryRenderedFeatures({layers: ['building']}).length")
    assert buildings > 20
    attribution = page.locator(".maplibregl-ctrl-attrib").inner_text()
    assert "© OpenStreetMap contributors" in attribution

    tiles = [(url, status) for url, status in responses if "/basemap/" in url
             and url.split("?")[0].endswith(".mvt")]
    assert tiles
    assert all(status in (200, 204) for _url, status in tiles)
    assert any(status == 200 for _url, status in tiles)
    assert any("/tiles/fonts/" in url and status == 200 for url, status in responses)
    assert page_factory.outside == []  # type: ignore[attr-defined]
    assert errors == []

    # The pixels: white street fills and buildings' colour are on the canvas.
    canvas = page.locator("[data-testid=basemap] canvas")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = canvas.screenshot(path=str(SCREENSHOTS / "basemap_chambery_en.png"))
    pixels = Image.open(io.BytesIO(shot)).convert("RGB").getdata()
    white = sum(1 for p in pixels if p == (255, 255, 255))
    building = sum(1 for p in pixels if abs(p[0] - 0xD9) < 6 and abs(p[1] - 0xD0) < 6
                   and abs(p[2] - 0xC7) < 6)
    assert white > 2_000
    assert building > 10_000
