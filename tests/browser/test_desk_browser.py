"""The organisers' desk in Debian's Chromium: keyboard moderation, live view, widget in iframe."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import threading
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from exports.services import osm_context_import
from mapping.models import EventRole, MappedFeature, NuisanceReport
from mapping.services import contributor_join, feature_submit, report_submit
from mapping.services.contributions import Author
from mapping.services.demo import DEMO_OSM, demo_load
from mapping.services.event_settings import widget_configure
from mapping.services.grid import grid_create
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import JOIN_CODE, make_event
from tests.factories import EventRoleFactory
from tests.geometries import INSIDE, INSIDE_2

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk_event():  # type: ignore[no-untyped-def]
    event = make_event()
    organiser = EventRoleFactory(event=event, user__username="orga",
                                 role=EventRole.Role.ORGANISER).user
    return event, organiser


def signed_in_page(page_factory, live_server, user, **size):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    page = page_factory(**size)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return page


def test_moderation_with_the_keyboard(page_factory, live_server, desk_event):
    event, organiser = desk_event
    joined = contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Camille")
    author = Author(contributor=joined.contributor, entered_by=None, channel="web")
    reports = [report_submit(event=event, author=author, geometry=geom, category="noise",
                             intensity=i, observed_at=timezone.now() - dt.timedelta(minutes=i),
                             comment=f"Bruit n°{i}").contribution
               for i, geom in ((1, INSIDE), (2, INSIDE_2), (3, INSIDE), (4, INSIDE_2))]
    page = signed_in_page(page_factory, live_server, organiser, width=1280, height=900)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/desk/{event.slug}/moderation/")
    items = page.locator("#queue li")
    assert items.count() == 4, errors

    # a: accept the first, the cursor moves on by itself.
    page.keyboard.press("a")
    page.wait_for_selector(f"#queue li[data-id='{reports[0].pk}'][data-status=accepted]")
    # r then 2: reject the second with the second reason template.
    page.keyboard.press("r")
    page.locator("#reject-dialog[open]").wait_for()
    page.keyboard.press("2")
    page.wait_for_selector(f"#queue li[data-id='{reports[1].pk}'][data-status=rejected]")
    # j to the fourth, m: merge it into the first.
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("m")
    page.locator("#merge-dialog[open]").wait_for()
    page.locator("#merge-target").select_option(str(reports[0].pk))
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#queue li[data-id='{reports[3].pk}'][data-status=merged]")
    page.screenshot(path=str(SCREENSHOTS / "desk_moderation_fr.png"))

    statuses = {r.pk: r.status for r in NuisanceReport.objects.all()}
    assert [statuses[r.pk] for r in reports] == ["accepted", "rejected", "received", "merged"]
    rejected = NuisanceReport.objects.get(pk=reports[1].pk).history.last()
    assert rejected.reason == "Doublon d'une contribution existante."
    assert NuisanceReport.objects.get(pk=reports[3].pk).merged_into_id == reports[0].pk
    # x, then A: bulk-accept the selection (the third one).
    page.keyboard.press("k")
    page.keyboard.press("x")
    assert page.locator("#selected-count").inner_text() == "1"
    page.keyboard.press("Shift+A")
    page.wait_for_selector(f"#queue li[data-id='{reports[2].pk}'][data-status=accepted]")
    assert errors == []


def test_live_view_receives_a_contribution_posted_through_the_api(
        page_factory, live_server, desk_event, settings):
    settings.LIVE_POLL_SECONDS = 0.2
    settings.LIVE_STREAM_SECONDS = 4  # short streams: the reconnection is exercised too
    event, organiser = desk_event
    page = signed_in_page(page_factory, live_server, organiser, width=1280, height=800)
    page.goto(f"{live_server.url}/desk/{event.slug}/live/")
    page.wait_for_selector("#live-state[data-connected='1']")

    def post(path: str, body: dict, token: str = "") -> dict:
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/events/{event.slug}/{path}", method="POST",
            data=json.dumps(body).encode(), headers={"Content-Type": "application/json",
                                                     **({"Authorization": f"Bearer {token}"}
                                                        if token else {})})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    token = post("participants/", {"join_code": JOIN_CODE, "pseudonym": "Dominique"})["token"]
    created = post("reports/", {"type": "Feature", "geometry": INSIDE, "properties": {
        "category": "noise", "intensity": 5, "observed_at": timezone.now().isoformat()}}, token)
    page.wait_for_selector(f"#live-list li[data-id='{created['id']}']", timeout=15_000)
    assert "Dominique" in page.locator(f"#live-list li[data-id='{created['id']}']").inner_text()
    assert page.locator("#live-count").inner_text() == "1"
    # After the stream closed and reopened, a second one still arrives, once.
    page.wait_for_selector("#live-state[data-opens='2']", timeout=15_000)
    second = post("reports/", {"type": "Feature", "geometry": INSIDE_2, "properties": {
        "category": "noise", "intensity": 2, "observed_at": timezone.now().isoformat()}}, token)
    page.wait_for_selector(f"#live-list li[data-id='{second['id']}']", timeout=15_000)
    assert page.locator(f"#live-list li[data-id='{created['id']}']").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "desk_live_fr.png"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def host_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A static "municipality" site on another port of localhost: another origin."""
    port = _free_port()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", tmp_path
    server.shutdown()
    server.server_close()


def test_widget_in_an_iframe_on_another_origin(page_factory, live_server, desk_event, host_site):
    event, organiser = desk_event
    origin, folder = host_site
    widget_configure(event=event, actor=organiser, allowed_origins=[origin],
                     allow_contribution=True)
    snippet = (f'<script src="{live_server.url}/embed/{event.slug}/widget.js" '
               f'data-contribute="1" data-height="560"></script>')
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ville</title></head>'
        f"<body><h1>Our town</h1>{snippet}</body></html>", encoding="utf-8")
    page = page_factory(width=1024, height=800, locale="fr-FR")
    page.goto(f"{origin}/index.html")
    frame_element = page.wait_for_selector("iframe")
    frame = frame_element.content_frame()
    frame.wait_for_selector("body[data-loaded='2']", state="attached")
    # The host page is in English: so is the widget, although the browser asks for French.
    assert frame.locator("html").get_attribute("lang") == "en"
    assert "Report a nuisance" in frame.locator("body").inner_text()

    # Contribute from inside the iframe.
    frame.locator("#embed-map").click(position={"x": 500, "y": 150})
    frame.fill("input[name=join_code]", JOIN_CODE)
    frame.fill("input[name=pseudonym]", "Voisine")
    frame.select_option("select[name=category]", "noise")
    frame.locator("#embed-contribute button[type=submit]").click()
    frame.wait_for_selector("#embed-status[data-sent='1']")
    report = NuisanceReport.objects.get(author__pseudonym="Voisine")
    assert report.channel == "web"
    page.screenshot(path=str(SCREENSHOTS / "desk_widget_iframe_en.png"))


def test_widget_contributes_a_feature_from_a_preset(page_factory, live_server, desk_event,
                                                    host_site):
    event, organiser = desk_event
    origin, folder = host_site
    widget_configure(event=event, actor=organiser, allowed_origins=[origin],
                     allow_contribution=True)
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Ville</title></head>'
        f'<body><script src="{live_server.url}/embed/{event.slug}/widget.js" '
        f'data-contribute="1" data-height="600"></script></body></html>', encoding="utf-8")
    page = page_factory(width=1024, height=800)
    page.goto(f"{origin}/index.html")
    frame = page.wait_for_selector("iframe").content_frame()
    frame.wait_for_selector("body[data-loaded='2']", state="attached")
    assert frame.locator("select[name=preset]").is_hidden()
    frame.locator("input[name=kind][value=feature]").check()
    assert frame.locator("select[name=category]").is_hidden()
    frame.locator("#embed-map").click(position={"x": 500, "y": 150})
    frame.fill("input[name=join_code]", JOIN_CODE)
    frame.fill("input[name=pseudonym]", "Voisin")
    frame.select_option("select[name=preset]", "amenity/bench")
    frame.fill("input[name=name]", "Banc de la place")
    frame.locator("#embed-contribute button[type=submit]").click()
    frame.wait_for_selector("#embed-status[data-sent='1']")
    feature = MappedFeature.objects.get(author__pseudonym="Voisin")
    assert feature.preset == "amenity/bench"
    assert feature.tags == {"amenity": "bench", "name": "Banc de la place"}
    assert not NuisanceReport.objects.filter(author__pseudonym="Voisin").exists()
    page.screenshot(path=str(SCREENSHOTS / "desk_widget_feature_fr.png"))


def test_widget_refused_to_an_origin_not_listed(page_factory, live_server, desk_event, host_site):
    event, organiser = desk_event
    origin, folder = host_site
    widget_configure(event=event, actor=organiser, allowed_origins=["https://www.chambery.fr"],
                     allow_contribution=False)
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="fr"><body><iframe id="w" '
        f'src="{live_server.url}/embed/{event.slug}/"></iframe>'
        f'<iframe id="d" src="{live_server.url}/desk/login/"></iframe></body></html>',
        encoding="utf-8")
    page = page_factory(width=1024, height=800)
    page.goto(f"{origin}/index.html")
    page.wait_for_load_state("load")
    for selector in ("#w", "#d"):
        frame = page.wait_for_selector(selector).content_frame()
        # Chromium replaces a refused frame by its own error page: no widget inside.
        assert frame.locator("#embed-map").count() == 0
        assert frame.locator("form").count() == 0


@pytest.mark.parametrize(("path", "ready"), [
    ("grid/", "#grid-summary[data-done='0']"),
    ("live/", "#live-state[data-connected='1']"),
    ("officer/", "body[data-officer-ready='1']"),
    ("edit/", "#zone-map[data-draw-ready='1'] canvas.maplibregl-canvas"),
])
def test_each_desk_page_runs_its_module(page_factory, live_server, desk_event, path, ready):
    event, organiser = desk_event
    grid_create(event=event, actor=organiser, size_m=100)
    page = signed_in_page(page_factory, live_server, organiser, width=1280, height=800)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/desk/{event.slug}/{path}")
    page.wait_for_selector(ready, state="attached")
    assert errors == []


def test_tooltips_show_contributed_text_as_text(page_factory, live_server, desk_event):
    event, organiser = desk_event
    joined = contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Camille")
    payload = "<img src=x onerror=\"document.body.dataset.pwned='1'\">"
    feature_submit(event=event, author=Author(contributor=joined.contributor),
                   geometry=INSIDE, tags={"amenity": "bench", "name": payload})
    page = signed_in_page(page_factory, live_server, organiser, width=1280, height=800)
    page.goto(f"{live_server.url}/desk/{event.slug}/officer/")
    page.wait_for_selector("body[data-officer-ready='1']", state="attached")
    page.wait_for_function(
        "window.cartopartyDeskMap.loaded() && window.cartopartyDeskMap"
        ".queryRenderedFeatures({layers: ['features-point']}).length > 0"
    )
    point = page.evaluate("""() => { const m = window.cartopartyDeskMap;
        const f = m.queryRenderedFeatures({layers: ['features-point']})[0];
        const p = m.project(f.geometry.coordinates);
        const r = m.getCanvas().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.move(point[0], point[1])
    tooltip = page.wait_for_selector(".desk-tooltip .maplibregl-popup-content")
    assert payload in tooltip.inner_text()
    assert page.locator(".desk-tooltip img").count() == 0
    assert page.locator("body[data-pwned]").count() == 0
    assert "OpenStreetMap" in page.locator("#officer-map .maplibregl-ctrl-attrib").inner_text()


@pytest.mark.parametrize(("path", "layer"), [("/desk/{}/live/", "changes"),
                                           ("/desk/{}/officer/", "reports-point"),
                                           ("/desk/{}/moderation/", "current-point"),
                                           ("/embed/{}/", "items")])
def test_live_and_officer_maps_draw_the_events_own_streets(page_factory, live_server, path, layer):  # type: ignore[no-untyped-def]
    demo = demo_load()
    osm_context_import(event=demo.event, path=DEMO_OSM)
    organiser = demo.event.roles.get(role="organiser").user
    page = signed_in_page(page_factory, live_server, organiser, width=1280, height=900)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + path.format(demo.event.slug), timeout=60_000)
    page.wait_for_function(
        "window.cartopartyDeskMap && window.cartopartyDeskMap.loaded() && "
        "window.cartopartyDeskMap.areTilesLoaded()",
        timeout=30_000,
    )
    page.wait_for_function(
        "l => window.cartopartyDeskMap.queryRenderedFeatures({layers: [l]}).length > 0",
        arg=layer,
        timeout=30_000,
    )
    names = page.evaluate("""window.cartopartyDeskMap.queryRenderedFeatures(
        {layers: ['road-major', 'road-minor', 'road-service']})
        .map(f => f.properties.name).filter(Boolean)""")
    assert "Rue de Warens" in names
    layers = page.evaluate("window.cartopartyDeskMap.getStyle().layers.map(l => l.id)")
    assert layers.index(layer) > layers.index("street-name")  # contributions on top
    assert "© OpenStreetMap contributors" in page.locator(".maplibregl-ctrl-attrib").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.split("/")[-2].strip("{}") or "widget"
    page.screenshot(path=str(SCREENSHOTS / f"{name}_basemap.png"))
    assert errors == []
    assert page_factory.outside == []
