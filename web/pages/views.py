"""Thin page views: one selector call, one template."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mapping import selectors
from mapping.errors import NotFound


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", {"events": selectors.event_list()})


@require_GET
def event_map(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        event = selectors.event_by_slug(slug)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(request, "pages/event_map.html", {"event": event})


@require_GET
def follow(request: HttpRequest, key: str) -> HttpResponse:
    person = selectors.contributor_by_follow_key(key)
    if person is None:
        raise Http404("Unknown follow link.")
    features, reports = selectors.contributions_of(person)
    return render(request, "pages/follow.html",
                  {"person": person, "features": features, "reports": reports})
