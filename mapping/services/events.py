"""Creating carto-parties."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, cast

from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from mapping import permissions
from mapping.errors import N_, Conflict, InvalidInput, NotAllowed
from mapping.geometry import parse_geometry
from mapping.models import Event, EventRole
from mapping.presets import check_offered, nuisance_categories, tag_presets

EVENT_CREATE_FORBIDDEN = N_("Only organisers may create a carto-party.")
# A carto-party is a walk: even a whole town (Paris is 105 km²) stays below this.
MAX_ZONE_KM2 = 500.0
GEOD = Geod(ellps="WGS84")


def checked_details(
    *, starts_at: dt.datetime, ends_at: dt.datetime, join_code: str, time_zone: str,
    zone_geojson: object, end_field: str = "end",
) -> BaseGeometry:
    """The rules an event's details follow at creation and at every edit; returns the zone."""
    if ends_at <= starts_at:
        raise InvalidInput(N_("The event must end after it starts."), field=end_field)
    if len(join_code.strip()) < 4:
        raise InvalidInput(N_("The join code needs at least 4 characters."), field="join_code")
    if time_zone not in zoneinfo.available_timezones():
        raise InvalidInput(N_("Unknown time zone {time_zone!r}; use an IANA name such as "
                              "Europe/Paris."), field="time_zone", time_zone=time_zone[:64])
    zone = parse_geometry(zone_geojson, allowed=("Polygon",), field="zone")
    area_km2 = abs(GEOD.geometry_area_perimeter(zone)[0]) / 1e6
    if area_km2 > MAX_ZONE_KM2:
        raise InvalidInput(N_("The zone covers {area:.0f} km²; a carto-party zone is at most "
                              "{limit:.0f} km²."), field="zone", area=area_km2, limit=MAX_ZONE_KM2)
    return zone


def full_clean(event: Event, *, exclude: list[str]) -> None:
    """Django's model validation, its first problem raised as InvalidInput."""
    try:
        event.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(N_("{field_name}: {problem}"), field=field, field_name=field,
                           problem=" ".join(messages)) from None


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
    soundscape_enabled: bool = False,
) -> Event:
    """Create an event; its creator becomes one of its organisers."""
    if actor is not None and not permissions.can_create_event(actor):
        raise NotAllowed(EVENT_CREATE_FORBIDDEN)
    if slug != slugify(slug) or not slug:
        raise InvalidInput(N_("The slug {slug!r} must be lower-case letters, digits and hyphens."),
                           field="slug", slug=slug)
    zone = checked_details(starts_at=starts_at, ends_at=ends_at, join_code=join_code,
                           time_zone=time_zone, zone_geojson=zone_geojson)
    presets = check_offered(presets if presets is not None else list(tag_presets()),
                          tag_presets(), field="presets")
    categories = check_offered(
        nuisance_categories_offered if nuisance_categories_offered is not None
        else list(nuisance_categories()),
        nuisance_categories(), field="nuisance_categories",
    )
    event = Event(
        name=name.strip(), slug=slug, zone=cast(Polygon, GEOSGeometry(zone.wkt, srid=4326)),
        starts_at=starts_at, ends_at=ends_at, join_code=join_code.strip(), presets=presets,
        nuisance_categories=categories, time_zone=time_zone, description=description,
        soundscape_enabled=bool(soundscape_enabled),
    )
    full_clean(event, exclude=["zone"])
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        raise Conflict(N_("An event with the slug {slug!r} already exists."), field="slug",
                       slug=slug) from None
    if actor is not None:
        EventRole.objects.create(event=event, user=actor, role=EventRole.Role.ORGANISER)
    return event
