"""Thin page views: one selector call, one template."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mapping import permissions, selectors
from mapping.errors import NotFound
from mapping.presets import nuisance_categories, tag_presets
from web import basemaps, links
from web.api.participants import export_response
from web.api.profiles import questions as profile_questions
from web.desk.map_sources import map_sources
from web.pages import offline


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", {"events": selectors.event_list()})


@require_GET
def event_map(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    # Others' contributions: the bbox lists, or the public data tiles for a large event.
    return render(request, "pages/event_map.html",
                  {"event": event, "preset_icons": offline.preset_icons(),
                   "basemap_style_url": basemaps.style_url(event),
                   "map_sources": map_sources(event=event, audience="citizen"),
                   "profile_questions": profile_questions()})


def _event(slug: str) -> Any:
    try:
        return selectors.event_by_slug(slug)
    except NotFound as exc:
        raise Http404(exc.message) from None


@require_GET
def join_qr(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's join QR code (SVG): the map page with the join code; organisers only."""
    event = _event(slug)
    if not permissions.can_moderate(request.user, event):
        raise Http404("No such QR code.")
    svg = offline.join_qr_svg(links.absolute(offline.join_path(event)))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site root so that it controls every page."""
    response = render(request, "pages/sw.js", {
        "version": offline.shell_version(), "shell_json": json.dumps(offline.shell_urls()),
    }, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def _local(names: Mapping[str, str] | None, fallback: str) -> str:
    """The name in the active language from ``{"en": …, "fr": …}``."""
    if not names:
        return fallback
    lang = (get_language() or "fr")[:2]
    return names.get(lang) or names.get("en") or fallback


def _rejection_reason(item: Any) -> str:
    """The reason of the latest rejection, when the contribution stands rejected."""
    if item.status != "rejected":
        return ""
    reasons = [c.reason for c in item.status_history() if c.to_status == "rejected"]
    return reasons[-1] if reasons else ""


def _label(features: list[Any], reports: list[Any]) -> None:
    """Attach display names (preset, category, sources) and the rejection reason."""
    presets, categories = tag_presets(), nuisance_categories()
    for item in features:
        preset = presets.get(item.preset)
        first_tag = next(iter(item.tags.items()), None)
        fallback = item.tags.get("name") or ("=".join(first_tag) if first_tag else item.preset)
        item.display_name = _local(preset["name"], item.preset) if preset else fallback
        item.rejection_reason = _rejection_reason(item)
    for item in reports:
        category = categories.get(item.category) or {"name": None, "sources": {}}
        item.display_name = _local(category["name"], item.category)
        item.source_names = [_local(category["sources"].get(s), s) for s in item.sources]
        item.rejection_reason = _rejection_reason(item)


@never_cache
@require_GET
def follow(request: HttpRequest, key: str) -> HttpResponse:
    person = selectors.contributor_by_follow_key(key)
    if person is None:
        raise Http404("Unknown follow link.")
    features, reports = selectors.contributions_of(person)
    _label(features, reports)
    return render(request, "pages/follow.html", {
        "person": person, "features": features, "reports": reports, "follow_key": key})


@never_cache
@require_GET
def follow_export(request: HttpRequest, key: str) -> HttpResponse:
    """The participant's contributions as a GeoJSON download, through the private link."""
    person = selectors.contributor_by_follow_key(key)
    if person is None:
        raise Http404("Unknown follow link.")
    return export_response(person)
