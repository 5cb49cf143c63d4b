"""The citizen map page in a real browser: join, add a feature and a report, see them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exports.services import osm_context_import
from mapping.models import MappedFeature, NuisanceReport
from mapping.services.demo import DEMO_OSM, JOIN_CODE, demo_load
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import EVENT_PATH, fallback_tiles_only, fill_feature, fill_report, join

pytestmark = pytest.mark.django_db(transaction=True)


def test_participant_joins_adds_a_feature_and_a_report(page_factory, live_server):
    demo_load()
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    join(page, live_server)

    fill_feature(page, "45.56600", "5.93210")
    with page.expect_response("**/chambery-centre/features/") as sent:
        page.get_by_test_id("feature-submit").click()
    assert sent.value.status == 201
    feature = MappedFeature.objects.get(author__pseudonym="Alex")
    assert feature.tags["amenity"] == "bench"
    assert feature.consent_osm
    assert feature.geometry.coords == pytest.approx((5.9321, 45.566))

    # Each contribution gets its own place: the location was cleared after sending.
    page.locator("#kind-report").check()
    assert page.get_by_test_id("lat").input_value() == ""
    fill_report(page, "45.56590", "5.93150", comment="Klaxons à l'heure de pointe")
    page.get_by_test_id("report-submit").click()
    # A noise report of the demo is 40 m away: "is it this one?" comes first.
    panel = page.get_by_test_id("nearby-panel")
    panel.wait_for(state="visible")
    assert "Scooters" in panel.inner_text() or "bruit" in panel.inner_text().lower()
    page.screenshot(path=str(SCREENSHOTS / "nearby_phone_fr.png"), full_page=False)
    with page.expect_response("**/chambery-centre/reports/") as sent:
        page.get_by_test_id("nearby-different").click()
    assert sent.value.status == 201
    report = NuisanceReport.objects.get(author__pseudonym="Alex")
    assert (report.category, report.intensity) == ("noise", 4)

    # Both are on the map, in the list view (the non-map path) and in "my contributions".
    for item in (feature, report):
        page.wait_for_function(
            "id => window.cartopartyMap.drawnIds().includes(id)", arg=str(item.pk)
        )
        page.locator(f"#map-list [data-id='{item.pk}']").wait_for(state="attached")
    mine = page.get_by_test_id("my-contributions")
    page.wait_for_function(
        "document.querySelector('[data-testid=my-contributions]').innerText.includes('Klaxons')"
    )
    assert "Banc" in mine.inner_text()
    # "My contributions" can be taken away as a GeoJSON file.
    with page.expect_download() as download:
        page.get_by_test_id("mine-export").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert sorted(f["id"] for f in exported["features"]) == sorted(
        [str(feature.pk), str(report.pk)]
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "event_map_phone_fr.png"), full_page=True)
    assert errors == []
    # demo_load() imports no OSM context: the map falls back to the external tiles.
    assert fallback_tiles_only(page_factory.outside) == []


def test_presets_are_searched_in_both_languages_without_accents(page_factory, live_server):
    demo_load()
    page = page_factory(locale="en-GB")
    join(page, live_server, "Sam")
    search = page.get_by_test_id("preset-search")
    search.fill("défibrillateur")  # the French name, on an English page
    assert page.get_by_test_id("preset-emergency/defibrillator").is_visible()
    assert page.get_by_test_id("preset-amenity/bench").is_hidden()
    search.fill("defibrillateur")  # accents are optional
    assert page.get_by_test_id("preset-emergency/defibrillator").is_visible()
    search.press("Enter")  # picks the first match, does not send the form
    assert page.get_by_test_id("preset-emergency/defibrillator").is_checked()
    assert page.locator("#preset-fields fieldset").count() == 1
    assert page.locator(".preset-option img").count() >= 1
    search.fill("")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#contribute").screenshot(path=str(SCREENSHOTS / "feature_form_phone_en.png"))


def test_join_code_comes_from_the_qr_code_address(page_factory, live_server):
    demo_load()
    page = page_factory()
    page.goto(f"{live_server.url}{EVENT_PATH}#code={JOIN_CODE}")
    page.wait_for_selector("#event-app[data-ready=true]")
    assert page.get_by_test_id("join-code").input_value() == JOIN_CODE
    assert "code=" not in page.url  # not kept in the history or bookmarks


def test_page_speaks_english_to_english_browsers(page_factory, live_server):
    demo_load()
    page = page_factory(width=1280, height=800, locale="en-GB")
    page.goto(f"{live_server.url}{EVENT_PATH}")
    page.wait_for_selector("#event-app[data-ready=true]")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("join-submit").inner_text() == "Join the carto-party"
    page.wait_for_function("document.querySelector('#list-summary').innerText.length > 0")
    assert "in the visible area" in page.locator("#list-summary").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "event_map_desktop_en.png"), full_page=True)
    french = page_factory(locale="fr-FR")
    french.goto(f"{live_server.url}{EVENT_PATH}")
    french.wait_for_selector("#event-app[data-ready=true]")
    assert french.locator("html").get_attribute("lang") == "fr"
    assert french.get_by_test_id("join-submit").inner_text() == "Rejoindre la cartopartie"
    french.wait_for_function("document.querySelector('#list-summary').innerText.length > 0")
    assert "zone visible" in french.locator("#list-summary").inner_text()


def test_the_citizen_map_draws_the_events_own_streets_and_text_only_popups(
    page_factory, live_server
):
    demo = demo_load()
    osm_context_import(event=demo.event, path=DEMO_OSM)
    report = (
        NuisanceReport.objects.filter(event=demo.event, status="accepted")
        .exclude(comment="")
        .first()
        or NuisanceReport.objects.filter(event=demo.event).first()
    )
    NuisanceReport.objects.filter(pk=report.pk).update(
        status="accepted", comment="<img src=x onerror=alert(1)> fort"
    )
    page = page_factory(width=800, height=900, locale="en-GB")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}{EVENT_PATH}", timeout=60_000)
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function(
        "window.cartopartyMap.map.loaded() && window.cartopartyMap.map.areTilesLoaded()",
        timeout=30_000,
    )
    page.wait_for_function(
        "window.cartopartyMap.map.queryRenderedFeatures({layers: ['street-name']}).length > 0",
        timeout=30_000,
    )
    names = page.evaluate("""window.cartopartyMap.map.queryRenderedFeatures(
        {layers: ['road-major', 'road-minor', 'road-service']})
        .map(f => f.properties.name).filter(Boolean)""")
    assert "Rue de Warens" in names
    assert (
        page.evaluate(
            "window.cartopartyMap.map.queryRenderedFeatures({layers: ['building']}).length"
        )
        > 20
    )
    assert "© OpenStreetMap contributors" in page.locator(".maplibregl-ctrl-attrib").inner_text()
    # The contributions are drawn on top of the base map, reports at their public place.
    layers = page.evaluate("window.cartopartyMap.map.getStyle().layers.map(l => l.id)")
    assert layers.index("report-points") > layers.index("street-name")
    page.wait_for_function("id => window.cartopartyMap.drawnIds().includes(id)", arg=str(report.pk))
    drawn = page.evaluate(
        """id => window.cartopartyMap.map.queryRenderedFeatures(
        {layers: ['report-points']}).find(f => f.properties.item_id === id).geometry.coordinates""",
        str(report.pk),
    )
    assert drawn[0] == pytest.approx(round(report.geometry.x, 3), abs=2e-5)
    assert drawn[1] == pytest.approx(round(report.geometry.y, 3), abs=2e-5)
    # A tap on the report opens its popup: the comment is text, never markup.
    point = page.evaluate(
        """c => { const p = window.cartopartyMap.map.project(c);
        const r = window.cartopartyMap.map.getCanvas().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""",
        drawn,
    )
    page.mouse.click(point[0], point[1])
    popup = page.locator(".maplibregl-popup-content .popup")
    popup.wait_for(state="visible")
    assert "<img src=x onerror=alert(1)> fort" in popup.inner_text()
    assert page.locator(".maplibregl-popup img").count() == 0
    assert page.get_by_test_id("lat").input_value() == ""  # a tap on an item picks no place
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "event_map_basemap_desktop_en.png"))
    assert errors == []
    assert page_factory.outside == []
