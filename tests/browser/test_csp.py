"""Every page works under its strict Content-Security-Policy (no inline script, no foreign
origin): Chromium reports any violation on the console, and none may appear."""

from __future__ import annotations

import pytest
from django.test import Client

from mapping.models import EventRole
from mapping.services import contributor_join
from mapping.services.event_settings import widget_configure
from tests.conftest import JOIN_CODE, make_event

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = ["/", "/events/chambery/", "/desk/login/", "/api/v1/docs/",
                "/embed/chambery/", "/embed/chambery/?contribute=1", "/admin/login/"]
DESK_PAGES = ["/desk/", "/desk/chambery/", "/desk/chambery/moderation/", "/desk/chambery/live/",
              "/desk/chambery/officer/", "/desk/chambery/grid/", "/desk/chambery/paper/",
              "/desk/chambery/edit/", "/desk/chambery/representativity/", "/admin/"]


@pytest.fixture
def party(django_user_model):  # type: ignore[no-untyped-def]
    event = make_event()
    organiser = django_user_model.objects.create_user("orga-csp", password="x", is_staff=True,
                                                      is_superuser=True)
    EventRole.objects.create(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    widget_configure(event=event, actor=organiser, allowed_origins=[], allow_contribution=True)
    joined = contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Camille")
    return event, organiser, joined


def _open(page, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and (
        "Content Security Policy" in m.text or "Refused to" in m.text) else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    return problems


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_run_under_a_strict_policy(page_factory, live_server, party, path):
    page = page_factory(enforce_csp=True)
    assert _open(page, live_server.url + path) == []


def test_the_follow_page_runs_under_a_strict_policy(page_factory, live_server, party):
    page = page_factory(enforce_csp=True)
    assert _open(page, f"{live_server.url}/follow/{party[2].follow_key}/") == []


@pytest.mark.parametrize("path", DESK_PAGES)
def test_organisers_pages_run_under_a_strict_policy(page_factory, live_server, party, path):
    client = Client()
    client.force_login(party[1])
    page = page_factory(enforce_csp=True, width=1280, height=900)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    assert _open(page, live_server.url + path) == []


def test_the_self_contained_overlay_document_runs_sandboxed(client, party):
    event, organiser, _joined = party
    client.force_login(organiser)
    response = client.get(f"/api/v1/events/{event.slug}/overlay/summary.html?resamples=100")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "sandbox allow-scripts" in policy
    assert "allow-same-origin" not in policy
    assert "connect-src 'none'" in policy


@pytest.mark.parametrize("path", ["/events/chambery-centre/", "/embed/chambery-centre/"])
def test_the_events_own_base_map_draws_under_the_strict_policy(page_factory, live_server, path):
    from exports.services import osm_context_import
    from mapping.services.demo import DEMO_OSM, demo_load

    osm_context_import(event=demo_load().event, path=DEMO_OSM)
    page = page_factory(enforce_csp=True)
    page.request.get(live_server.url + path, timeout=60_000)  # a busy machine's first request
    problems = _open(page, live_server.url + path)
    handle = "window.cartopartyMap ? window.cartopartyMap.map : window.cartopartyDeskMap"
    # A function, not an expression: Playwright polls an expression with eval(), which the
    # enforced policy (no 'unsafe-eval') refuses; a function is compiled once, outside it.
    page.wait_for_function(f"() => ({handle}).loaded() && ({handle}).areTilesLoaded() && "
                           f"({handle}).queryRenderedFeatures({{layers: ['building']}}).length",
                           timeout=30_000)
    assert problems == []


def test_a_large_events_citizen_map_draws_its_data_tiles_under_the_strict_policy(
        page_factory, live_server, settings):
    """Above ``MAP_TILES_ABOVE`` the citizen map reads the data tiles (vector sources): still
    no violation."""
    from mapping.services.demo import demo_load

    settings.MAP_TILES_ABOVE = 0
    demo_load()
    page = page_factory(enforce_csp=True)
    problems = _open(page, live_server.url + "/events/chambery-centre/")
    page.wait_for_function("() => { const m = window.cartopartyMap && window.cartopartyMap.map;"
                           " return m && m.getLayer('feature-points-tiles') && m.loaded() &&"
                           " m.queryRenderedFeatures({layers: ['feature-points-tiles']}).length"
                           " > 0; }", timeout=30_000)
    assert problems == []
