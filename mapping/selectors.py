"""Reads of the participatory core: querysets shaped for the API and the pages."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.contrib.gis.geos import Polygon
from django.db.models import Prefetch, QuerySet

from mapping.errors import N_, InvalidInput, NotFound
from mapping.models import Contributor, Event, MappedFeature, NuisanceReport, StatusChange
from mapping.services.participants import digest
from mapping.workflow import Status


def event_list() -> QuerySet[Event]:
    """Every event, the newest first."""
    return Event.objects.all()


def event_by_slug(slug: str) -> Event:
    """The event named by ``slug``; NotFound otherwise."""
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise NotFound(N_("No carto-party called {slug!r}."), slug=slug)
    return event


def contributor_by_token(token: str) -> Contributor | None:
    """The participant holding this secret token, if any."""
    return Contributor.objects.select_related("event").filter(token_digest=digest(token)).first()


def contributor_by_follow_key(follow_key: str) -> Contributor | None:
    """The participant whose private follow link carries this key, if any."""
    return Contributor.objects.select_related("event").filter(
        follow_digest=digest(follow_key)
    ).first()


def parse_bbox(raw: str) -> Polygon:
    """``west,south,east,north`` in WGS84 degrees → a polygon; InvalidInput when malformed."""
    try:
        west, south, east, north = (float(part) for part in raw.split(","))
    except ValueError:
        raise InvalidInput(N_("bbox must be four numbers: west,south,east,north (WGS84 degrees)."),
                           field="bbox") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidInput(
            N_("bbox is out of range or inverted: west < east in [-180, 180], "
               "south < north in [-90, 90]."), field="bbox")
    return Polygon.from_bbox((west, south, east, north))


def _check_name(value: str, field: str) -> str:
    """A filter value must be printable: a NUL byte breaks PostgreSQL's string literals."""
    if any(not char.isprintable() for char in value):
        raise InvalidInput(N_("{field_name} contains a control character."), field=field,
                           field_name=field)
    return value


def _check_statuses(statuses: Sequence[str]) -> list[str]:
    unknown = [s for s in statuses if s not in set(Status)]
    if unknown:
        raise InvalidInput(N_("Unknown status {status!r}; expected one of: {allowed}."),
                           field="status", status=unknown[0], allowed=", ".join(Status))
    return list(statuses)


def _history() -> Prefetch:
    return Prefetch("history", queryset=StatusChange.objects.select_related("actor_user"))


def features_in_event(
    *, event: Event, statuses: Sequence[str] = (), bbox: str = "", preset: str = ""
) -> QuerySet[MappedFeature]:
    """The event's features, filtered by status, bounding box and preset, with history."""
    qs = MappedFeature.objects.filter(event=event).select_related("author").prefetch_related(
        _history()
    )
    if statuses:
        qs = qs.filter(status__in=_check_statuses(statuses))
    if bbox:
        qs = qs.filter(geometry__intersects=parse_bbox(bbox))
    if preset:
        qs = qs.filter(preset=_check_name(preset, "preset"))
    return qs.order_by("created_at", "id")


def reports_in_event(
    *, event: Event, statuses: Sequence[str] = (), bbox: str = "", category: str = "",
    bbox_margin_deg: float = 0.0,
) -> QuerySet[NuisanceReport]:
    """The event's nuisance reports, filtered by status, bounding box and category.

    ``bbox_margin_deg`` widens the box: readers who see coarsened places are filtered on the
    coarsened point afterwards, so the exact one must not decide what the box returns.
    """
    qs = NuisanceReport.objects.filter(event=event).select_related("author").prefetch_related(
        _history()
    )
    if statuses:
        qs = qs.filter(status__in=_check_statuses(statuses))
    if bbox:
        box = parse_bbox(bbox)
        if bbox_margin_deg:
            west, south, east, north = box.extent
            box = Polygon.from_bbox((max(west - bbox_margin_deg, -180), max(south - bbox_margin_deg, -90),
                                     min(east + bbox_margin_deg, 180), min(north + bbox_margin_deg, 90)))
        qs = qs.filter(geometry__intersects=box)
    if category:
        qs = qs.filter(category=_check_name(category, "category"))
    return qs.order_by("created_at", "id")


def feature_in_event(*, event: Event, contribution_id: str) -> MappedFeature:
    """One feature of the event; NotFound otherwise (also for a malformed id)."""
    return _one(features_in_event(event=event), contribution_id, "feature")


def report_in_event(*, event: Event, contribution_id: str) -> NuisanceReport:
    """One nuisance report of the event; NotFound otherwise."""
    return _one(reports_in_event(event=event), contribution_id, "report")


def _one(qs: QuerySet, contribution_id: str, what: str):  # type: ignore[no-untyped-def]
    try:
        found = qs.filter(pk=uuid.UUID(str(contribution_id))).first()
    except ValueError:  # a malformed UUID names nothing
        found = None
    if found is None:
        raise NotFound(N_("No {what} {id} in this event."), what=what, id=contribution_id)
    return found


def contributions_of(contributor: Contributor) -> tuple[list[MappedFeature], list[NuisanceReport]]:
    """A participant's own features and reports, with their status history."""
    features = list(
        MappedFeature.objects.filter(author=contributor).prefetch_related(_history())
        .order_by("-created_at")
    )
    reports = list(
        NuisanceReport.objects.filter(author=contributor).prefetch_related(_history())
        .order_by("-created_at")
    )
    return features, reports
