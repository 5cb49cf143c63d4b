"""The live view: new contributions and decisions appear without reloading.

Server-sent events rather than Channels: one plain HTTP response per browser, kept open for
``LIVE_STREAM_SECONDS``, whose generator polls the **database** every ``LIVE_POLL_SECONDS``
for status changes (each new contribution writes a "received" change). The database is the
only source of truth, so it stays correct with several web processes behind a load balancer
(no channel layer, no Redis, no sticky sessions). The browser's ``EventSource`` reconnects by
itself and sends back the last ``id:`` it saw (a timestamp); the server re-reads a few
seconds before it (transactions may commit out of timestamp order) and the page drops the
changes it already shows by their id. Cost: one small indexed query per open page per poll,
and one worker thread per open page while the stream lasts (gunicorn: use ``--threads``).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from mapping import selectors
from mapping.models import Event, StatusChange
from web.desk import labels
from web.desk.access import OFFICERS, event_for

# Re-read this far back on each poll: a transaction that started earlier may commit later.
OVERLAP = dt.timedelta(seconds=5)


def change_payload(change: StatusChange) -> dict[str, Any]:
    """What the page needs to show one change."""
    item = change.feature or change.report
    kind = "features" if change.feature_id else "reports"
    point = item.geometry if item.geometry.geom_type == "Point" else item.geometry.point_on_surface
    if kind == "reports":
        label = labels.category_name(item.category)
    else:
        label = labels.preset_name(item.preset) if item.preset else ", ".join(
            f"{k}={v}" for k, v in list(item.tags.items())[:2])
    return {
        "change_id": change.pk, "kind": kind, "id": str(item.pk), "label": label,
        "from": change.from_status, "to": change.to_status, "status": item.status,
        "from_name": labels.status_name(change.from_status) if change.from_status else "",
        "to_name": labels.status_name(change.to_status),
        "channel_name": labels.channel_names().get(item.channel, item.channel),
        "reason": change.reason, "author": item.author.pseudonym if item.author else "",
        "channel": item.channel, "at": change.created_at.isoformat(),
        "lon": round(point.x, 6), "lat": round(point.y, 6),
    }


def _since(request: HttpRequest) -> dt.datetime:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("since", "")
    now = timezone.now()
    try:
        parsed = parse_datetime(raw) if raw else None
        if parsed is None or not timezone.is_aware(parsed):
            return now
        # Never re-send more than the page shows at load (the last hour), nor from the future.
        return min(max(parsed, now - dt.timedelta(hours=1)), now)
    except (ValueError, OverflowError):  # month 13, year 9999 at UTC-14…: start from now
        return now


def events_stream(event: Event, since: dt.datetime, *, seconds: float,
                  poll: float, language: str = "fr") -> Iterator[str]:
    """``text/event-stream`` lines: the changes after ``since``, for ``seconds``.

    The generator runs after the view returned, outside the request's translation: the
    words it sends (statuses, categories) are rendered in the ``language`` given.
    """
    with translation.override(language):
        yield from _changes(event, since, seconds=seconds, poll=poll)


def _changes(event: Event, since: dt.datetime, *, seconds: float, poll: float) -> Iterator[str]:
    yield "retry: 1500\n\n"
    seen: set[int] = set()
    cursor = since
    deadline = time.monotonic() + seconds
    while True:
        changes = selectors.changes_since(event=event, since=cursor - OVERLAP)
        fresh = [c for c in changes if c.pk not in seen and c.created_at > since - OVERLAP]
        for change in fresh:
            seen.add(change.pk)
            cursor = max(cursor, change.created_at)
            data = json.dumps(change_payload(change))
            yield f"id: {cursor.isoformat()}\nevent: change\ndata: {data}\n\n"
        if not fresh:
            yield ": keep-alive\n\n"
        if time.monotonic() >= deadline:
            return
        time.sleep(poll)


@login_required
def live(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, OFFICERS)
    recent = selectors.changes_since(
        event=event, since=timezone.now() - dt.timedelta(hours=1))[-50:]
    return render(request, "desk/live.html", {
        "event": event, "recent": [change_payload(c) for c in recent],
        "since": timezone.now().isoformat(), "zone": json.loads(event.zone.geojson),
    })


@login_required
def stream(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    event = event_for(request, slug, OFFICERS)
    response = StreamingHttpResponse(
        events_stream(event, _since(request), seconds=settings.LIVE_STREAM_SECONDS,
                      poll=settings.LIVE_POLL_SECONDS,
                      language=translation.get_language() or "fr"),
        content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
