"""Reads of contributions: an event's features and reports, one of them, a participant's own."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from django.contrib.gis.geos import Polygon
from django.db.models import Prefetch, QuerySet

from mapping.errors import N_, NotFound
from mapping.models import Contributor, Event, MappedFeature, NuisanceReport, StatusChange
from mapping.privacy import widen_bounds
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
    """Prefetch of a contribution's status history, with the users who moved it."""
    return Prefetch("history", queryset=StatusChange.objects.select_related("actor_user"))


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
    bbox_margin_deg: float = 0.0, observed: Span | None = None, public_times: bool = False,
) -> QuerySet[NuisanceReport]:
    """The event's nuisance reports, filtered by status, bounding box, category and the time
    observed (``observed`` meets ``observed_at``…``observed_until``).

    ``bbox_margin_deg`` widens the box: readers who see coarsened places are filtered on the
    coarsened point afterwards, so the exact one must not decide what the box returns.
    ``public_times``: ``observed`` is decided on the public times (to the hour).
    """
    qs = NuisanceReport.objects.filter(event=event).select_related("author").prefetch_related(
        history()
    )
    if statuses:
        qs = qs.filter(status__in=check_statuses(statuses))
    if bbox:
        box = parse_bbox(bbox)
        if bbox_margin_deg:
            box = Polygon.from_bbox(widen_bounds(box.extent, bbox_margin_deg))
        qs = in_box(qs, box)
    if category:
        qs = qs.filter(category=check_name(category, "category"))
    qs = in_span(qs, observed, start="observed_at", end="observed_until", public=public_times)
    return qs.order_by("created_at", "id")


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
