"""The rule "participants' tokens work only while the event is open", for the write services."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from mapping.errors import N_, NotAllowed
from mapping.models import Event
from mapping.opening import Opening, State

NOT_YET_OPEN = N_("This carto-party opens on {opens_at:%Y-%m-%d} at {opens_at:%H:%M}: "
                  "come back then to join and contribute.")
CLOSED = N_("This carto-party closed on {closes_at:%Y-%m-%d} at {closes_at:%H:%M}: it no "
            "longer takes new participants or contributions. You can still see the map and "
            "delete your data.")


def event_opening(event: Event) -> Opening:
    """The event's window for participants, with the configured early opening and grace."""
    return Opening(
        starts_at=event.starts_at, ends_at=event.ends_at,
        opens_early=dt.timedelta(minutes=settings.EVENT_OPENS_EARLY_MINUTES),
        grace=dt.timedelta(hours=settings.EVENT_GRACE_HOURS),
    )


def require_open(event: Event, *, now: dt.datetime | None = None) -> None:
    """Refuse (403, with when it opens or closed) a participant's join or contribution."""
    opening = event_opening(event)
    state = opening.state(now or timezone.now())
    if state is State.NOT_YET:
        raise NotAllowed(NOT_YET_OPEN, opens_at=timezone.localtime(opening.opens_at))
    if state is State.CLOSED:
        raise NotAllowed(CLOSED, closes_at=timezone.localtime(opening.closes_at))
