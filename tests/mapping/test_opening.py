"""An event's window for participants: opened early, closed after a grace period."""

from __future__ import annotations

import datetime as dt

import pytest

from mapping.opening import Opening, State

START = dt.datetime(2026, 6, 20, 14, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 6, 20, 18, 0, tzinfo=dt.UTC)
OPENING = Opening(START, END, opens_early=dt.timedelta(hours=1), grace=dt.timedelta(hours=24))


@pytest.mark.parametrize(("now", "state"), [
    (START - dt.timedelta(hours=1, seconds=1), State.NOT_YET),
    (START - dt.timedelta(hours=1), State.OPEN),  # the ends are included
    (START + dt.timedelta(hours=2), State.OPEN),
    (END + dt.timedelta(hours=23, minutes=59), State.OPEN),  # offline phones send late
    (END + dt.timedelta(hours=24), State.OPEN),
    (END + dt.timedelta(hours=24, seconds=1), State.CLOSED),
    (dt.datetime(2030, 1, 1, tzinfo=dt.UTC), State.CLOSED),
])
def test_state_at(now, state):  # type: ignore[no-untyped-def]
    assert OPENING.state(now) is state


def test_bounds():  # type: ignore[no-untyped-def]
    assert OPENING.opens_at == dt.datetime(2026, 6, 20, 13, 0, tzinfo=dt.UTC)
    assert OPENING.closes_at == dt.datetime(2026, 6, 21, 18, 0, tzinfo=dt.UTC)


def test_negative_margins_are_refused():  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="negative"):
        Opening(START, END, grace=dt.timedelta(hours=-1))
