"""Offline in a real browser: the app opens without a network, contributions wait in the
outbox (IndexedDB), are stored exactly once when the network returns, and a refusal by an
organiser reaches the participant with its reason."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from exports.services import osm_context_import
from mapping.models import MappedFeature, NuisanceReport
from mapping.services.demo import DEMO_OSM, demo_load
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import fallback_tiles_only, fill_feature, fill_report, join

pytestmark = pytest.mark.django_db(transaction=True)

OUTBOX_ITEMS = "[data-testid=outbox-list] > li"


def outbox_states(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator(OUTBOX_ITEMS).evaluate_all("items => items.map(i => i.dataset.state)")


def test_offline_contributions_wait_then_are_stored_exactly_once(page_factory, live_server):
    demo = demo_load()
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    join(page, live_server, "Lou")
    # The service worker controls the page and has a copy of the app and the event's data.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function("document.querySelector('#list-summary').innerText.length > 0")

    context = page.context
    context.set_offline(True)
    page.get_by_test_id("network-status").wait_for(state="visible")
    fill_feature(page, "45.56610", "5.93190")
    page.get_by_test_id("feature-submit").click()
    page.wait_for_function(f"document.querySelectorAll('{OUTBOX_ITEMS}').length === 1")
    fill_report(page, "45.56580", "5.93170", comment="Marteau-piqueur hors ligne", intensity=5)
    page.get_by_test_id("report-submit").click()
    page.wait_for_function(f"document.querySelectorAll('{OUTBOX_ITEMS}').length === 2")
    # Honest states: kept on the device, not "sent", and nothing reached the server.
    assert outbox_states(page) == ["waiting", "waiting"]
    assert "Envoyé" not in page.get_by_test_id("outbox").inner_text()
    assert not MappedFeature.objects.filter(author__pseudonym="Lou").exists()
    assert not NuisanceReport.objects.filter(author__pseudonym="Lou").exists()

    # Reload without a network: the service worker opens the app, the outbox is still there.
    page.reload()
    page.wait_for_selector("#event-app[data-ready=true]")
    assert page.locator("h1").inner_text() == demo.event.name
    page.wait_for_function(f"document.querySelectorAll('{OUTBOX_ITEMS}').length === 2")
    assert outbox_states(page) == ["waiting", "waiting"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id("outbox").screenshot(path=str(SCREENSHOTS / "outbox_offline_phone_fr.png"))
    ids = page.locator(OUTBOX_ITEMS).evaluate_all("items => items.map(i => i.dataset.id)")

    # Back online: both are sent, each stored once under its client id, the outbox empties.
    context.set_offline(False)
    page.get_by_test_id("outbox").wait_for(state="hidden")
    features = list(MappedFeature.objects.filter(author__pseudonym="Lou"))
    reports = list(NuisanceReport.objects.filter(author__pseudonym="Lou"))
    assert len(features) == 1
    assert len(reports) == 1
    assert sorted(str(x.pk) for x in features + reports) == sorted(ids)
    assert reports[0].comment == "Marteau-piqueur hors ligne"
    # A second flush (another "online" event) sends nothing again.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "document.querySelector('[data-testid=my-contributions]').innerText.includes('Marteau')"
    )
    assert MappedFeature.objects.filter(author__pseudonym="Lou").count() == 1
    assert NuisanceReport.objects.filter(author__pseudonym="Lou").count() == 1

    # An organiser rejects the report with a reason, through the API…
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION="Token "
        + Token.objects.create(user=demo.event.roles.get(role="organiser").user).key
    )
    answer = api.post(
        f"/api/v1/events/chambery-centre/reports/{reports[0].pk}/status/",
        {"status": "rejected", "reason": "Chantier autorisé, hors du sujet de la soirée."},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    # …and the participant sees the status and the reason.
    page.locator("#mine-refresh").click()
    mine = page.get_by_test_id("my-contributions")
    page.wait_for_function(
        "document.querySelector('[data-testid=my-contributions]').innerText.includes('Chantier')"
    )
    assert "Refusé" in mine.inner_text() or "Rejeté" in mine.inner_text()
    mine.screenshot(path=str(SCREENSHOTS / "my_contributions_rejected_phone_fr.png"))
    assert errors == []
    # demo_load() imports no OSM context: the map falls back to the external tiles.
    assert fallback_tiles_only(page_factory.outside) == []


def test_a_queued_contribution_the_server_refuses_says_why(page_factory, live_server):
    demo_load()
    page = page_factory(locale="en-GB")
    join(page, live_server, "Max")
    page.context.set_offline(True)
    fill_report(page, "45.56580", "5.93170", comment="Plus tard")
    page.get_by_test_id("observed-at").fill("2099-01-01T10:00")  # the server refuses the future
    page.get_by_test_id("report-submit").click()
    page.wait_for_function(f"document.querySelectorAll('{OUTBOX_ITEMS}').length === 1")
    page.context.set_offline(False)
    page.wait_for_function(f"document.querySelector('{OUTBOX_ITEMS}').dataset.state === 'rejected'")
    text = page.get_by_test_id("outbox").inner_text()
    assert "Refused by the server, not stored" in text
    assert "future" in text  # the server's reason, not a generic failure
    assert not NuisanceReport.objects.filter(author__pseudonym="Max").exists()
    page.get_by_test_id("outbox").screenshot(path=str(SCREENSHOTS / "outbox_refused_phone_en.png"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"{OUTBOX_ITEMS} button", has_text="Remove from this device").click()
    page.get_by_test_id("outbox").wait_for(state="hidden")


def test_the_map_of_the_zone_still_draws_offline_from_the_service_worker(page_factory, live_server):  # type: ignore[no-untyped-def]
    demo = demo_load()
    osm_context_import(event=demo.event, path=DEMO_OSM)
    page = page_factory(locale="en-GB")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.request.get(live_server.url + "/events/chambery-centre/", timeout=60_000)  # warm up
    join(page, live_server, "Lou")
    # Joining stores the base map of the zone, and the page says how much.
    status = page.get_by_test_id("offline-map-status")
    page.wait_for_selector("[data-testid=offline-map-status][data-stored]", timeout=60_000)
    listed = page.evaluate(
        "fetch('/tiles/chambery-centre/basemap/offline.json').then(r => r.json())"
    )
    assert status.get_attribute("data-stored") == str(listed["tiles"])
    assert f"{listed['tiles']} tiles" in status.inner_text()
    assert "zoom levels 12 to 16" in status.inner_text()
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    # No network at all: reload, the streets are still drawn, from the service worker's cache.
    responses: list = []
    page.context.on("response", lambda r: responses.append(r))
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function(
        "window.cartopartyMap.map.loaded() && window.cartopartyMap.map.areTilesLoaded()",
        timeout=30_000,
    )
    page.wait_for_function(
        "window.cartopartyMap.map.queryRenderedFeatures("
        "{layers: ['road-major', 'road-minor', 'road-service']}).length > 0",
        timeout=30_000,
    )
    names = page.evaluate("""window.cartopartyMap.map.queryRenderedFeatures(
        {layers: ['road-major', 'road-minor', 'road-service']})
        .map(f => f.properties.name).filter(Boolean)""")
    assert "Rue de Warens" in names
    tiles = [r for r in responses if r.url.split("?")[0].endswith(".mvt")]
    assert tiles
    assert all(r.from_service_worker for r in tiles)
    glyphs = [r for r in responses if "/tiles/fonts/" in r.url]
    assert glyphs
    assert all(r.from_service_worker and r.status == 200 for r in glyphs)
    assert all(r.status in (200, 204) for r in tiles)
    assert "Map kept on this device" in status.inner_text()  # said again, offline
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "event_map_offline_basemap_phone_en.png"))
    assert errors == []
    assert page_factory.outside == []
