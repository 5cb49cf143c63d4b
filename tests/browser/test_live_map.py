"""Every open citizen map shows others' contributions within seconds, without a reload.

The page follows the event's public change stream (server-sent events): a contribution
another participant sends appears on the map and in the list view (the non-map path); one
they delete disappears. The stream never holds a worker per open map (see web/live.py).
"""

from __future__ import annotations

import time

import pytest

from mapping.services.contributions import Author
from mapping.services.demo import JOIN_CODE, demo_load
from mapping.services.features import feature_submit
from mapping.services.own_data import own_contribution_delete
from mapping.services.participants import contributor_join
from tests.browser.helpers import EVENT_PATH

pytestmark = pytest.mark.django_db(transaction=True)


def listed(page, pk: str) -> str:  # type: ignore[no-untyped-def]
    return f"document.querySelector(\"#map-list [data-id='{pk}']\") !== null"


def test_an_open_map_receives_others_contributions_live(page_factory, live_server):  # type: ignore[no-untyped-def]
    demo = demo_load()
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    streams: list[object] = []
    page.on("response", lambda r: streams.append(r) if "/changes/stream/" in r.url else None)
    page.goto(live_server.url + EVENT_PATH)
    page.wait_for_selector("#event-app[data-ready=true]")
    page.wait_for_function("document.querySelector('#list-summary').innerText.length > 0")
    # The page opens the stream once loaded (it never keeps the page "loading").
    deadline = time.monotonic() + 15
    while not streams and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert streams, "the page did not open the live stream"
    assert streams[0].status == 200
    assert streams[0].headers["content-type"].startswith("text/event-stream")

    # Another participant, on another phone, adds a bench in the middle of the view.
    other = contributor_join(event=demo.event, join_code=JOIN_CODE, pseudonym="Noa")
    lon, lat = demo.event.zone.centroid.coords
    added, created = feature_submit(
        event=demo.event, author=Author(contributor=other.contributor),
        geometry={"type": "Point", "coordinates": [lon, lat]}, preset="amenity/bench")
    assert created
    page.wait_for_function(listed(page, str(added.pk)), timeout=15_000)

    # They delete it: it leaves the map that showed it.
    own_contribution_delete(contributor=other.contributor, contribution_id=str(added.pk))
    page.wait_for_function(f"!({listed(page, str(added.pk))})", timeout=15_000)
    assert errors == []
