"""A live map's reads: pages, ETags (304), what changed since a cursor, the public stream."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import json

import pytest
from asgiref.sync import sync_to_async
from django.db import close_old_connections
from django.test import AsyncClient
from django.utils import timezone

from mapping.selectors import Changes
from mapping.selectors.pages import OVERLAP, unsent
from mapping.services.own_data import own_contribution_delete
from tests.factories import ContributorFactory, MappedFeatureFactory, NuisanceReportFactory

pytestmark = pytest.mark.django_db
# Off the public grid (3 decimals): its public place differs from it.
HOME = {"type": "Point", "coordinates": [5.93214, 45.56577]}
FEATURES = "/api/v1/events/chambery/features/"
REPORTS = "/api/v1/events/chambery/reports/"
CHANGES = "/api/v1/events/chambery/changes/"


def pages(client, url: str, **params):  # type: ignore[no-untyped-def]
    """Every page of a list, following its ``next`` links."""
    found, following = [], None
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        found.append(body)
        following = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
        if following is None:
            return found
        response = client.get(following)


def test_lists_come_in_pages_that_follow_each_other(client_api, event):
    made = [MappedFeatureFactory(event=event) for _ in range(5)]
    answers = pages(client_api, FEATURES, limit=2)
    assert [body["numberReturned"] for body in answers] == [2, 2, 1]
    ids = [item["id"] for body in answers for item in body["features"]]
    assert ids == [str(f.pk) for f in sorted(made, key=lambda f: (f.created_at, str(f.pk)))]


def test_a_list_without_limit_is_bounded_by_the_page_size(client_api, event, settings):
    settings.API_PAGE_SIZE = 3
    for _ in range(4):
        NuisanceReportFactory(event=event)
    assert [b["numberReturned"] for b in pages(client_api, REPORTS)] == [3, 1]


def test_public_report_pages_keep_the_box_on_public_places(client_api, event):
    for _ in range(5):
        NuisanceReportFactory(event=event)
    answers = pages(client_api, REPORTS, limit=2, bbox="5.93,45.56,5.94,45.57")
    items = [item for body in answers for item in body["features"]]
    assert len(items) == 5
    assert all(item["properties"]["coarsened"] for item in items)


@pytest.mark.parametrize(("params", "field"), [({"limit": "0"}, "limit"),
                                                ({"limit": "many"}, "limit"),
                                                ({"limit": "99999999"}, "limit"),
                                                ({"cursor": "not-an-id"}, "cursor"),
                                                ({"cursor": "0b6f3f9e-7d51-4c33-a3a4-2a4c1f3d9e10"},
                                                 "cursor")])
def test_bad_page_parameters_are_a_400_naming_them(client_api, event, params, field):
    response = client_api.get(FEATURES, params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_an_unchanged_map_is_a_304_and_any_change_is_not(client_api, event, joined):
    feature = MappedFeatureFactory(event=event, author=joined.contributor)
    first = client_api.get(FEATURES)
    tag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    assert client_api.get(FEATURES, HTTP_IF_NONE_MATCH=tag).status_code == 304
    NuisanceReportFactory(event=event)  # another kind changed: the version moved
    second = client_api.get(FEATURES, HTTP_IF_NONE_MATCH=tag)
    assert second.status_code == 200
    own_contribution_delete(contributor=joined.contributor, contribution_id=str(feature.pk))
    assert client_api.get(FEATURES, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 200


def test_readers_with_other_views_never_share_an_etag(client_api, organiser_api, event):
    NuisanceReportFactory(event=event)
    assert client_api.get(REPORTS)["ETag"] != organiser_api.get(REPORTS)["ETag"]


def test_changes_since_a_cursor_hold_only_what_changed(client_api, event, joined):
    old = MappedFeatureFactory(event=event, author=joined.contributor)
    later = timezone.now() + dt.timedelta(seconds=10)
    # Nothing changed after the cursor: 304.
    assert client_api.get(CHANGES, {"since": later.isoformat()}).status_code == 304
    body = client_api.get(CHANGES, {"since": (timezone.now() - dt.timedelta(minutes=1))
                                    .isoformat()}).json()
    assert [item["id"] for item in body["features"]["features"]] == [str(old.pk)]
    assert body["complete"] is True
    report = NuisanceReportFactory(event=event)
    own_contribution_delete(contributor=joined.contributor, contribution_id=str(old.pk))
    again = client_api.get(CHANGES, {"since": body["cursor"]}).json()
    assert {"kind": "feature", "id": str(old.pk)} in again["removed"]
    assert [item["id"] for item in again["reports"]["features"]] == [str(report.pk)]
    # The public view, as in lists: a coarsened place.
    assert again["reports"]["features"][0]["properties"]["coarsened"] is True


@pytest.mark.parametrize("since", ["", "yesterday", "2026-06-21T18:00:00", "2026-13-40T00:00Z"])
def test_changes_need_a_moment_with_its_offset(client_api, event, since):
    response = client_api.get(CHANGES, {"since": since})
    assert response.status_code == 400
    assert response.json()["field"] == "since"


def _run(coroutine_function):  # type: ignore[no-untyped-def]
    async def fresh():  # type: ignore[no-untyped-def]
        # The test client skips the request_started signal that checks a thread's
        # connection; an earlier live-server test may have ended this thread's on PostgreSQL.
        await sync_to_async(close_old_connections)()
        return await coroutine_function()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, fresh()).result(timeout=60)


@pytest.mark.django_db(transaction=True)
def test_the_public_stream_pushes_a_new_report_coarsened(event, settings):
    settings.LIVE_POLL_SECONDS = 0.1
    settings.LIVE_STREAM_SECONDS = 20
    person = ContributorFactory(event=event)

    async def watch():  # type: ignore[no-untyped-def]
        response = await AsyncClient().get(f"/api/v1/events/{event.slug}/changes/stream/")
        assert response["Content-Type"] == "text/event-stream"
        chunks = response.streaming_content.__aiter__()
        assert (await chunks.__anext__()).startswith(b"retry:")
        await asyncio.sleep(0.3)  # the poller has read the version
        report = await sync_to_async(NuisanceReportFactory)(event=event, author=person,
                                                             geometry=_geos(HOME))
        while True:
            chunk = await asyncio.wait_for(chunks.__anext__(), 10)
            if chunk.startswith(b"id: "):
                data = json.loads(chunk.split(b"data: ", 1)[1])
                return report, data

    report, data = _run(watch)
    items = data["reports"]["features"]
    assert [item["id"] for item in items] == [str(report.pk)]
    assert items[0]["properties"]["coarsened"] is True
    assert items[0]["geometry"]["coordinates"] == [5.932, 45.566]  # never the exact one


@pytest.mark.django_db(transaction=True)
def test_each_change_reaches_an_open_map_once(event, settings):
    """Every poll re-reads the last seconds (commits may land out of order); an open map still
    gets each change once — at 300 phones the repeats were 13.6 MB/s — and a map opened just
    after it read its area gets what changed meanwhile."""
    settings.LIVE_POLL_SECONDS = 0.1
    settings.LIVE_STREAM_SECONDS = 20
    person = ContributorFactory(event=event)

    async def watch():  # type: ignore[no-untyped-def]
        before = await sync_to_async(NuisanceReportFactory)(event=event, author=person,
                                                             geometry=_geos(HOME))
        response = await AsyncClient().get(f"/api/v1/events/{event.slug}/changes/stream/")
        chunks = response.streaming_content.__aiter__()
        assert (await chunks.__anext__()).startswith(b"retry:")
        messages = [await asyncio.wait_for(chunks.__anext__(), 10)]  # what changed meanwhile
        created = [before]
        for _ in range(2):
            created.append(await sync_to_async(NuisanceReportFactory)(
                event=event, author=person, geometry=_geos(HOME)))
            await asyncio.sleep(0.3)
        try:  # about ten polls more, all within the overlap
            while True:
                messages.append(await asyncio.wait_for(chunks.__anext__(), 1.0))
        except TimeoutError:
            pass
        return created, messages

    created, messages = _run(watch)
    seen = [item["id"] for chunk in messages if chunk.startswith(b"id: ")
            for item in json.loads(chunk.split(b"data: ", 1)[1])["reports"]["features"]]
    assert set(seen) == {str(report.pk) for report in created}  # none missed
    # Those made while the map was open arrive once (what the map missed before it opened
    # may come again in the poller's first read: maps keep the highest version of an id).
    assert [seen.count(str(report.pk)) for report in created[1:]] == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_with_an_earlier_stamp_still_reaches_open_maps(event, settings):
    """A transaction stamped before one already seen commits after it: the event's version
    does not move, and the poller still reads for an overlap after the last move."""
    settings.LIVE_POLL_SECONDS = 0.1
    settings.LIVE_STREAM_SECONDS = 20
    person = ContributorFactory(event=event)

    async def watch():  # type: ignore[no-untyped-def]
        response = await AsyncClient().get(f"/api/v1/events/{event.slug}/changes/stream/")
        chunks = response.streaming_content.__aiter__()
        assert (await chunks.__anext__()).startswith(b"retry:")
        await asyncio.sleep(0.3)
        seen_first = await sync_to_async(NuisanceReportFactory)(event=event, author=person,
                                                                geometry=_geos(HOME))
        ids: list[str] = []
        # In the map's catch-up, then broadcast by the poller: the version is seen_first's.
        while ids.count(str(seen_first.pk)) < 2:
            chunk = await asyncio.wait_for(chunks.__anext__(), 10)
            if chunk.startswith(b"id: "):
                ids += [item["id"] for item in json.loads(
                    chunk.split(b"data: ", 1)[1])["reports"]["features"]]
        def commit_late():  # type: ignore[no-untyped-def]
            from django.db import transaction

            from mapping.models import NuisanceReport
            with transaction.atomic():  # visible only with its earlier stamp
                late = NuisanceReportFactory(event=event, author=person, geometry=_geos(HOME))
                NuisanceReport.objects.filter(pk=late.pk).update(
                    updated_at=seen_first.updated_at - dt.timedelta(seconds=1))
            return late

        late = await sync_to_async(commit_late)()
        try:
            while str(late.pk) not in ids:
                chunk = await asyncio.wait_for(chunks.__anext__(), 3.0)
                if chunk.startswith(b"id: "):
                    ids += [item["id"] for item in json.loads(
                        chunk.split(b"data: ", 1)[1])["reports"]["features"]]
        except TimeoutError:
            pass
        return late, ids

    late, ids = _run(watch)
    assert str(late.pk) in ids


@pytest.mark.django_db(transaction=True)
def test_a_quiet_stream_still_gives_its_cursor_for_reconnects(event, settings):
    settings.LIVE_POLL_SECONDS = 0.1
    settings.LIVE_STREAM_SECONDS = 20

    async def watch():  # type: ignore[no-untyped-def]
        response = await AsyncClient().get(f"/api/v1/events/{event.slug}/changes/stream/")
        chunks = response.streaming_content.__aiter__()
        assert (await chunks.__anext__()).startswith(b"retry:")
        return await asyncio.wait_for(chunks.__anext__(), 10)

    before = timezone.now()
    chunk = _run(watch).decode()
    assert chunk.startswith("id: ")
    assert chunk.endswith("\n\n")
    assert "data:" not in chunk
    assert dt.datetime.fromisoformat(chunk[4:].strip()) >= before


def test_a_feed_forgets_what_no_read_reaches_any_more():
    moment = timezone.now()
    sent: dict = {}
    removal = Changes(features=[], reports=[], removed=[("feature", "f1")], cursor=moment,
                      complete=True)
    assert unsent(removal, sent).removed == [("feature", "f1")]
    assert unsent(removal, sent).removed == []
    unsent(Changes(features=[], reports=[], removed=[], cursor=moment + 3 * OVERLAP,
                   complete=True), sent)
    assert sent == {}


def _geos(geojson):  # type: ignore[no-untyped-def]
    from tests.factories import geos

    return geos(geojson)


def test_the_stream_of_an_unknown_event_is_a_json_404(db, client):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/events/nowhere/changes/stream/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "notFound"


# The stream reads the event in the loop's pool thread (never a per-request thread that would
# hold a connection for the stream's life): the event must be committed to be seen there,
# and the request is made from a thread of its own (Playwright may hold this one's loop).
def _refused(slug: str, language: str):  # type: ignore[no-untyped-def]
    async def get():  # type: ignore[no-untyped-def]
        return await AsyncClient(HTTP_ACCEPT_LANGUAGE=language).get(
            f"/api/v1/events/{slug}/changes/stream/")
    return _run(get)


@pytest.mark.django_db(transaction=True)
def test_a_full_stream_hub_answers_503_with_retry_after(event, settings):  # type: ignore[no-untyped-def]
    settings.LIVE_MAX_STREAMS = 0
    response = _refused(event.slug, "en")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "unavailable"
    assert "changes" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_the_503_speaks_french(event, settings):  # type: ignore[no-untyped-def]
    settings.LIVE_MAX_STREAMS = 0
    response = _refused(event.slug, "fr")
    assert response.json()["detail"].startswith("Trop de cartes en direct")
