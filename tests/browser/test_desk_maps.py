"""The desk's grid page, zone editor and the admin's map widget in a real browser: MapLibre
draws the event's own base map (or a plain background for a new event), and no request
leaves 127.0.0.1 — not even to the external tile server the other tests answer locally."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from shapely.geometry import shape

from exports.services import osm_context_import
from mapping.models import Event
from mapping.services.demo import DEMO_OSM, demo_load
from mapping.services.grid import grid_create
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_desk_browser import signed_in_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROADS = "['road-major', 'road-minor', 'road-service']"
MAP = "window.cartopartyDeskMap"


def record_outside(page, live_server) -> list[str]:  # type: ignore[no-untyped-def]
    """Every request of `page` that leaves the live server (tile.openstreetmap.org included)."""
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((live_server.url, "data:", "blob:"))
            else outside.append(r.url))
    return outside


def wait_for_map(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"{MAP} && {MAP}.loaded() && {MAP}.areTilesLoaded()",
                           timeout=30_000)


def rendered(page, layer: str) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate(f"l => {MAP}.queryRenderedFeatures({{layers: [l]}}).length", layer)


@pytest.fixture
def demo_with_basemap():  # type: ignore[no-untyped-def]
    demo = demo_load()
    osm_context_import(event=demo.event, path=DEMO_OSM)
    return demo.event, demo.event.roles.get(role="organiser").user


def test_grid_page_draws_the_squares_on_the_events_own_base_map(  # type: ignore[no-untyped-def]
        page_factory, live_server, demo_with_basemap):
    event, organiser = demo_with_basemap
    grid_create(event=event, actor=organiser, size_m=200)
    page = signed_in_page(page_factory, live_server, organiser, width=1280, height=900)
    outside = record_outside(page, live_server)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/desk/{event.slug}/grid/", timeout=60_000)
    wait_for_map(page)
    page.wait_for_function(f"{MAP}.queryRenderedFeatures({{layers: ['squares-fill']}}).length > 0",
                           timeout=30_000)

    names = page.evaluate(f"{MAP}.queryRenderedFeatures({{layers: {ROADS}}})"
                          ".map(f => f.properties.name).filter(Boolean)")
    assert "Rue de Warens" in names
    layers = page.evaluate(f"{MAP}.getStyle().layers.map(l => l.id)")
    assert layers.index("squares-fill") > layers.index("street-name")  # squares on top
    assert not any(s.get("type") == "raster" for s in
                   page.evaluate(f"Object.values({MAP}.getStyle().sources)"))
    assert "© OpenStreetMap contributors" in page.locator(
        "#grid-map .maplibregl-ctrl-attrib").inner_text()
    assert page.locator("#grid-map").get_attribute("aria-label") == "Carte de la grille des tâches"

    # A square's tooltip: its label and its state in the reader's language, as text.
    box = page.locator("#grid-map canvas").bounding_box()
    assert page.evaluate(f"p => {MAP}.queryRenderedFeatures(p, {{layers: ['squares-fill']}})"
                         ".length", [box["width"] / 2, box["height"] / 2]) == 1
    point = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(point[0], point[1])
    tooltip = page.wait_for_selector(".desk-tooltip .maplibregl-popup-content")
    assert "à cartographier" in tooltip.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "grid_basemap.png"))
    assert errors == []
    assert outside == []


def test_zone_editor_of_an_event_draws_its_zone_on_its_own_base_map(  # type: ignore[no-untyped-def]
        page_factory, live_server, demo_with_basemap):
    event, organiser = demo_with_basemap
    page = signed_in_page(page_factory, live_server, organiser, width=1280, height=900,
                          locale="en-GB")
    outside = record_outside(page, live_server)
    page.goto(f"{live_server.url}/desk/{event.slug}/edit/", timeout=60_000)
    wait_for_map(page)
    page.wait_for_function(f"{MAP}.queryRenderedFeatures({{layers: ['zone-drawn-fill']}})"
                           ".length > 0", timeout=30_000)
    names = page.evaluate(f"{MAP}.queryRenderedFeatures({{layers: {ROADS}}})"
                          ".map(f => f.properties.name).filter(Boolean)")
    assert "Rue de Warens" in names
    assert rendered(page, "graticule") == 0  # a real base map needs none
    assert "© OpenStreetMap contributors" in page.locator(
        "#zone-map .maplibregl-ctrl-attrib").inner_text()
    assert page.locator("#zone-map").get_attribute("aria-label") == \
        "Map: click to place the corners of the zone"
    assert serious_violations(page) == []
    assert outside == []


@pytest.fixture
def creator():  # type: ignore[no-untyped-def]
    user = UserFactory(username="createur")
    user.user_permissions.add(Permission.objects.get(codename="add_event"))
    return user


def test_new_event_zone_drawn_by_clicking_corners_is_saved(  # type: ignore[no-untyped-def]
        page_factory, live_server, creator):
    page = signed_in_page(page_factory, live_server, creator, width=1280, height=900)
    outside = record_outside(page, live_server)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/desk/new/")
    page.wait_for_selector("#zone-map[data-draw-ready='1']")
    wait_for_map(page)
    # No OSM extract yet: a plain background and a graticule, no tile server.
    sources = page.evaluate(f"Object.values({MAP}.getStyle().sources).map(s => s.type)")
    assert set(sources) == {"geojson"}
    assert rendered(page, "graticule") > 0
    assert page.locator("#zone-map").get_attribute("aria-label") == \
        "Carte : cliquez pour placer les sommets de la zone"
    assert serious_violations(page) == []

    page.locator("#zone-map").scroll_into_view_if_needed()
    box = page.locator("#zone-map canvas").bounding_box()
    pixels = [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]
    corners = []
    for fx, fy in pixels:
        x, y = box["width"] * fx, box["height"] * fy
        corners.append(page.evaluate(f"p => {MAP}.unproject(p).toArray()", [x, y]))
        page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_function(
        f"{MAP}.queryRenderedFeatures({{layers: ['zone-drawn-corner']}}).length === 4")
    assert page.locator("#zone-status").inner_text() == "Sommets placés : 4"
    page.locator("#zone-close").click()
    assert "GeoJSON" in page.locator("#zone-status").inner_text()
    zone = json.loads(page.locator("#id_zone_geojson").input_value())
    assert zone["type"] == "Polygon"
    ring = zone["coordinates"][0]
    assert len(ring) == 5
    assert ring[0] == ring[-1]
    for (lon, lat), (want_lon, want_lat) in zip(ring, corners, strict=False):
        # Where each click landed, within a fraction of a pixel (≈ 9e-5° at zoom 14).
        assert lon == pytest.approx(want_lon, abs=2e-5)
        assert lat == pytest.approx(want_lat, abs=2e-5)
    page.wait_for_function(
        f"{MAP}.queryRenderedFeatures({{layers: ['zone-drawn-fill']}}).length > 0")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#zone-map").screenshot(path=str(SCREENSHOTS / "zone_editor_new_event.png"))

    page.locator("#id_name").fill("Fête du quartier")
    page.locator("#id_slug").fill("fete-quartier")
    page.locator("#id_starts_at").fill("2026-12-05T14:00")
    page.locator("#id_ends_at").fill("2026-12-05T18:00")
    page.locator("#id_join_code").fill("FETE73")
    page.locator("input[name=nuisance_categories][value=noise]").check()
    page.locator("summary", has_text="Éléments proposés").click()
    page.locator("input[name=presets][value='amenity/bench']").check()
    page.locator("#event-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/desk/fete-quartier/")
    saved = Event.objects.get(slug="fete-quartier").zone
    assert shape(json.loads(saved.geojson)).equals_exact(shape(zone), tolerance=1e-7)
    assert errors == []
    assert outside == []


def test_admin_event_change_page_asks_no_tile_server(page_factory, live_server,  # type: ignore[no-untyped-def]
                                                    admin_user):
    event = demo_load().event
    page = signed_in_page(page_factory, live_server, admin_user, width=1280, height=900)
    outside = record_outside(page, live_server)
    page.goto(f"{live_server.url}/admin/mapping/event/{event.pk}/change/")
    # The zone is drawn (a vector path), with no tile under it.
    page.wait_for_selector(".leaflet-container path.leaflet-interactive", state="attached")
    page.wait_for_load_state("networkidle")
    assert page.locator(".leaflet-tile").count() == 0
    assert outside == []
