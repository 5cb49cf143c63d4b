"""Task-grid services: laying the grid, teams, taking squares, lock expiry, who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mapping.errors import Conflict, InvalidInput, NotAllowed
from mapping.models import EventRole, GridCell
from mapping.selectors import grid_progress
from mapping.services import feature_submit, report_submit
from mapping.services.grid import cell_claim, cell_set_state, grid_create, team_create
from tests.factories import EventRoleFactory
from tests.geometries import INSIDE

pytestmark = pytest.mark.django_db


@pytest.fixture
def mediator(event):
    user = EventRoleFactory(event=event, user__username="mediatrice",
                            role=EventRole.Role.MEDIATOR).user
    return user


@pytest.fixture
def cells(event, organiser):
    return grid_create(event=event, actor=organiser, size_m=100)


def test_grid_is_stored_with_labels_and_crs(event, cells):
    stored = list(GridCell.objects.filter(event=event))
    assert len(stored) == len(cells) >= 6
    assert {c.crs for c in stored} == {"EPSG:2154"}
    assert all(c.size_m == 100 for c in stored)


def test_only_organisers_lay_the_grid(event, mediator, other_event):
    with pytest.raises(NotAllowed):
        grid_create(event=event, actor=mediator, size_m=100)
    stranger = EventRoleFactory(event=other_event, user__username="autre-orga",
                                role=EventRole.Role.ORGANISER).user
    with pytest.raises(NotAllowed):
        grid_create(event=event, actor=stranger, size_m=100)


def test_bad_size_is_invalid_input(event, organiser):
    with pytest.raises(InvalidInput):
        grid_create(event=event, actor=organiser, size_m=3)


def test_a_started_grid_is_not_replaced(event, organiser, cells):
    cell_claim(cell=cells[0], actor=organiser)
    with pytest.raises(Conflict):
        grid_create(event=event, actor=organiser, size_m=50)


def test_lock_expires_and_another_team_may_take_the_square(event, organiser, mediator, cells):
    red, blue = (team_create(event=event, actor=organiser, name=n) for n in ("Rouge", "Bleue"))
    now = timezone.now()
    taken = cell_claim(cell=cells[0], actor=mediator, team=red, lock_minutes=30, now=now)
    assert taken.state == "being_mapped"
    assert taken.locked_until == now + dt.timedelta(minutes=30)
    with pytest.raises(Conflict, match="being mapped by Rouge"):
        cell_claim(cell=cells[0], actor=mediator, team=blue, now=now + dt.timedelta(minutes=29))
    # 31 minutes later the lock has expired: the square counts as "to map" and is free.
    later = now + dt.timedelta(minutes=31)
    progress = grid_progress(event=event, now=later)
    assert progress.cells[0].state == "to_map"
    retaken = cell_claim(cell=cells[0], actor=mediator, team=blue, now=later)
    assert retaken.team == blue


def test_done_then_validated_by_an_organiser_only(event, organiser, mediator, cells):
    cell_claim(cell=cells[1], actor=mediator)
    done = cell_set_state(cell=cells[1], actor=mediator, state="done")
    assert done.state == "done"
    assert done.locked_until is None
    with pytest.raises(NotAllowed):
        cell_set_state(cell=cells[1], actor=mediator, state="validated")
    assert cell_set_state(cell=cells[1], actor=organiser, state="validated").state == "validated"
    with pytest.raises(InvalidInput):
        cell_set_state(cell=cells[2], actor=organiser, state="validated")


def test_progress_counts_contributions_per_square(event, organiser, author, cells):
    feature_submit(event=event, author=author, geometry=INSIDE, tags={"amenity": "bench"})
    report_submit(event=event, author=author, geometry=INSIDE, category="noise", intensity=3,
                  observed_at=timezone.now())
    progress = grid_progress(event=event)
    counted = [p for p in progress.cells if p.features or p.reports]
    assert len(counted) == 1
    assert (counted[0].features, counted[0].reports) == (1, 1)
    assert sum(progress.by_state.values()) == len(cells)
