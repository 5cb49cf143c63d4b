"""Creating carto-parties."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from mapping import permissions
from mapping.errors import Conflict, InvalidInput, NotAllowed
from mapping.geometry import parse_geometry
from mapping.models import Event, EventRole
from mapping.presets import check_known, nuisance_categories, tag_presets

EVENT_CREATE_FORBIDDEN = "Only organisers may create a carto-party."
MAX_ZONE_KM2 = 500.0


@transaction.atomic
def event_create(
    *,
    actor: Any,
    name: str,
    slug: str,
    zone_geojson: object,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    join_code: str,
    presets: list[str] | None = None,
    nuisance_categories_offered: list[str] | None = None,
    time_zone: str = "Europe/Paris",
    description: str = "",
) -> Event:
    """Create an event; its creator becomes one of its organisers."""
    if actor is not None and not permissions.can_create_event(actor):
        raise NotAllowed(EVENT_CREATE_FORBIDDEN)
    if slug != slugify(slug) or not slug:
        msg = f"The slug {slug!r} must be lower-case letters, digits and hyphens."
        raise InvalidInput(msg, field="slug")
    if ends_at <= starts_at:
        msg = "The event must end after it starts."
        raise InvalidInput(msg, field="end")
    if len(join_code.strip()) < 4:
        msg = "The join code needs at least 4 characters."
        raise InvalidInput(msg, field="join_code")
    zone = parse_geometry(zone_geojson, allowed=("Polygon",), field="zone")
    presets = check_known(presets if presets is not None else list(tag_presets()),
                          tag_presets(), field="presets")
    categories = check_known(
        nuisance_categories_offered if nuisance_categories_offered is not None
        else list(nuisance_categories()),
        nuisance_categories(), field="nuisance_categories",
    )
    event = Event(
        name=name.strip(), slug=slug, zone=GEOSGeometry(zone.wkt, srid=4326),
        starts_at=starts_at, ends_at=ends_at, join_code=join_code.strip(), presets=presets,
        nuisance_categories=categories, time_zone=time_zone, description=description,
    )
    event.full_clean(exclude=["zone"], validate_unique=False)
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        msg = f"An event with the slug {slug!r} already exists."
        raise Conflict(msg, field="slug") from None
    if actor is not None:
        EventRole.objects.create(event=event, user=actor, role=EventRole.Role.ORGANISER)
    return event
