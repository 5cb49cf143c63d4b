"""Reads of the task grid: its squares, the teams, and what was contributed in each square."""

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
from mapping.errors import NotFound
from mapping.models import Event, GridCell, MappedFeature, NuisanceReport, Team
from mapping.workflow import Status


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


def _points(qs: QuerySet[Any]) -> list[Any]:
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
