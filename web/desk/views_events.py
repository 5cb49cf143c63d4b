"""Desk pages for events: my events, create, edit, the event's hub with the widget snippet."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mapping import permissions, selectors
from mapping.errors import CartopartyError
from mapping.models import Event
from mapping.services.event_settings import event_save
from web import basemaps, links
from web.api import throttling
from web.desk.access import ORGANISER, WATCHERS, event_for, message, roles_in
from web.desk.forms import EventForm

FIELD_ALIASES = {"end": "ends_at", "zone": "zone_geojson", "zone.type": "zone_geojson",
                 "zone.coordinates": "zone_geojson"}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/home.html", {
        "events": selectors.events_of(request.user),
        "can_create": permissions.can_create_event(request.user),
    })


def _attach(form: EventForm, exc: CartopartyError) -> None:
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, message(exc))


def _save(form: EventForm, request: HttpRequest, event: Event | None) -> Event | None:
    data = form.cleaned_data
    try:
        return event_save(
            event=event, actor=request.user, slug=data["slug"], allowed_origins=form.origins(),
            allow_contribution=data["allow_contribution"], name=data["name"],
            zone_geojson=data.get("zone"), starts_at=data["starts_at"],
            ends_at=data["ends_at"], join_code=data["join_code"], presets=data["presets"],
            nuisance_categories_offered=data["nuisance_categories"],
            time_zone=data["time_zone"], description=data["description"],
            soundscape_enabled=data["soundscape_enabled"])
    except CartopartyError as exc:
        _attach(form, exc)
        return None


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_event(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        event = _save(form, request, None)
        if event is not None:
            return redirect("desk:event", slug=event.slug)
    return render(request, "desk/event_form.html", {
        "form": form, "event": None, "external_tile_url": basemaps.external_tile_url()})


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, ORGANISER)
    widget = selectors.widget_of(event)
    tz = timezone.get_current_timezone()
    initial = {
        "name": event.name, "slug": event.slug, "time_zone": event.time_zone,
        "starts_at": event.starts_at.astimezone(tz), "ends_at": event.ends_at.astimezone(tz),
        "join_code": event.join_code, "description": event.description,
        "zone_geojson": event.zone.geojson, "presets": event.presets,
        "nuisance_categories": event.nuisance_categories,
        "soundscape_enabled": event.soundscape_enabled,
        "allowed_origins": "\n".join(widget.allowed_origins),
        "allow_contribution": widget.allow_contribution,
    }
    form = EventForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid() and _save(form, request, event) is not None:
        return redirect("desk:event", slug=event.slug)
    return render(request, "desk/event_form.html", {
        "form": form, "event": event, "basemap_style_url": basemaps.style_url(event),
        "external_tile_url": basemaps.external_tile_url()})


@login_required
def event_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, WATCHERS)
    widget = selectors.widget_of(event)
    base = links.absolute("")
    script = f'<script src="{base}{reverse("embed:script", args=[event.slug])}" async></script>'
    return render(request, "desk/event.html", {
        "event": event, "widget": widget, "roles": roles_in(request, event),
        "snippet": script,
        "iframe": f'<iframe src="{base}{reverse("embed:map", args=[event.slug])}" '
                  f'title="{event.name}" width="100%" height="480" loading="lazy"></iframe>',
        "progress": selectors.grid_progress(event=event),
        "zone": json.loads(event.zone.geojson),
        "limit_factor": throttling.limit_factor(event.slug),
        "limit_factors": throttling.LIMIT_FACTORS,
    })


@login_required
@require_POST
def limits(request: HttpRequest, slug: str) -> HttpResponse:
    """An organiser multiplies the event's join and contribution limits until midnight: a
    crowded carto-party behind one network (a school, a hall) is never slowed down by them."""
    event = event_for(request, slug, ORGANISER)
    try:
        throttling.limits_raise(event=event, factor=int(request.POST.get("factor", "")))
    except ValueError:
        factors = ", ".join(f"×{f}" for f in throttling.LIMIT_FACTORS)
        return HttpResponseBadRequest(_("Choose one of %(factors)s.") % {"factors": factors})
    return redirect(reverse("desk:event", args=[event.slug]) + "#limits")
