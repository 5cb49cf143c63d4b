"""The moderation queue: one page driven by the keyboard, one endpoint for (bulk) decisions."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mapping import selectors
from mapping.errors import CartopartyError, InvalidInput
from mapping.services import contribution_set_status
from mapping.workflow import Status
from web import basemaps
from web.desk import labels
from web.desk.access import ORGANISER, event_for, message
from web.desk.forms import category_choices, preset_choices

# Reason templates offered when rejecting (the author reads the reason on their follow page).
REJECT_REASONS = [
    gettext_lazy("Outside the carto-party's zone."),
    gettext_lazy("Duplicate of an existing contribution."),
    gettext_lazy("Cannot be checked on the ground."),
    gettext_lazy("The comment contains personal data."),
    gettext_lazy("Off-topic or abusive."),
    gettext_lazy("The place is too imprecise."),
]
MAX_BULK = 200


def _summary(item: Any) -> dict[str, Any]:
    history = [{"from": h.from_status, "to": h.to_status, "reason": h.reason,
                "at": h.created_at.isoformat(),
                "by": h.actor_user.get_username() if h.actor_user else ""}
               for h in item.status_history()]
    point = item.geometry.point_on_surface if item.geometry.geom_type != "Point" else item.geometry
    common = {"id": str(item.pk), "version": item.version, "status": item.status,
              "author": item.author.pseudonym if item.author else "",
              "channel": item.channel, "created_at": item.created_at.isoformat(),
              "lon": round(point.x, 6), "lat": round(point.y, 6), "history": history,
              "geometry": json.loads(item.geometry.geojson)}
    if hasattr(item, "category"):
        sources = ", ".join(labels.source_name(item.category, s) for s in item.sources)
        return {**common, "kind": "reports", "label": labels.category_name(item.category),
                "category": item.category, "text": item.comment,
                "detail": f"{item.intensity}/5 · {sources}"}
    tags = ", ".join(f"{k}={v}" for k, v in item.tags.items())
    label = labels.preset_name(item.preset) if item.preset else tags[:40]
    return {**common, "kind": "features", "label": label,
            "category": item.preset, "text": tags, "detail": ""}


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, ORGANISER)
    params = request.GET
    cells = list(selectors.grid_of(event))
    cell = next((c for c in cells if str(c.pk) == params.get("cell", "")), None)
    try:
        filters = selectors.QueueFilters(
            status=params.get("status", Status.RECEIVED), kind=params.get("kind", ""),
            category=params.get("category", ""), cell=cell,
            contributor=params.get("contributor", "").strip())
        items = selectors.moderation_queue(event=event, filters=filters)
        error = ""
    except InvalidInput as exc:
        items, error = [], message(exc)
    return render(request, "desk/moderation.html", {
        "event": event, "items": [_summary(i) for i in items], "cells": cells,
        "statuses": list(labels.status_names().items()), "params": params, "error": error,
        "names": {"status": labels.status_names(), "channel": labels.channel_names()},
        "categories": category_choices() + preset_choices(),
        "reasons": [str(r) for r in REJECT_REASONS],
        "zone": json.loads(event.zone.geojson), "basemap_style_url": basemaps.style_url(event),
    })


def _decide(event: Any, user: Any, entry: dict[str, Any], values: dict[str, Any]) -> dict:
    kind, pk = entry.get("kind"), str(entry.get("id", ""))
    find = selectors.feature_in_event if kind == "features" else selectors.report_in_event
    try:
        item = find(event=event, contribution_id=pk)
        merged_into = uuid.UUID(values["merged_into"]) if values.get("merged_into") else None
        decided = contribution_set_status(
            contribution=item, actor=user, status=str(values.get("status", "")),
            reason=str(values.get("reason", "")), merged_into=merged_into,
            expected_version=entry.get("version"))
    except CartopartyError as exc:
        return {"id": pk, "ok": False, "error": message(exc), "field": exc.field}
    except ValueError:
        return {"id": pk, "ok": False, "error": _("merged_into must be a contribution id.")}
    updated = decided.contribution
    return {"id": pk, "ok": True, "status": updated.status, "version": updated.version}


@login_required
@require_POST
def act(request: HttpRequest, slug: str) -> JsonResponse:
    """``{"items": [{"kind", "id", "version"}…], "status", "reason", "merged_into"}``.

    Each item is decided on its own (its own transaction inside the service): a stale
    version on one item does not undo the others; the answer lists every outcome.
    """
    event = event_for(request, slug, ORGANISER)
    try:
        payload = json.loads(request.body)
        entries = payload["items"]
        if not isinstance(entries, list) or not 0 < len(entries) <= MAX_BULK:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": _("Send {\"items\": [...], \"status\": ...}."),
                             "code": "invalid"}, status=400)
    results = [_decide(event, request.user, e, payload) for e in entries if isinstance(e, dict)]
    status = 200 if all(r["ok"] for r in results) else 207
    return JsonResponse({"results": results}, status=status)
