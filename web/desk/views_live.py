"""The live view: new contributions and decisions appear without reloading.

Server-sent events rather than Channels: the stream is an async view whose body comes from
the process's shared database poller (:mod:`web.live`), so an open page holds a socket, not a
worker or a thread, and the database stays the only source of truth (correct with several
web processes behind a load balancer, no channel layer, no sticky sessions). The browser's
``EventSource`` reconnects by itself and sends back the last ``id:`` it saw (a timestamp);
the server re-reads a few seconds before it and the page drops the changes it already shows
by their id.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from mapping import selectors
from mapping.models import StatusChange
from web import basemaps
from web import live as live_updates
from web.desk import labels
from web.desk.access import OFFICERS, event_for


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


@login_required
def live(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, OFFICERS)
    recent = selectors.changes_since(
        event=event, since=timezone.now() - dt.timedelta(hours=1))[-50:]
    return render(request, "desk/live.html", {
        "event": event, "recent": [change_payload(c) for c in recent],
        "since": timezone.now().isoformat(), "zone": json.loads(event.zone.geojson),
        "basemap_style_url": basemaps.style_url(event),
    })


def _payloads(language: str) -> Any:
    def render(changes: list[StatusChange]) -> list[dict[str, Any]]:
        with translation.override(language):
            return [change_payload(change) for change in changes]
    return render


@login_required
async def stream(request: HttpRequest, slug: str) -> HttpResponse:
    event = await sync_to_async(event_for)(request, slug, OFFICERS)
    if live_updates.open_streams() >= settings.LIVE_MAX_STREAMS:
        response = HttpResponse(status=503)
        response["Retry-After"] = "30"
        return response
    response = StreamingHttpResponse(
        live_updates.stream(event_id=event.pk, since=_since(request),
                            seconds=settings.LIVE_STREAM_SECONDS,
                    render=_payloads(translation.get_language() or "fr")),
        content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
