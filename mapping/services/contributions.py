"""What submitting a feature and submitting a report share: author, idempotency, place.

The one write path of a contribution is :func:`submit`: it owns the transaction, in which a
mediator's participant is found or registered, the contribution is validated and inserted
with its first history line. A fresh contribution costs four statements (an id check across
both kinds, two inserts, the commit); the answer is built from what was written. A phone's
retry (the same client id) is found only when the insert fails on the primary key, so the
common case never reads before it writes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, transaction
from shapely.geometry.base import BaseGeometry

from mapping.errors import N_, CartopartyError, Conflict, InvalidInput, NotAllowed
from mapping.geometry import ZoneRules, check_in_zone, parse_geometry
from mapping.models import Channel, Contributor, Event, MappedFeature, NuisanceReport, StatusChange
from mapping.services.opening import require_open
from mapping.services.participants import contributor_register
from mapping.tags import TagIssue, tag_warnings
from mapping.workflow import Status

OTHER_EVENT_TOKEN = N_("This participant token belongs to another event.")
NO_AUTHOR = N_("Join the event first: contributions need a participant token.")
ID_TAKEN = N_("This id is already used by another contribution.")

Stored = TypeVar("Stored", MappedFeature, NuisanceReport)


@dataclass(frozen=True)
class Author:
    """Who a contribution is from, and who typed it in.

    A participant writes with their own token: ``Author(contributor=person)``. A mediator
    enters for someone without a phone: ``Author(entered_by=user, on_behalf_of="Mme Martin",
    channel=Channel.MEDIATOR)``; that participant is found or registered by the submit
    service, inside its transaction, so a refused entry leaves no participant behind.
    """

    contributor: Contributor | None = None
    entered_by: Any | None = None
    channel: str = Channel.WEB
    on_behalf_of: str | None = None


def author_for(*, participant: Contributor | None, user: Any,
               on_behalf_of: str | None) -> Author:
    """The author of an API request: the participant itself, or a mediator for someone."""
    if on_behalf_of:
        return Author(entered_by=user, on_behalf_of=on_behalf_of, channel=Channel.MEDIATOR)
    return Author(contributor=participant)


def _resolved(author: Author, event: Event) -> Author:
    """The author with their participant: checked, or registered for a mediator."""
    if author.on_behalf_of is not None:
        participant = contributor_register(event=event, mediator=author.entered_by,
                                           pseudonym=author.on_behalf_of)
        return Author(contributor=participant, entered_by=author.entered_by,
                      channel=author.channel)
    if author.contributor is None:
        raise NotAllowed(NO_AUTHOR)
    if author.contributor.event_id != event.pk:
        raise NotAllowed(OTHER_EVENT_TOKEN)
    return author


@dataclass(frozen=True)
class Submitted(Generic[Stored]):
    """What a submit service stored, or found stored under the same client id.

    Unpacks as ``(contribution, created)``. ``history`` is the contribution's status history
    as written (no re-read); ``warnings`` the tag rules' warnings (features only).
    """

    contribution: Stored
    created: bool
    history: tuple[StatusChange, ...]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.contribution, self.created))

    @property
    def warnings(self) -> list[TagIssue]:
        """What the contributor is told about valid tags (``mapping.tags``, severity warning)."""
        if isinstance(self.contribution, MappedFeature):
            return tag_warnings(self.contribution.tags)
        return []


def parse_id(raw: object) -> uuid.UUID | None:
    """A client-chosen contribution id, or None when the client did not choose one."""
    if raw is None:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise InvalidInput(N_("id must be a UUID; got {value!r}."), field="id",
                           value=raw) from None


def _other_kind(model: type[MappedFeature | NuisanceReport]) -> type[
        MappedFeature | NuisanceReport]:
    return NuisanceReport if model is MappedFeature else MappedFeature


def replayed(
    model: type[Stored], *, contribution_id: uuid.UUID, event: Event, author: Author,
) -> Submitted[Stored] | None:
    """The contribution already stored under this id by the same author, if any.

    Conflict when the id names someone else's contribution, or one of the other kind: ids
    are unique across features and reports, so a UUID means one thing everywhere.
    """
    existing = model.objects.filter(pk=contribution_id).first()
    if existing is None:
        if _other_kind(model).objects.filter(pk=contribution_id).exists():
            raise Conflict(ID_TAKEN, field="id")
        return None
    if existing.event_id != event.pk or (
            author.contributor is None or existing.author_id != author.contributor.pk):
        raise Conflict(ID_TAKEN, field="id")
    history = tuple(existing.history.select_related("actor_user"))
    return Submitted(existing, False, history)


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


def submit(
    model: type[Stored], *, event: Event, author: Author, contribution_id: uuid.UUID | None,
    build: Callable[[Author], Stored], received_at: dt.datetime | None = None,
    after: Callable[[Stored], None] | None = None,
) -> Submitted[Stored]:
    """Validate and store a new contribution in one transaction; its replay when already stored.

    ``build(author)`` validates the input and returns the unsaved contribution of the
    resolved author. Exactly once: when the same id arrives twice (a phone's retry, even at
    the same instant), the second insert fails on the primary key and the answer is what the
    first request stored; a refused input whose id is already stored by its author is a
    replay too (the zone may have changed since), so a retry never turns into an error.
    ``received_at`` is when the participant sent it (default now; a demo replaying a past
    event gives times inside its window).
    """
    who: Author | None = None
    try:
        with transaction.atomic():
            who = _resolved(author, event)
            if who.channel == Channel.WEB:
                # A participant's own phone works only while the event is open (a retry of
                # what was stored before the close is still answered as a replay, below).
                # Mediators typing in paper forms and importers are not bound by it.
                require_open(event, now=received_at)
            contribution = build(who)
            contribution.id = contribution_id or uuid.uuid4()
            if contribution_id is not None and _other_kind(model).objects.filter(
                    pk=contribution_id).exists():
                raise Conflict(ID_TAKEN, field="id")
            contribution.save(force_insert=True)
            if after is not None:  # what belongs to it (a soundscape answer), same transaction
                after(contribution)
            return Submitted(contribution, True, (record_received(contribution, who),))
    except IntegrityError:
        if contribution_id is None or who is None:
            raise
        refused: CartopartyError = Conflict(ID_TAKEN, field="id")
    except CartopartyError as error:
        if contribution_id is None or who is None:
            raise
        refused = error
    again = replayed(model, contribution_id=contribution_id, event=event, author=who)
    if again is None:
        raise refused
    return again


def record_received(contribution: MappedFeature | NuisanceReport, author: Author) -> StatusChange:
    """The first line of every history: received, from whom, typed in by whom."""
    field = "feature" if isinstance(contribution, MappedFeature) else "report"
    return StatusChange.objects.create(
        **{field: contribution},
        from_status="",
        to_status=Status.RECEIVED,
        actor_contributor=author.contributor,
        actor_user=author.entered_by,
        reason="" if author.entered_by is None else "entered by a mediator",
    )
