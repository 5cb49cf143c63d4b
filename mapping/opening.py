"""When a carto-party takes participants: its window, opened a little early, with a grace period.

Pure: no Django. Participants' tokens join and contribute only while the event is open, so a
token found on an old phone or in a shared screenshot cannot write into an event that ended
years ago. Organisers' work (moderation, mediators typing in paper forms, exports) is never
bound by this window.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class State(enum.Enum):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Opening:
    """An event's window for participants.

    Participants may join ``opens_early`` before the start (to install the app on the way)
    and send what their phones kept offline until ``grace`` after the end.
    """

    starts_at: dt.datetime
    ends_at: dt.datetime
    opens_early: dt.timedelta = dt.timedelta(hours=1)
    grace: dt.timedelta = dt.timedelta(hours=24)

    def __post_init__(self) -> None:
        if self.opens_early < dt.timedelta(0) or self.grace < dt.timedelta(0):
            msg = "opens_early and grace cannot be negative"
            raise ValueError(msg)

    @property
    def opens_at(self) -> dt.datetime:
        return self.starts_at - self.opens_early

    @property
    def closes_at(self) -> dt.datetime:
        return self.ends_at + self.grace

    def state(self, now: dt.datetime) -> State:
        """Whether participants may join and contribute at ``now`` (the ends are included)."""
        if now < self.opens_at:
            return State.NOT_YET
        if now > self.closes_at:
            return State.CLOSED
        return State.OPEN
