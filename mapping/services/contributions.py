"""What submitting a feature and submitting a report share: author, idempotency, place."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, transaction
from shapely.geometry.base import BaseGeometry

from mapping.errors import N_, Conflict, InvalidInput, NotAllowed
from mapping.geometry import ZoneRules, check_in_zone, parse_geometry
from mapping.models import Channel, Contributor, Event, MappedFeature, NuisanceReport, StatusChange
from mapping.services.participants import contributor_register
from mapping.workflow import Status

OTHER_EVENT_TOKEN = N_("This participant token belongs to another event.")
NO_AUTHOR = N_("Join the event first: contributions need a participant token.")
ID_TAKEN = N_("This id is already used by another contribution.")


@dataclass(frozen=True)
class Author:
    """Who a contribution is from, and who typed it in."""

    contributor: Contributor
    entered_by: Any | None
    channel: str


def resolve_author(
    *, event: Event, contributor: Contributor | None, user: Any, on_behalf_of: str | None
) -> Author:
    """The contributor itself, or a mediator entering for a (new or known) participant."""
    if on_behalf_of:
        participant = contributor_register(event=event, mediator=user, pseudonym=on_behalf_of)
        return Author(contributor=participant, entered_by=user, channel=Channel.MEDIATOR)
    if contributor is None:
        raise NotAllowed(NO_AUTHOR)
    if contributor.event_id != event.pk:
        raise NotAllowed(OTHER_EVENT_TOKEN)
    return Author(contributor=contributor, entered_by=None, channel=Channel.WEB)


def parse_id(raw: object) -> uuid.UUID | None:
    """A client-chosen contribution id, or None when the client did not choose one."""
    if raw is None:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise InvalidInput(N_("id must be a UUID; got {value!r}."), field="id",
                           value=raw) from None


def replayed(
    model: type[MappedFeature | NuisanceReport], *, contribution_id: uuid.UUID | None,
    event: Event, author: Author,
) -> MappedFeature | NuisanceReport | None:
    """The contribution already stored under this id by the same author, if any."""
    if contribution_id is None:
        return None
    existing = model.objects.filter(pk=contribution_id).first()
    if existing is None:
        # Ids are unique across both kinds, so the UUID means one thing everywhere.
        other = NuisanceReport if model is MappedFeature else MappedFeature
        if other.objects.filter(pk=contribution_id).exists():
            raise Conflict(ID_TAKEN, field="id")
        return None
    if existing.event_id != event.pk or existing.author_id != author.contributor.pk:
        raise Conflict(ID_TAKEN, field="id")
    return existing


def place(event: Event, geojson: object, *, allowed: tuple[str, ...]) -> BaseGeometry:
    """Parse and check a submitted geometry against the event's zone."""
    geom = parse_geometry(geojson, allowed=allowed)
    rules = ZoneRules(
        zone_wkt=event.zone.wkt,
        tolerance_m=settings.ZONE_TOLERANCE_M,
        max_vertices=settings.GEOMETRY_MAX_VERTICES,
    )
    check_in_zone(geom, rules)
    return geom


def to_geos(geom: BaseGeometry) -> GEOSGeometry:
    """A shapely geometry in WGS84 as a GEOS geometry for the ORM."""
    return GEOSGeometry(geom.wkb_hex, srid=4326)


def store_new(
    contribution: MappedFeature | NuisanceReport, *, event: Event, author: Author
) -> tuple[MappedFeature | NuisanceReport, bool]:
    """Insert a new contribution and its first history line; (stored, is_new).

    When the same id arrives twice at once (a phone's retry), the second insert fails on the
    primary key: answer with what the first request stored instead of a conflict.
    """
    try:
        with transaction.atomic():
            contribution.save(force_insert=True)
    except IntegrityError:
        again = replayed(type(contribution), contribution_id=contribution.pk, event=event,
                         author=author)
        if again is None:
            raise Conflict(ID_TAKEN, field="id") from None
        return again, False
    record_received(contribution, author)
    return contribution, True


def record_received(contribution: MappedFeature | NuisanceReport, author: Author) -> None:
    """The first line of every history: received, from whom, typed in by whom."""
    field = "feature" if isinstance(contribution, MappedFeature) else "report"
    StatusChange.objects.create(
        **{field: contribution},
        from_status="",
        to_status=Status.RECEIVED,
        actor_contributor=author.contributor,
        actor_user=author.entered_by,
        reason="" if author.entered_by is None else "entered by a mediator",
    )
