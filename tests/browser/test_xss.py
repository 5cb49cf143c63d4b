"""No HTML from a contribution is ever interpreted, on any page (issue 14).

A small XSS corpus goes in through every way a participant or an organiser writes text —
tag values, the pseudonym, a report's comment, a rejection reason — then every page is
opened as a participant and as an organiser, with the pages' Content-Security-Policy
bypassed so that an interpreted payload would really run: each payload calls
``window.__xss`` if it ever runs, and no element it would create may appear. Leaflet
tooltips and popups are opened too (they render on hover and click).
"""

from __future__ import annotations

import pytest
from django.test import Client

from mapping.models import EventRole
from mapping.services import contributor_join
from mapping.services.contributions import Author
from mapping.services.event_settings import widget_configure
from mapping.services.features import feature_submit
from mapping.services.moderation import contribution_set_status
from mapping.services.reports import report_submit
from tests import geometries as g
from tests.conftest import JOIN_CODE, make_event

pytestmark = pytest.mark.django_db(transaction=True)

# Each calls window.__xss(n) if interpreted; short enough for a pseudonym (40 characters).
CORPUS = [
    "<img src=x onerror=__xss(1)>",
    '"><svg onload=__xss(2)>',
    "<script>__xss(3)</script>",
    "'><iframe src=javascript:top.__xss(4)>",
    "<a href=javascript:__xss(5)>x</a>",
    "{{7*7}}<b onmouseover=__xss(6)>b</b>",
]
INJECTED = ("img[src='x'], svg[onload], iframe[src^='javascript'], a[href^='javascript'],"
            " b[onmouseover],"
            " script:not([src]):not([type='application/json'])")
PARTICIPANT_PAGES = ["/events/chambery/", "/embed/chambery/", "/embed/chambery/?contribute=1"]
ORGANISER_PAGES = ["/desk/", "/desk/chambery/", "/desk/chambery/moderation/",
                   "/desk/chambery/live/", "/desk/chambery/officer/", "/desk/chambery/grid/",
                   "/admin/mapping/mappedfeature/", "/admin/mapping/contributor/"]


@pytest.fixture
def poisoned(django_user_model):  # type: ignore[no-untyped-def]
    event = make_event()
    organiser = django_user_model.objects.create_user("orga-xss", password="x", is_staff=True,
                                                      is_superuser=True)
    EventRole.objects.create(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    widget_configure(event=event, actor=organiser, allowed_origins=[], allow_contribution=True)
    people = []
    for number, payload in enumerate(CORPUS):
        joined = contributor_join(event=event, join_code=JOIN_CODE, pseudonym=payload)
        people.append(joined)
        author = Author(contributor=joined.contributor)
        lon, lat = g.INSIDE["coordinates"]
        point = {"type": "Point", "coordinates": [lon + number * 1e-4, lat]}
        feature, _ = feature_submit(event=event, author=author, geometry=point,
                                    tags={"amenity": "bench", "name": payload,
                                          "description": payload, "website": payload})
        report, _ = report_submit(event=event, author=author, geometry=point, category="noise",
                                  intensity=3, sources=["road"], comment=payload,
                                  observed_at=event.starts_at)
        contribution_set_status(contribution=report if number % 2 else feature,
                                actor=organiser, status="rejected", reason=payload)
    return event, organiser, people


def _visit(page, url: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    # Open what renders on demand: Leaflet tooltips (hover), popups (click), <details>.
    page.evaluate("""() => {
        const opened = '.leaflet-interactive, .leaflet-marker-icon, .maplibregl-marker';
        for (const node of document.querySelectorAll(opened)) {
            node.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
            node.dispatchEvent(new MouseEvent('click', {bubbles: true}));
        }
        for (const d of document.querySelectorAll('details')) d.open = true;
    }""")
    page.wait_for_timeout(200)  # let the opened tooltips render before looking


def _assert_inert(page, url: str) -> None:  # type: ignore[no-untyped-def]
    hits = page.evaluate("window.__hits")
    assert hits == [], f"{url}: a payload ran ({hits})"
    injected = page.locator(INJECTED).count()
    assert injected == 0, f"{url}: {injected} element(s) built from a payload"


def _page(page_factory, **options):  # type: ignore[no-untyped-def]
    page = page_factory(**options)
    page.add_init_script("window.__hits = []; window.__xss = (n) => window.__hits.push(n);")
    page.on("dialog", lambda dialog: dialog.dismiss())
    return page


@pytest.mark.parametrize("path", PARTICIPANT_PAGES)
def test_participants_pages_show_payloads_as_text(page_factory, live_server, poisoned, path):  # type: ignore[no-untyped-def]
    page = _page(page_factory)
    _visit(page, live_server.url + path)
    _assert_inert(page, path)


def test_the_follow_page_shows_the_reason_as_text(page_factory, live_server, poisoned):  # type: ignore[no-untyped-def]
    for joined in poisoned[2][:2]:
        page = _page(page_factory)
        url = f"{live_server.url}/follow/{joined.follow_key}/"
        _visit(page, url)
        _assert_inert(page, url)
        # The text is there, shown as typed: not swallowed, not interpreted.
        assert joined.contributor.pseudonym in page.locator("body").inner_text()


def test_a_participants_own_contributions_show_as_text(page_factory, live_server, poisoned):  # type: ignore[no-untyped-def]
    page = _page(page_factory)
    page.goto(live_server.url + "/events/chambery/")
    token = poisoned[2][0].token
    page.evaluate("([slug, token]) => localStorage.setItem('cartoparty:' + slug + ':token', "
                  "token)", ["chambery", token])
    _visit(page, live_server.url + "/events/chambery/")
    _assert_inert(page, "my contributions")


@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_organisers_pages_show_payloads_as_text(page_factory, live_server, poisoned, path):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(poisoned[1])
    page = _page(page_factory, width=1280, height=900)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    _visit(page, live_server.url + path)
    _assert_inert(page, path)
    if path == "/desk/chambery/moderation/":
        assert CORPUS[0] in page.locator("body").inner_text()
