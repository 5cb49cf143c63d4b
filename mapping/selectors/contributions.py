"""Reads of contributions: an event's features and reports, one of them, a participant's own."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from django.contrib.gis.geos import Polygon
from django.db.models import Prefetch, QuerySet

from mapping.errors import N_, NotFound
from mapping.models import Contributor, Event, MappedFeature, NuisanceReport, StatusChange
from mapping.privacy import PUBLIC_MARGIN_DEG, widen_bounds
from mapping.selectors.filters import (
    Span,
    check_name,
    check_statuses,
    in_box,
    in_span,
    parse_bbox,
)

Row = TypeVar("Row", MappedFeature, NuisanceReport)


def history() -> Prefetch[Any]:
    """Prefetch of a contribution's status history, with the users who moved it, into a list
    (``Contribution.status_history()`` reads it).

    ``to_attr``: a prefetch into the related manager's cache clones the queryset for every
    row (≈ 40 µs each, the bulk of a 1,000-row page); a plain list does not.
    """
    return Prefetch("history", queryset=StatusChange.objects.select_related("actor_user"),
                    to_attr=MappedFeature.PREFETCHED_HISTORY)


def features_in_event(
    *, event: Event, statuses: Sequence[str] = (), bbox: str = "", preset: str = "",
    created: Span | None = None,
) -> QuerySet[MappedFeature]:
    """The event's features, filtered by status, bounding box, preset and the time they were
    added (``created``), with history."""
    qs = MappedFeature.objects.filter(event=event).select_related("author").prefetch_related(
        history()
    )
    if statuses:
        qs = qs.filter(status__in=check_statuses(statuses))
    if bbox:
        qs = in_box(qs, parse_bbox(bbox))
    if preset:
        qs = qs.filter(preset=check_name(preset, "preset"))
    qs = in_span(qs, created, start="created_at")
    return qs.order_by("created_at", "id")


def reports_in_event(
    *, event: Event, statuses: Sequence[str] = (), bbox: str = "", category: str = "",
    public_places: bool = False, observed: Span | None = None, public_times: bool = False,
) -> QuerySet[NuisanceReport]:
    """The event's nuisance reports, filtered by status, bounding box, category and the time
    observed (``observed`` meets ``observed_at``…``observed_until``).

    ``public_places``: the reader sees coarsened places, and the caller decides the box on
    them afterwards (:func:`mapping.privacy.coarsen_geometry`): the exact place must not
    decide what the box returns. The query then returns every report whose public place may
    fall in the box — a superset, read from the spatial index alone: the geometry's bounding
    rectangle meets the box grown by one grid step (a centroid lies within the rectangle, and
    rounding moves it at most half a step). No geometry is computed in SQL: four centroids per
    row were half of a public page's query on SpatiaLite. A participant's own reports, which
    they see exactly, lie in the same superset (the caller decides them on their exact
    geometry). ``public_times``: ``observed`` is decided on the public times (to the hour).
    """
    qs = NuisanceReport.objects.filter(event=event).select_related("author").prefetch_related(
        history()
    )
    if statuses:
        qs = qs.filter(status__in=check_statuses(statuses))
    if bbox:
        box = parse_bbox(bbox)
        qs = _public_place_may_be_in(qs, box.extent) if public_places else in_box(qs, box)
    if category:
        qs = qs.filter(category=check_name(category, "category"))
    qs = in_span(qs, observed, start="observed_at", end="observed_until", public=public_times)
    return qs.order_by("created_at", "id")


def _public_place_may_be_in(qs: QuerySet[NuisanceReport],
                            bounds: tuple[float, float, float, float]) -> QuerySet[NuisanceReport]:
    """Reports whose public place may lie within ``bounds`` (see :func:`reports_in_event`)."""
    return in_box(qs, Polygon.from_bbox(widen_bounds(bounds, PUBLIC_MARGIN_DEG)), exact=False)


def feature_in_event(*, event: Event, contribution_id: str) -> MappedFeature:
    """One feature of the event; NotFound otherwise (also for a malformed id)."""
    found: MappedFeature = _one(features_in_event(event=event), contribution_id, "feature")
    found.event = event  # known already: permission checks need not read it again
    return found


def report_in_event(*, event: Event, contribution_id: str) -> NuisanceReport:
    """One nuisance report of the event; NotFound otherwise."""
    found: NuisanceReport = _one(reports_in_event(event=event), contribution_id, "report")
    found.event = event
    return found


def _one(qs: QuerySet[Any], contribution_id: str, what: str) -> Any:
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
        MappedFeature.objects.filter(author=contributor).prefetch_related(history())
        .order_by("-created_at")
    )
    reports = list(
        NuisanceReport.objects.filter(author=contributor).prefetch_related(history())
        .order_by("-created_at")
    )
    return features, reports
