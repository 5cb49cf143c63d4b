"""Coverage in time: contributions by hour of day, weekday and day, against the event's window
(pure).

Times are read in the event's time zone. The time of a contribution is when it was received,
except paper forms and imports, which are typed in or loaded later: a report counts at the
time its author observed the nuisance, a feature has no participation time (``at`` NaT).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_WINDOW_HOURS = 24 * 366 * 2  # beyond two years, every hour of the week counts as open


@dataclass(frozen=True)
class EventWindow:
    """When the event runs (timezone-aware) and its IANA time zone."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        """The event's time zone."""
        return zoneinfo.ZoneInfo(self.time_zone)


def local_floor_hour(at: pd.Series, tz: str) -> pd.Series:
    """Each time truncated to its hour in ``tz`` (the public grain of time); NaT stays NaT."""
    return pd.to_datetime(at, utc=True).dt.tz_convert(tz).dt.floor("h", ambiguous="NaT",
                                                                  nonexistent="NaT")


def _open_slots(window: EventWindow) -> tuple[set[int], set[int]]:
    """Hours of the day and weekdays that the window covers at least in part."""
    start = window.starts_at.astimezone(window.tz).replace(minute=0, second=0, microsecond=0)
    hours, weekdays = set(), set()
    moment, steps = start, 0
    while moment < window.ends_at and steps < MAX_WINDOW_HOURS:
        local = moment.astimezone(window.tz)
        hours.add(local.hour)
        weekdays.add(local.weekday())
        moment += dt.timedelta(hours=1)
        steps += 1
    if steps >= MAX_WINDOW_HOURS:
        return set(range(24)), set(range(7))
    return hours, weekdays


def time_section(at: pd.Series, window: EventWindow) -> dict[str, Any]:
    """Counts by hour of day, weekday and local date, inside and outside the window.

    Parameters
    ----------
    at : Series of datetime
        One time per contribution (UTC or aware; NaT = no participation time).
    window : EventWindow
        The event's start, end and time zone.

    Returns
    -------
    dict
        ``by_hour`` (24 rows: ``hour``, ``contributions``, ``inside_window``, ``open`` —
        the window covers that hour on some day), ``by_weekday`` (7 rows, 0 = Monday),
        ``by_day``, ``inside_window``/``before_window``/``after_window``/``without_time``,
        ``peak_hour``, and the ``window`` itself.
    """
    times = pd.to_datetime(at, utc=True)
    known = times.dropna()
    local = known.dt.tz_convert(window.time_zone)
    inside = (known >= pd.Timestamp(window.starts_at)) & (known < pd.Timestamp(window.ends_at))
    open_hours, open_days = _open_slots(window)
    hours, days = local.dt.hour.to_numpy(), local.dt.weekday.to_numpy()
    flags = inside.to_numpy()
    per_hour = np.bincount(hours, minlength=24)
    per_hour_inside = np.bincount(hours[flags], minlength=24)
    per_day = np.bincount(days, minlength=7)
    per_day_inside = np.bincount(days[flags], minlength=7)
    by_hour = [{"hour": h, "contributions": int(per_hour[h]),
                "inside_window": int(per_hour_inside[h]), "open": h in open_hours}
               for h in range(24)]
    by_weekday = [{"weekday": d, "name": WEEKDAYS[d], "contributions": int(per_day[d]),
                   "inside_window": int(per_day_inside[d]), "open": d in open_days}
                  for d in range(7)]
    dates = pd.Series(local.dt.strftime("%Y-%m-%d").to_numpy())
    table = pd.DataFrame({"date": dates, "inside": flags}).groupby("date")["inside"].agg(
        ["size", "sum"])
    by_day = [{"date": date, "contributions": int(row["size"]), "inside_window": int(row["sum"])}
              for date, row in table.iterrows()]
    busiest = max(by_hour, key=lambda row: row["contributions"])
    return {
        "time_zone": window.time_zone,
        "window": {"starts_at": window.starts_at.astimezone(window.tz).isoformat(),
                   "ends_at": window.ends_at.astimezone(window.tz).isoformat()},
        "contributions": len(known),
        "inside_window": int(inside.sum()),
        "before_window": int((known < pd.Timestamp(window.starts_at)).sum()),
        "after_window": int((known >= pd.Timestamp(window.ends_at)).sum()),
        "without_time": int(times.isna().sum()),
        "peak_hour": busiest["hour"] if busiest["contributions"] else None,
        "by_hour": by_hour,
        "by_weekday": by_weekday,
        "by_day": by_day,
    }
