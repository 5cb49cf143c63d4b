"""Editing a carto-party from the organisers' desk: details, zone, offers, widget origins."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import transaction

from mapping import permissions
from mapping.errors import InvalidInput, NotAllowed
from mapping.models import Event, EventWidget
from mapping.origins import OriginError, clean_origins
from mapping.presets import check_offered, nuisance_categories, tag_presets
from mapping.services.events import checked_details, event_create, full_clean

EVENT_EDIT_FORBIDDEN = "Only this event's organisers may change it."


def _can_edit(actor: Any, event: Event) -> None:
    if not permissions.has_role(actor, event, "organiser"):
        raise NotAllowed(EVENT_EDIT_FORBIDDEN)


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: Any,
    name: str,
    zone_geojson: object,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    join_code: str,
    presets: list[str],
    nuisance_categories_offered: list[str],
    time_zone: str = "Europe/Paris",
    description: str = "",
    soundscape_enabled: bool | None = None,
) -> Event:
    """Change an event's details; the same rules as at creation apply.

    ``soundscape_enabled``: whether noise reports may carry the ISO 12913 soundscape
    questions (unchanged when None)."""
    _can_edit(actor, event)
    zone = checked_details(starts_at=starts_at, ends_at=ends_at, join_code=join_code,
                           time_zone=time_zone, zone_geojson=zone_geojson, end_field="ends_at")
    event.name = name.strip()
    event.zone = cast(Polygon, GEOSGeometry(zone.wkt, srid=4326))
    event.starts_at, event.ends_at = starts_at, ends_at
    event.join_code = join_code.strip()
    event.presets = check_offered(presets, tag_presets(), field="presets")
    event.nuisance_categories = check_offered(nuisance_categories_offered, nuisance_categories(),
                                            field="nuisance_categories")
    event.time_zone, event.description = time_zone, description
    if soundscape_enabled is not None:
        event.soundscape_enabled = bool(soundscape_enabled)
    full_clean(event, exclude=["zone", "slug"])  # e.g. no preset or no category any more
    event.save()
    return event


@transaction.atomic
def widget_configure(
    *, event: Event, actor: Any, allowed_origins: list[str], allow_contribution: bool
) -> EventWidget:
    """Which sites may frame the event's map, and whether people contribute from it."""
    _can_edit(actor, event)
    try:
        origins = clean_origins(allowed_origins)
    except OriginError as exc:
        raise InvalidInput(str(exc), field="allowed_origins") from None
    widget, _created = EventWidget.objects.update_or_create(
        event=event,
        defaults={"allowed_origins": origins, "allow_contribution": bool(allow_contribution)},
    )
    return widget


@transaction.atomic
def event_save(
    *, event: Event | None, actor: Any, slug: str, allowed_origins: list[str],
    allow_contribution: bool, **details: Any,
) -> Event:
    """Create (``event`` is None) or change an event with its widget settings, all or nothing.

    ``details`` are the keyword arguments :func:`event_update` takes (and
    :func:`mapping.services.events.event_create`, which also takes the ``slug``).
    """
    if event is None:
        event = event_create(actor=actor, slug=slug, **details)
    else:
        event = event_update(event=event, actor=actor, **details)
    widget_configure(event=event, actor=actor, allowed_origins=allowed_origins,
                     allow_contribution=allow_contribution)
    return event
