"""Reads for the organisers' desk: my events, the moderation queue, grid progress, live feed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from shapely import STRtree
from shapely import wkb as shapely_wkb

from mapping import grids
from mapping.errors import InvalidInput, NotFound
from mapping.models import (
    Event,
    EventWidget,
    GridCell,
    MappedFeature,
    NuisanceReport,
    StatusChange,
    Team,
)
from mapping.workflow import Status

QUEUE_LIMIT = 500


def events_of(user: Any) -> QuerySet[Event]:
    """The events where ``user`` holds a role (every event for superusers)."""
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(roles__user=user).distinct()


def widget_of(event: Event) -> EventWidget:
    """The event's widget settings (defaults when never saved: nobody may frame it)."""
    found = EventWidget.objects.filter(event=event).first()
    return found or EventWidget(event=event)


def teams_of(event: Event) -> QuerySet[Team]:
    """The event's teams."""
    return Team.objects.filter(event=event)


def grid_of(event: Event) -> QuerySet[GridCell]:
    """The event's grid squares, row-major, with their team."""
    return GridCell.objects.filter(event=event).select_related("team").order_by("row", "col")


def cell_in_event(*, event: Event, cell_id: object) -> GridCell:
    """One square of the event's grid; NotFound otherwise."""
    try:
        found = grid_of(event).filter(pk=int(str(cell_id))).first()
    except ValueError:
        found = None
    if found is None:
        msg = f"No grid square {cell_id} in this event."
        raise NotFound(msg)
    return found


@dataclass
class QueueFilters:
    """What the moderator narrowed the queue to (empty: everything)."""

    status: str = Status.RECEIVED
    kind: str = ""  # "features", "reports" or both
    category: str = ""  # a nuisance category or a feature preset
    cell: GridCell | None = None
    contributor: str = ""  # pseudonym, case-insensitive

    def __post_init__(self) -> None:
        if self.status and self.status not in set(Status):
            msg = f"Unknown status {self.status!r}."
            raise InvalidInput(msg, field="status")
        if self.kind not in ("", "features", "reports"):
            msg = "kind must be 'features' or 'reports'."
            raise InvalidInput(msg, field="kind")


def _filtered(qs: QuerySet, filters: QueueFilters, category_field: str) -> QuerySet:
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(**{category_field: filters.category})
    if filters.cell is not None:
        qs = qs.filter(geometry__intersects=filters.cell.geometry)
    if filters.contributor:
        qs = qs.filter(author__pseudonym__iexact=filters.contributor)
    return qs.select_related("author", "entered_by").prefetch_related("history__actor_user")


def moderation_queue(*, event: Event, filters: QueueFilters) -> list[Any]:
    """Features and reports to moderate, oldest first (first come, first served)."""
    items: list[Any] = []
    if filters.kind in ("", "features"):
        items += list(_filtered(MappedFeature.objects.filter(event=event), filters, "preset")
                      .order_by("created_at")[:QUEUE_LIMIT])
    if filters.kind in ("", "reports"):
        items += list(_filtered(NuisanceReport.objects.filter(event=event), filters, "category")
                      .order_by("created_at")[:QUEUE_LIMIT])
    items.sort(key=lambda item: (item.created_at, str(item.pk)))
    return items[:QUEUE_LIMIT]


@dataclass
class CellProgress:
    """A square with its effective state and what was contributed inside it."""

    cell: GridCell
    state: str
    features: int = 0
    reports: int = 0


@dataclass
class GridProgress:
    """The whole grid's progress."""

    cells: list[CellProgress] = field(default_factory=list)
    by_state: dict[str, int] = field(default_factory=dict)

    @property
    def done(self) -> int:
        """Squares done or validated."""
        return self.by_state.get("done", 0) + self.by_state.get("validated", 0)


def _points(qs: QuerySet) -> list[Any]:
    return [shapely_wkb.loads(bytes(g.wkb)) for g in qs.values_list("geometry", flat=True)]


def grid_progress(*, event: Event, now: dt.datetime | None = None) -> GridProgress:
    """Effective state of each square (expired locks count as "to map") and counts inside."""
    now = now or timezone.now()
    cells = list(grid_of(event))
    progress = GridProgress(cells=[
        CellProgress(cell=c, state=grids.effective_state(c.state, c.locked_until, now).value)
        for c in cells
    ])
    progress.by_state = dict(Counter(p.state for p in progress.cells))
    if not cells:
        return progress
    tree = STRtree([shapely_wkb.loads(bytes(c.geometry.wkb)) for c in cells])
    live = ~Q(status__in=[Status.REJECTED, Status.MERGED])
    for attr, model in (("features", MappedFeature), ("reports", NuisanceReport)):
        for geom in _points(model.objects.filter(live, event=event)):
            for index in tree.query(geom, predicate="intersects"):
                counted = progress.cells[int(index)]
                setattr(counted, attr, getattr(counted, attr) + 1)
    return progress


def changes_since(*, event: Event, since: dt.datetime) -> list[StatusChange]:
    """Status changes (new contributions included) of the event from ``since`` on, oldest first."""
    return list(
        StatusChange.objects.filter(
            Q(feature__event=event) | Q(report__event=event), created_at__gte=since
        ).select_related("feature", "report", "feature__author", "report__author", "actor_user")
        .order_by("created_at", "id")[:200]
    )
