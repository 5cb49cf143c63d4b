"""What changed on an event's map since a moment: one answer (polling) or a live stream.

A map that knows its last ``cursor`` asks only for what changed after it: the contributions
added or changed (as the reader may see them), and the ids of those removed. Nothing changed:
304. The stream (server-sent events) pushes the same answer to every open public map within
``LIVE_POLL_SECONDS``, rendered once per process for all of them (:class:`web.live.MapFeed`),
without holding a worker or a thread per open map.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapping import selectors
from mapping.errors import N_, InvalidInput, NotFound
from mapping.models import Event
from mapping.selectors import Changes
from mapping.selectors.pages import OVERLAP, Sent, unsent
from web import live
from web.api import actors, geojson, listing
from web.api.contributions import ATTRIBUTION
from web.api.openapi import ref

BAD_SINCE = N_("since must be a moment with its offset, e.g. 2026-06-21T18:00:00+02:00 "
               "(the cursor of the previous answer).")
STREAMS_FULL = _("Too many live maps are open: retry in a moment (or poll …/changes/).")
# Older than this, a map is better off reloading its area than replaying every change.
MAX_AGE = dt.timedelta(days=1)


def parse_since(raw: str) -> dt.datetime:
    """``?since=`` as an aware moment; InvalidInput otherwise."""
    try:
        moment = parse_datetime(raw) if raw else None
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not timezone.is_aware(moment):
        raise InvalidInput(BAD_SINCE, field="since")
    return moment


def changes_json(changes: Changes, *, moderator: bool) -> dict[str, Any]:
    """The answer's body: new cursor, completeness, changed items per kind, removed ids."""
    features = [geojson.feature(f, moderator=moderator) for f in changes.features]
    reports = [geojson.report(view) for view in changes.reports]
    return {
        "cursor": changes.cursor.isoformat(), "complete": changes.complete,
        "features": geojson.collection(features, **ATTRIBUTION),
        "reports": geojson.collection(reports, **ATTRIBUTION),
        "removed": [{"kind": kind, "id": pk} for kind, pk in changes.removed],
    }


class EventChangesApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("since", str, required=True, description=(
        "The cursor of the previous answer (an ISO 8601 moment with offset)."))],
        responses={200: ref("Changes"), 304: None},
        summary="What changed on the map since a moment (304 when nothing did)",
        operation_id="events_changes")
    def get(self, request: Request, slug: str) -> HttpResponse:
        event = actors.event(request, slug)
        since = parse_since(request.query_params.get("since", ""))
        reader = actors.reader(request)
        access = selectors.access_of(reader, event)
        version = selectors.contributions_version(event)
        tag = listing.etag(version.tag, access, request)
        if version.latest is None or version.latest < since - OVERLAP:
            return listing.conditional(request, tag, lambda: HttpResponse(status=304))
        if since < timezone.now() - MAX_AGE:
            return listing.conditional(request, tag, lambda: Response(
                {"cursor": timezone.now().isoformat(), "complete": False, "features": None,
                 "reports": None, "removed": []}))
        return listing.conditional(request, tag, lambda: Response(changes_json(
            selectors.changes_after(event=event, reader=reader, since=since),
            moderator=access.moderator)))


def public_version(event_id: int) -> str:
    """The event's version (the map feed's poller, in a pool thread)."""
    # The pool thread's connection follows CONN_MAX_AGE and the health checks: one the
    # database closed (a restart, an administrator) is replaced, not reused broken.
    close_old_connections()
    return selectors.contributions_version(Event(pk=event_id)).tag


def public_changes(event_id: int, since: dt.datetime, sent: Sent | None = None,
                   ) -> tuple[str | None, dt.datetime]:
    """The public view of what changed after ``since``, as one server-sent event; with
    ``sent`` (a live feed's record), only what it has not sent yet — None when that is
    nothing."""
    close_old_connections()
    changes = selectors.changes_after(event=Event(pk=event_id), reader=selectors.Reader(),
                                      since=since)
    if sent is not None:
        changes = unsent(changes, sent)
        if changes.complete and not (changes.features or changes.reports or changes.removed):
            return None, changes.cursor
    body = json.dumps(changes_json(changes, moderator=False))
    return (f"id: {changes.cursor.isoformat()}\nevent: changes\ndata: {body}\n\n",
            changes.cursor)


def _since(request: HttpRequest) -> dt.datetime | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("since", "")
    try:
        moment = parse_datetime(raw) if raw else None
    except (ValueError, OverflowError):
        return None
    if moment is None or not timezone.is_aware(moment):
        return None
    now = timezone.now()
    return min(max(moment, now - dt.timedelta(hours=1)), now)


@extend_schema(exclude=True)  # text/event-stream: documented in the README
async def changes_stream(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's public map, live: one ``changes`` event per change (server-sent events)."""
    try:
        # In the loop's bounded, reused pool: a per-request thread would open (and keep, for
        # CONN_MAX_AGE) a database connection per open map — PostgreSQL ran out of clients
        # at 300 phones ("too many clients already").
        event = await sync_to_async(selectors.event_by_slug, thread_sensitive=False)(slug)
    except NotFound as exc:
        return JsonResponse({"detail": exc.render(gettext), "code": "notFound"}, status=404)
    if live.open_streams() >= settings.LIVE_MAX_STREAMS:
        response = JsonResponse({"detail": str(STREAMS_FULL), "code": "unavailable"},
                                status=503)
        response["Retry-After"] = "30"
        return response
    hub = live.map_feed(version=public_version, changes=public_changes)
    response = StreamingHttpResponse(
        live.map_stream(hub=hub, event_id=event.pk, since=_since(request),
                        seconds=settings.LIVE_STREAM_SECONDS),
        content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
