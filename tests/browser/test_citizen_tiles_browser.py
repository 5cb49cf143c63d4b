"""The citizen map of a large event draws others' contributions from the data tiles (issue 11).

The threshold is lowered (``MAP_TILES_ABOVE``: the live server runs in this process), so the
demo's few contributions stand for a large event. Every wait is on an explicit state of the
page (a source loaded, features rendered, a tile version read), never on a sleep.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from mapping.models import MappedFeature, NuisanceReport
from mapping.services.contributions import Author
from mapping.services.demo import JOIN_CODE
from mapping.services.demo import demo_load as load_demo
from mapping.services.features import feature_submit
from mapping.services.participants import contributor_join
from mapping.services.reports import report_submit
from tests.browser.helpers import (
    EVENT_PATH,
    fallback_tiles_only,
    fill_feature,
    fill_report,
    join,
)

pytestmark = pytest.mark.django_db(transaction=True)

TILE_LAYERS = {"features": "feature-points-tiles", "reports": "report-points-tiles"}
GEOJSON_LAYERS = ["feature-points", "feature-lines", "feature-areas", "report-points"]
# Both tile sources read (TileJSON and the tiles in view) and nothing left to draw.
TILES_LOADED = """() => { const v = window.cartopartyMap; if (!v) return false; const m = v.map;
  return ['features-tiles', 'reports-tiles'].every(s => m.getSource(s) && m.isSourceLoaded(s))
    && m.loaded(); }"""


def demo_load() -> Any:
    """The demo, as an event mapped a while ago: its contributions older than the live
    stream's catch-up (a map that opens gets what changed in the last seconds — here, the
    whole demo, which would fill the lists beyond their first page)."""
    demo = load_demo()
    earlier = timezone.now() - dt.timedelta(minutes=1)
    for model in (MappedFeature, NuisanceReport):
        model.objects.filter(event=demo.event).update(updated_at=earlier)
    return demo


def rendered(page, layers: list[str]) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """What the map draws now in ``layers``: each item's properties and coordinates."""
    return page.evaluate("""ls => { const m = window.cartopartyMap.map;
        const present = ls.filter(l => m.getLayer(l));
        return present.length ? m.queryRenderedFeatures({layers: present}).map(f => ({
          ...f.properties, source: f.source, coordinates: f.geometry.coordinates})) : []; }""",
                         layers)


def drawn_from_tiles(page, layer: str, pk: str) -> str:  # type: ignore[no-untyped-def]
    return (f"window.cartopartyMap && window.cartopartyMap.map.getLayer('{layer}') && "
            f"window.cartopartyMap.map.queryRenderedFeatures({{layers: ['{layer}']}})"
            f".some(f => f.properties.id === '{pk}')")


def data_tile_requests(page, slug: str) -> list[Any]:  # type: ignore[no-untyped-def]
    seen: list[Any] = []
    page.on("request", lambda r: seen.append(r) if f"/tiles/{slug}/" in r.url
            and "/basemap" not in r.url and r.url.split("?")[0].endswith(".mvt") else None)
    return seen


def click_first(page, layer: str) -> None:  # type: ignore[no-untyped-def]
    """Tap the first item the map draws in ``layer``."""
    point = page.evaluate("""l => { const m = window.cartopartyMap.map;
        const f = m.queryRenderedFeatures({layers: [l]})[0];
        const p = m.project(f.geometry.coordinates);
        return {x: p.x, y: p.y}; }""", layer)
    # On the canvas (scrolled into view first: a form may have scrolled the page).
    page.locator("#map canvas").click(position=point)


def open_map(page, live_server):  # type: ignore[no-untyped-def]
    """The map page, once its live stream is open (changes made after it reach the page)."""
    with page.expect_response(lambda r: "/changes/stream/" in r.url) as stream:
        page.goto(live_server.url + EVENT_PATH)
        page.wait_for_selector("#event-app[data-ready=true]")
    assert stream.value.status == 200


def test_others_contributions_come_from_public_tiles_and_arrive_live(
        page_factory, live_server, settings):
    settings.MAP_TILES_ABOVE = 0
    demo = demo_load()
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    tiles = data_tile_requests(page, demo.event.slug)
    bbox_reads: list[str] = []
    page.on("request", lambda r: bbox_reads.append(r.url) if "bbox=" in r.url else None)
    open_map(page, live_server)
    page.wait_for_function(TILES_LOADED)
    page.wait_for_function("window.cartopartyMap.drawnIds().length > 0")

    assert page.evaluate("['features-tiles', 'reports-tiles'].map(s => "
                         "window.cartopartyMap.map.getSource(s).type)") == ["vector", "vector"]
    # Every contribution drawn comes from a data tile: no bbox list feeds the map.
    drawn = rendered(page, [*TILE_LAYERS.values(), *GEOJSON_LAYERS])
    assert drawn
    assert {item["source"] for item in drawn} <= {"features-tiles", "reports-tiles"}
    assert rendered(page, GEOJSON_LAYERS) == []
    reports = rendered(page, [TILE_LAYERS["reports"]])
    assert reports
    assert {r["coarsened"] for r in reports} == {True}  # others' reports: the public places
    layers = {r.url.split(f"/tiles/{demo.event.slug}/")[1].split("/")[0] for r in tiles}
    assert layers == {"features", "reports"}
    # The public view: no session with the tiles (all_headers: .headers leaves cookies out).
    assert all("cookie" not in r.all_headers() for r in tiles)
    # The list view (the non-map path) still reads the visible area's first page.
    assert any("/features/?bbox=" in u for u in bbox_reads)
    # A tap on a report drawn from a tile opens its popup, from the tile's properties.
    click_first(page, TILE_LAYERS["reports"])
    popup = page.locator(".maplibregl-popup-content")
    popup.wait_for()
    said = popup.inner_text().replace("\xa0", " ")
    assert "État : " in said
    assert "Constaté : " in said

    # Another participant, on another phone, adds a bench and reports a noise mid-view.
    other = contributor_join(event=demo.event, join_code=JOIN_CODE, pseudonym="Noa")
    lon, lat = demo.event.zone.centroid.coords
    added, _ = feature_submit(
        event=demo.event, author=Author(contributor=other.contributor),
        geometry={"type": "Point", "coordinates": [lon, lat]}, preset="amenity/bench")
    reported = report_submit(
        event=demo.event, author=Author(contributor=other.contributor),
        geometry={"type": "Point", "coordinates": [lon + 0.0004, lat]},
        category="noise", intensity=3, observed_at=timezone.now()).contribution
    # The stream fires, the tiles are read again under a new version: both are drawn.
    page.wait_for_function(drawn_from_tiles(page, TILE_LAYERS["features"], str(added.pk)),
                           timeout=20_000)
    page.wait_for_function(drawn_from_tiles(page, TILE_LAYERS["reports"], str(reported.pk)),
                           timeout=20_000)
    versions = page.evaluate("window.cartopartyMap.tileVersions()")
    assert set(versions) == {"features", "reports"}
    assert any(f"v={versions['features']}".replace(":", "%3A").replace("+", "%2B") in r.url
               for r in tiles)
    (new_report,) = [r for r in rendered(page, [TILE_LAYERS["reports"]])
                     if r["id"] == str(reported.pk)]
    assert new_report["coarsened"] is True
    # … and the list view shows the bench too.
    page.wait_for_function(f"document.querySelector(\"#map-list [data-id='{added.pk}']\")")
    assert errors == []
    assert fallback_tiles_only(page_factory.outside) == []  # the demo has no OSM context here


def test_own_contributions_are_drawn_exact_and_left_out_of_the_tiles(
        page_factory, live_server, settings):
    settings.MAP_TILES_ABOVE = 0
    demo_load()
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Joined once the live stream is open: the report below reaches it.
    with page.expect_response(lambda r: "/changes/stream/" in r.url):
        join(page, live_server, "Alex")
    page.wait_for_function(TILES_LOADED)
    fill_report(page, "45.56590", "5.93150", comment="Souffleuse à feuilles")
    page.get_by_test_id("report-submit").click()
    # A noise report of the demo is 40 m away: "is it this one?" comes first.
    page.get_by_test_id("nearby-panel").wait_for(state="visible")
    with page.expect_response("**/chambery-centre/reports/") as sent:
        page.get_by_test_id("nearby-different").click()
    assert sent.value.status == 201
    page.wait_for_function("document.querySelector('[data-testid=my-contributions]')"
                           ".innerText.includes('Souffleuse')")
    mine = NuisanceReport.objects.get(author__pseudonym="Alex")
    pk = str(mine.pk)
    # Drawn from the phone's GeoJSON at the exact place it was sent from…
    page.wait_for_function(f"window.cartopartyMap.drawnIds().includes('{pk}')")
    own = [r for r in rendered(page, ["report-points"]) if r["item_id"] == pk]
    assert own, rendered(page, ["report-points"])
    # (a point on a tile's edge is rendered once per tile: the same place each time)
    for item in own:
        assert item["coordinates"] == pytest.approx([5.93150, 45.56590], abs=2e-5)
    # … and not a second time from the tiles, once they were read again after the stream.
    page.wait_for_function("'reports' in window.cartopartyMap.tileVersions()", timeout=20_000)
    page.wait_for_function(TILES_LOADED)
    assert pk not in {r["id"] for r in rendered(page, [TILE_LAYERS["reports"]])}
    assert page.evaluate(f"window.cartopartyMap.map.querySourceFeatures('reports-tiles', "
                         f"{{sourceLayer: 'reports'}}).some(f => f.properties.id === '{pk}')")
    assert errors == []


def test_data_tiles_still_draw_after_an_offline_reload(page_factory, live_server, settings):
    settings.MAP_TILES_ABOVE = 0
    demo_load()
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + EVENT_PATH)
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # Controlled by the service worker: the tiles it serves are kept.
    page.reload()
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function(TILES_LOADED)
    online = sorted(page.evaluate("window.cartopartyMap.drawnIds()"))
    assert online

    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function(TILES_LOADED)
    page.wait_for_function(f"window.cartopartyMap.drawnIds().length >= {len(online)}")
    assert sorted(page.evaluate("window.cartopartyMap.drawnIds()")) == online
    assert {item["source"] for item in rendered(page, [*TILE_LAYERS.values()])} == {
        "features-tiles", "reports-tiles"}
    assert errors == []


def test_below_the_threshold_the_map_still_reads_the_lists(page_factory, live_server):
    demo = demo_load()
    page = page_factory()
    tiles = data_tile_requests(page, demo.event.slug)
    page.goto(live_server.url + EVENT_PATH)
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function("window.cartopartyMap.drawnIds().length > 0")
    assert page.evaluate("window.cartopartyMap.tiledLayers") == []
    assert page.evaluate("window.cartopartyMap.map.getSource('features-tiles')") is None
    drawn = rendered(page, GEOJSON_LAYERS)
    assert drawn
    assert {item["source"] for item in drawn} <= {"features", "reports"}
    assert tiles == []


@pytest.mark.parametrize(("above", "locale", "note"), [
    (0, "fr-FR", "La carte les montre tous ; ces listes n’en contiennent que les premiers"),
    (0, "en-GB", "The map shows them all; these lists hold only the first ones"),
    (None, "fr-FR", None),  # below the threshold: the summary as before
])
def test_the_list_says_when_it_holds_only_the_first_page(page_factory, live_server, settings,
                                                         above, locale, note):
    settings.API_PAGE_SIZE = 1
    if above is not None:
        settings.MAP_TILES_ABOVE = above
    demo_load()
    page = page_factory(locale=locale)
    page.goto(live_server.url + EVENT_PATH)
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function("document.querySelector('#list-summary').innerText.length > 0")
    summary = page.locator("#list-summary").inner_text()
    assert page.locator("#feature-list > li").count() == 1
    if note:
        assert note in summary
    else:
        assert "zoom" not in summary
    # The summary is a status region: screen readers hear it.
    assert page.locator("#list-summary").get_attribute("role") == "status"


def test_the_outbox_is_drawn_from_the_phone_while_offline(page_factory, live_server, settings):
    settings.MAP_TILES_ABOVE = 0
    demo_load()
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    join(page, live_server, "Lou")
    page.wait_for_function(TILES_LOADED)
    page.context.set_offline(True)
    page.get_by_test_id("network-status").wait_for(state="visible")
    fill_feature(page, "45.56610", "5.93190")
    page.get_by_test_id("feature-submit").click()
    item = page.locator("[data-testid=outbox-list] > li")
    item.wait_for()
    pk = item.get_attribute("data-id")
    # Not stored by the server, drawn all the same: from the outbox, at its exact place.
    page.wait_for_function(f"window.cartopartyMap.drawnIds().includes('{pk}')")
    drawn = [r for r in rendered(page, ["feature-points"]) if r["item_id"] == pk]
    assert drawn
    for one in drawn:
        assert one["coordinates"] == pytest.approx([5.93190, 45.56610], abs=2e-5)
    click_first(page, "feature-points")
    popup = page.locator(".maplibregl-popup-content")
    popup.wait_for()
    assert "État : Pas encore envoyé" in popup.inner_text().replace("\xa0", " ")
    assert errors == []
