"""The task grid: laying squares over the zone, teams, taking and finishing squares."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import IntegrityError, transaction
from django.utils import timezone
from shapely import wkt as shapely_wkt

from mapping import grids
from mapping.errors import Conflict, InvalidInput, NotAllowed
from mapping.models import Event, EventRole, GridCell, Team
from mapping.permissions import has_role

GRID_FORBIDDEN = "Only this event's organisers may lay out its grid and teams."
CELL_FORBIDDEN = "Only this event's organisers and mediators may take or finish squares."
VALIDATE_FORBIDDEN = "Only this event's organisers validate squares."
GRID_STARTED = "Squares are already being mapped: reset them before laying a new grid."
LOCKED = "Square {label} is being mapped by {team} until {until:%H:%M}."
TEAM_TAKEN = "A team called {name!r} already exists in this event."


def _organiser(actor: Any, event: Event) -> None:
    if not has_role(actor, event, EventRole.Role.ORGANISER):
        raise NotAllowed(GRID_FORBIDDEN)


def _helper(actor: Any, event: Event) -> None:
    if not has_role(actor, event, EventRole.Role.ORGANISER, EventRole.Role.MEDIATOR):
        raise NotAllowed(CELL_FORBIDDEN)


@transaction.atomic
def grid_create(*, event: Event, actor: Any, size_m: float) -> list[GridCell]:
    """Lay squares of ``size_m`` metres over the zone, replacing an untouched grid."""
    _organiser(actor, event)
    if GridCell.objects.filter(event=event).exclude(state=GridCell.State.TO_MAP).exists():
        raise Conflict(GRID_STARTED, field="size_m")
    try:
        cells = grids.square_grid(shapely_wkt.loads(event.zone.wkt), size_m=float(size_m))
    except (grids.GridError, TypeError, ValueError) as exc:
        raise InvalidInput(str(exc), field="size_m") from None
    _fwd, _back, crs = grids.transformers(shapely_wkt.loads(event.zone.wkt))
    GridCell.objects.filter(event=event).delete()
    return GridCell.objects.bulk_create(
        GridCell(event=event, row=c.row, col=c.col, label=c.label, size_m=float(size_m), crs=crs,
                 geometry=cast(Polygon, GEOSGeometry(c.polygon.wkt, srid=4326)))
        for c in cells
    )


def team_create(*, event: Event, actor: Any, name: str) -> Team:
    """A new team of the event."""
    _organiser(actor, event)
    cleaned = " ".join(str(name).split())
    if not 1 <= len(cleaned) <= 60:
        msg = "A team name needs 1 to 60 characters."
        raise InvalidInput(msg, field="name")
    try:
        with transaction.atomic():
            return Team.objects.create(event=event, name=cleaned)
    except IntegrityError:
        raise Conflict(TEAM_TAKEN.format(name=cleaned), field="name") from None


def _locked_cell(cell: GridCell) -> GridCell:
    return GridCell.objects.select_for_update(of=("self",)).select_related("team", "event").get(
        pk=cell.pk)


@transaction.atomic
def cell_assign(*, cell: GridCell, actor: Any, team: Team | None) -> GridCell:
    """Assign a square to a team (or to nobody)."""
    _organiser(actor, cell.event)
    if team is not None and team.event_id != cell.event_id:
        msg = "This team belongs to another event."
        raise InvalidInput(msg, field="team")
    current = _locked_cell(cell)
    current.team = team
    current.version += 1
    current.save(update_fields=["team", "version", "updated_at"])
    return current


@transaction.atomic
def cell_claim(
    *, cell: GridCell, actor: Any, team: Team | None = None, lock_minutes: float | None = None,
    now: dt.datetime | None = None,
) -> GridCell:
    """A team takes a square: "being mapped", locked for ``lock_minutes`` (renewable)."""
    _helper(actor, cell.event)
    now = now or timezone.now()
    current = _locked_cell(cell)
    team = team or current.team
    if team is not None and team.event_id != current.event_id:
        msg = "This team belongs to another event."
        raise InvalidInput(msg, field="team")
    state = grids.effective_state(current.state, current.locked_until, now)
    held_by_other = (state is grids.CellState.BEING_MAPPED and current.team_id is not None
                     and team is not None and current.team_id != team.pk)
    if held_by_other:
        raise Conflict(LOCKED.format(label=current.label, team=current.team,
                                     until=timezone.localtime(current.locked_until)))
    if state is not grids.CellState.BEING_MAPPED:
        try:
            grids.check_cell_transition(state, grids.CellState.BEING_MAPPED)
        except grids.GridError as exc:
            raise Conflict(str(exc), field="state") from None
    minutes = settings.GRID_LOCK_MINUTES if lock_minutes is None else lock_minutes
    current.state = GridCell.State.BEING_MAPPED
    current.team = team
    current.locked_by = actor
    current.locked_until = now + dt.timedelta(minutes=float(minutes))
    current.version += 1
    current.save()
    return current


@transaction.atomic
def cell_set_state(
    *, cell: GridCell, actor: Any, state: str, now: dt.datetime | None = None
) -> GridCell:
    """Mark a square done, validated, or back to map (which releases its lock).

    Mediators take squares, release them and mark them done; validating a square and
    reopening a finished one are the organisers'.
    """
    now = now or timezone.now()
    if state == GridCell.State.BEING_MAPPED:
        return cell_claim(cell=cell, actor=actor, now=now)
    _helper(actor, cell.event)
    current = _locked_cell(cell)
    effective = grids.effective_state(current.state, current.locked_until, now)
    organiser_only = state == GridCell.State.VALIDATED or effective in (
        grids.CellState.DONE, grids.CellState.VALIDATED)
    if organiser_only and not has_role(actor, cell.event, EventRole.Role.ORGANISER):
        raise NotAllowed(VALIDATE_FORBIDDEN)
    try:
        target = grids.check_cell_transition(effective, state)
    except grids.GridError as exc:
        raise InvalidInput(str(exc), field="state") from None
    current.state = target.value
    current.locked_until = None
    current.version += 1
    current.save()
    return current
