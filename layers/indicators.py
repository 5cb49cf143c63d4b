"""Hourly LAeq and Lday/Levening/Lnight/Lden of many stations at once, vectorised (pure numpy).

:func:`layers.acoustics.lden_db` takes one station and converts each sample to a local
``datetime``: exact, but a Python call per sample. A network of 100 stations × 1 year of
1-minute readings holds 52.6 million samples; here they are pooled in one pass into
quarter-hour energy bins per station (``np.bincount``), and every indicator is computed from
those bins. Every time zone in use has an offset that is a whole number of quarter hours and
changes on a quarter hour, so a UTC quarter hour lies inside one local hour and one Lden
period: assigning a sample to its bin by its start is exactly what ``lden_db`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from layers.acoustics import (
    END_PERIODS,
    DenPeriods,
    den_level_db,
    level_from_energy_db,
    relative_energy,
)

__all__ = ["MAX_BINS", "StationIndicators", "station_indicators"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BIN_S = 900  # a quarter hour, s
MAX_BINS = 200_000_000  # stations × quarter hours held in memory (1.6 GB per float array)


@dataclass(frozen=True)
class StationIndicators:
    """Indicators per station (row ``i`` is station ``i``), dB(A) or s.

    ``hour_start`` are UTC hour starts (``datetime64[s]``), ``hourly_laeq_db`` and
    ``hourly_s`` have shape (stations, hours): the duration-weighted LAeq of the samples
    starting in that hour (NaN when none) and the seconds they cover. The period levels,
    ``lden_db``, ``*_s``, ``*_coverage`` and ``days`` have shape (stations,) and mean what the
    fields of :class:`layers.acoustics.DenLevels` mean.
    """

    hour_start: npt.NDArray[np.datetime64]
    hourly_laeq_db: FloatArray
    hourly_s: FloatArray
    lday_db: FloatArray
    levening_db: FloatArray
    lnight_db: FloatArray
    lden_db: FloatArray
    day_s: FloatArray
    evening_s: FloatArray
    night_s: FloatArray
    day_coverage: FloatArray
    evening_coverage: FloatArray
    night_coverage: FloatArray
    days: IntArray


def _offsets_s(first_bin: int, n_bins: int, tz: ZoneInfo) -> IntArray:
    """UTC offset (s) of each quarter-hour bin, one zoneinfo call per bin (not per sample)."""
    starts = (first_bin + np.arange(n_bins)) * BIN_S
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return np.array([(epoch + timedelta(seconds=int(s))).astimezone(tz).utcoffset().total_seconds()  # type: ignore[union-attr]
                     for s in starts], dtype=np.int64)


def _period_spans_s(days: IntArray, periods: DenPeriods, tz: ZoneInfo) -> FloatArray:
    """Real seconds of day, evening and night on each local day (23/25-hour DST days)."""
    spans = np.zeros((days.size, 3))
    for i, day_number in enumerate(days):
        day = date(1970, 1, 1) + timedelta(days=int(day_number))
        midnight = datetime(day.year, day.month, day.day)
        for p, windows in enumerate(periods.windows()):
            for a, b in windows:
                start = (midnight + timedelta(hours=a)).replace(tzinfo=tz)
                end = (midnight + timedelta(hours=b)).replace(tzinfo=tz)
                spans[i, p] += (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
    return spans


def station_indicators(
    station: npt.ArrayLike,
    times: npt.ArrayLike,
    levels_db: npt.ArrayLike,
    durations_s: npt.ArrayLike,
    *,
    n_stations: int | None = None,
    time_zone: str = "Europe/Paris",
    periods: DenPeriods = END_PERIODS,
    min_coverage: float = 0.75,
) -> StationIndicators:
    """Hourly LAeq and Lden of every station from all their samples at once.

    Parameters
    ----------
    station : array_like of int
        Station index of each sample, ``0 … n_stations − 1``.
    times : array_like of datetime64
        Sample start times, read as **UTC** (any unit; converted to whole seconds).
    levels_db : array_like
        LAeq of each sample, dB(A); NaN samples are ignored.
    durations_s : array_like or float
        Duration of each sample, s (> 0).
    n_stations : int, optional
        Number of stations (rows of the result); ``max(station) + 1`` by default.
    time_zone, periods, min_coverage
        As in :func:`layers.acoustics.lden_db`: IANA zone of the stations, period limits and
        penalties, smallest measured share of a period for its level to be given.

    Returns
    -------
    StationIndicators
        Same figures as :func:`layers.acoustics.lden_db` per station (to rounding), plus
        hourly LAeq. Raises ``ValueError`` on mismatched lengths, a station index out of
        range, a non-positive duration, or more than :data:`MAX_BINS` station-quarter-hours.

    >>> t = np.datetime64("2024-06-20T22:00") + np.arange(24 * 60) * np.timedelta64(1, "m")
    >>> out = station_indicators(np.zeros(t.size, int), t, np.full(t.size, 60.0), 60.0)
    >>> round(float(out.lden_db[0]), 2), out.hourly_laeq_db.shape
    (66.4, (1, 24))
    """
    group = np.asarray(station, dtype=np.int64).ravel()
    stamps = np.asarray(times).ravel()
    if stamps.dtype != np.dtype("datetime64[s]"):  # a no-op view when already in seconds
        stamps = stamps.astype("datetime64[s]")
    start_s = stamps.view(np.int64)
    levels = np.asarray(levels_db, dtype=np.float64).ravel()
    durations = np.asarray(durations_s, dtype=np.float64)
    if not group.size == start_s.size == levels.size:
        msg = f"{group.size} stations, {start_s.size} times and {levels.size} levels differ"
        raise ValueError(msg)
    if group.size == 0:
        msg = "no sample"
        raise ValueError(msg)
    n_st = int(group.max()) + 1 if n_stations is None else n_stations
    if group.min() < 0 or group.max() >= n_st:
        msg = f"station indices must lie in [0, {n_st})"
        raise ValueError(msg)
    if not (durations > 0).all():
        msg = "durations_s must be > 0"
        raise ValueError(msg)
    keep = ~np.isnan(levels)
    if not keep.all():
        group, start_s, levels = group[keep], start_s[keep], levels[keep]
        durations = durations if durations.ndim == 0 else durations.ravel()[keep]
    tz = ZoneInfo(time_zone)

    # 1. One pass over the samples: relative energy (s) and seconds per station and bin.
    # Arrays of 50 M values cost ~0.3 s each to allocate: work in place where possible, and
    # exp() rather than 10 ** x (7x faster).
    key = start_s // BIN_S
    first = int(key.min())
    n_bins = int(key.max()) - first + 1
    pad = first % 4  # start on a whole UTC hour: hourly sums are then a reshape
    first -= pad
    n_bins = -(-(n_bins + pad) // 4) * 4
    if n_st * n_bins > MAX_BINS:
        msg = f"{n_st} stations × {n_bins} quarter hours exceed {MAX_BINS}: split the period"
        raise ValueError(msg)
    key -= first
    key += group * n_bins
    power = relative_energy(levels)  # a new array (the caller's levels stay untouched)
    size = n_st * n_bins
    if durations.ndim == 0:  # one duration for all: weight after summing
        energy = np.bincount(key, weights=power, minlength=size) * float(durations)
        seconds = np.bincount(key, minlength=size).astype(float) * float(durations)
    else:
        durations = np.broadcast_to(durations.ravel(), levels.shape)
        power *= durations
        energy = np.bincount(key, weights=power, minlength=size).astype(float, copy=False)
        seconds = np.bincount(key, weights=durations, minlength=size).astype(float, copy=False)
    del key, power
    energy, seconds = energy.reshape(n_st, n_bins), seconds.reshape(n_st, n_bins)

    # 2. Hourly LAeq (UTC hours; local hours too wherever the offset is whole hours).
    hour_energy = energy.reshape(n_st, n_bins // 4, 4).sum(axis=2)
    hour_seconds = seconds.reshape(n_st, n_bins // 4, 4).sum(axis=2)
    hour_start = ((first + 4 * np.arange(n_bins // 4)) * BIN_S).astype("datetime64[s]")

    # 3. Local hour and local day of each bin, then period sums per station.
    local_s = (first + np.arange(n_bins)) * BIN_S + _offsets_s(first, n_bins, tz)
    local_hour = (local_s // 3600) % 24
    local_day = local_s // 86400
    day_numbers, day_of_bin = np.unique(local_day, return_inverse=True)
    present = np.zeros((n_st, day_numbers.size), dtype=bool)
    rows, cols = np.nonzero(seconds > 0)
    present[rows, day_of_bin[cols]] = True
    spans = present.astype(np.float64) @ _period_spans_s(day_numbers, periods, tz)
    period_levels, period_s, coverage = [], [], []
    for p, windows in enumerate(periods.windows()):
        inside = np.any([(local_hour >= a) & (local_hour < b) for a, b in windows], axis=0)
        e, s = energy[:, inside].sum(axis=1), seconds[:, inside].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            cov = np.where(spans[:, p] > 0, s / spans[:, p], 0.0)
        level = level_from_energy_db(e, s)
        period_levels.append(np.where(cov >= min_coverage, level, np.nan))
        period_s.append(s)
        coverage.append(cov)
    ld, le, ln = period_levels
    lden = den_level_db(ld, le, ln, periods)
    return StationIndicators(
        hour_start=hour_start, hourly_laeq_db=level_from_energy_db(hour_energy, hour_seconds),
        hourly_s=hour_seconds, lday_db=ld, levening_db=le, lnight_db=ln, lden_db=lden,
        day_s=period_s[0], evening_s=period_s[1], night_s=period_s[2], day_coverage=coverage[0],
        evening_coverage=coverage[1], night_coverage=coverage[2],
        days=present.sum(axis=1).astype(np.int64))
