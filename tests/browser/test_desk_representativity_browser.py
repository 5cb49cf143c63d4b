"""The representativity page in Debian's Chromium: figures drawn, readable on a phone,
no serious axe violation, nothing refused by the strict CSP, in French and English."""

from __future__ import annotations

import pytest

from exports.services import osm_context_import
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
        if key != "coverage":  # the coverage figure is printed, the map shown instead
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
    # No OSM extract for this demo: the coverage map on a plain background, no tile server.
    checked.wait_for_function(f"{MAP} && {MAP}.loaded() && {MAP}.getSource('coverage')")
    sources = checked.evaluate(f"Object.values({MAP}.getStyle().sources).map(s => s.type)")
    assert set(sources) == {"geojson"}
    assert serious_violations(checked) == []
    checked.get_by_role(
        "link", name=("Vue exacte" if locale == "fr-FR" else "Exact view"), exact=False
    ).first.click()
    checked.wait_for_selector('img[data-figure="profile"]')
    assert serious_violations(checked) == []
    assert page_factory.outside == []


# A hand-drawn sketch of two Talence streets (not their surveyed shape): enough for the demo
# event to have a base map of its own, built from an OSM context as for any event.
TALENCE_OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="cartoparty-test">
  <node id="1" version="1" lat="44.7990" lon="-0.5900"/>
  <node id="2" version="1" lat="44.8060" lon="-0.5800"/>
  <node id="3" version="1" lat="44.8130" lon="-0.5700"/>
  <node id="4" version="1" lat="44.8000" lon="-0.5650"/>
  <node id="5" version="1" lat="44.8120" lon="-0.5880"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="primary"/><tag k="name" v="Cours Gambetta"/></way>
  <way id="11" version="1"><nd ref="4"/><nd ref="2"/><nd ref="5"/>
    <tag k="highway" v="residential"/><tag k="name" v="Rue Paul Bert"/></way>
</osm>
"""
MAP = "window.cartopartyDeskMap"
ROADS = "['road-major', 'road-minor', 'road-service']"


def test_the_coverage_map_draws_the_cells_on_the_events_base_map(
    page_factory, live_server, tmp_path
):
    demo_load()
    event = representativity_demo_load().event
    osm = tmp_path / "talence.osm"
    osm.write_text(TALENCE_OSM, encoding="utf-8")
    osm_context_import(event=event, path=osm)
    officer = EventRoleFactory(
        event=event, user__username="officier", role=EventRole.Role.OFFICER
    ).user
    page = signed_in_page(page_factory, live_server, officer, width=1280, height=900)
    # Every request, tile.openstreetmap.org included (the shared fixture answers those).
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((live_server.url, "data:", "blob:"))
            else outside.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    with page.expect_response(lambda r: "coverage.geojson" in r.url) as read:
        page.goto(f"{live_server.url}/desk/{SLUG}/representativity/", timeout=60_000)
    data = read.value.json()
    page.wait_for_function(f"{MAP} && {MAP}.loaded() && {MAP}.areTilesLoaded()", timeout=30_000)
    page.wait_for_function(
        f"{MAP}.queryRenderedFeatures({{layers: ['coverage-cells']}}).length > 0", timeout=30_000
    )

    # The map read the shared version (the officer's API default is exact).
    assert "public=true" in read.value.url
    assert data["suppression"]["audience"] == "public"
    k = data["suppression"]["k"]
    for item in (f["properties"] for f in data["features"]):
        if item["level"] == "cell_200m":
            assert item["contributions"] is None
            assert item["contributors"] is None
        elif item["status"] != "covered":
            assert item["contributors"] is None or item["contributors"] == 0
        else:
            assert item["contributors"] >= k

    # The event's own base map: its vector tiles, its streets, the OSM credit; no raster.
    sources = page.evaluate(f"Object.values({MAP}.getStyle().sources)")
    assert any(f"/tiles/{SLUG}/basemap" in (s.get("url") or "") for s in sources)
    assert not any(s.get("type") == "raster" for s in sources)
    names = page.evaluate(
        f"{MAP}.queryRenderedFeatures({{layers: {ROADS}}}).map(f => f.properties.name)"
    )
    assert "Cours Gambetta" in names
    assert "© OpenStreetMap contributors" in page.locator(
        "#repr-map .maplibregl-ctrl-attrib"
    ).inner_text()
    layers = page.evaluate(f"{MAP}.getStyle().layers.map(l => l.id)")
    assert layers.index("coverage-cells") > layers.index("street-name")

    # Cells coloured by coverage, blank spots among them; every 1 km area outlined.
    shown = page.evaluate(
        f"{MAP}.queryRenderedFeatures({{layers: ['coverage-cells']}})"
        ".map(f => f.properties.shown)"
    )
    assert {"covered", "blank"} <= set(shown)
    assert page.evaluate(
        f"{MAP}.queryRenderedFeatures({{layers: ['coverage-areas', 'coverage-areas-hidden']}})"
        ".length"
    ) > 0
    legend = page.locator(".repr-legend").inner_text()
    assert "zone blanche" in legend
    assert page.locator("#repr-map").get_attribute("aria-label").startswith(
        "Carte de la couverture"
    )
    # The static figure is kept for print (and without JavaScript), not shown beside the map.
    figure = page.locator('[data-figure-box="coverage"]')
    assert "repr-figure--print" in figure.get_attribute("class")
    assert page.locator('img[data-figure="coverage"]').evaluate("i => i.naturalWidth") > 100

    # A blank spot's tooltip: its words and figures, as text.
    point = page.evaluate(f"""() => {{
        const cell = {MAP}.queryRenderedFeatures({{layers: ['coverage-cells']}})
            .find(f => f.properties.shown === 'blank');
        const ring = cell.geometry.coordinates[0];
        const lng = ring.slice(0, -1).reduce((s, c) => s + c[0], 0) / (ring.length - 1);
        const lat = ring.slice(0, -1).reduce((s, c) => s + c[1], 0) / (ring.length - 1);
        const p = {MAP}.project([lng, lat]);
        return [p.x, p.y];
    }}""")
    page.locator("#repr-map").scroll_into_view_if_needed()
    box = page.locator("#repr-map canvas").bounding_box()
    page.mouse.move(box["x"] + point[0], box["y"] + point[1])
    tooltip = page.wait_for_selector("#repr-map .desk-tooltip .maplibregl-popup-content")
    said = tooltip.inner_text()
    for word in ("carreau", "zone blanche", "habitants"):
        assert word in said
    assert "zone de 1 km" in said  # the area holding it, with the public figures
    assert page.evaluate(
        "() => [...document.querySelectorAll('#repr-map .maplibregl-popup-content span')]"
        ".every(s => s.children.length === 0)"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "desk_representativity_map.png"))
    assert serious_violations(page) == []

    # The exact view's map reads the exact variant.
    with page.expect_response(lambda r: "coverage.geojson" in r.url) as exact:
        page.get_by_role("link", name="Vue exacte", exact=False).first.click()
    assert "public=false" in exact.value.url
    assert exact.value.json()["suppression"]["audience"] == "organisers"
    assert errors == []
    assert outside == []
