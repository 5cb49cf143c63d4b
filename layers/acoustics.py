"""Decibel arithmetic and noise indicators (LAeq, LN, Lden) in pure numpy; see docs/acoustics.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

__all__ = [
    "END_PERIODS", "DenLevels", "DenPeriods", "den_level_db", "energetic_difference_db",
    "energetic_mean_db", "energetic_sum_db", "grouped_energetic_mean_db", "laeq_db", "lden_db",
    "level_from_energy_db", "percentile_level_db", "relative_energy",
]  # fmt: skip

FloatArray = npt.NDArray[np.float64]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LN10_10 = float(np.log(10.0) / 10.0)


def _levels(levels_db: npt.ArrayLike) -> FloatArray:
    levels = np.asarray(levels_db, dtype=np.float64).ravel()
    if np.isinf(levels).any():
        msg = "levels must be finite dB values (NaN marks a missing sample), got an infinity"
        raise ValueError(msg)
    return levels


def _weights(weights: npt.ArrayLike | None, size: int, name: str) -> FloatArray:
    if weights is None:
        return np.ones(size)
    w = np.asarray(weights, dtype=np.float64)
    w = np.full(size, float(w)) if w.ndim == 0 else w.ravel()
    if w.size != size:
        msg = f"{name} has {w.size} values for {size} levels"
        raise ValueError(msg)
    if not (np.isfinite(w).all() and (w >= 0).all()):
        msg = f"{name} must be finite and non-negative"
        raise ValueError(msg)
    return w


# --- The decibel kernel: every energetic level of the project goes through these ---------------
# (docs/acoustics.md §1). Energies are relative to a reference level, so that sums of
# 10^(L/10) never overflow and equal levels come back exactly.


def relative_energy(
    levels_db: npt.ArrayLike, reference_db: float = 0.0, *, out: FloatArray | None = None
) -> FloatArray:
    """Relative energy ``10^((L − reference)/10)`` of levels (dB), elementwise.

    Computed as ``exp((L − reference)·ln10/10)``: 7× faster than ``10 ** x`` on large arrays.
    ``out`` (a float64 array holding the levels) is overwritten in place, for arrays of tens
    of millions of values. NaN stays NaN.

    >>> relative_energy([60.0, 70.0], 60.0).round(6).tolist()
    [1.0, 10.0]
    """
    if out is None:
        out = np.asarray(levels_db, dtype=np.float64) - reference_db  # a new array
    elif reference_db:
        out -= reference_db
    if out.ndim == 0:  # one level: numpy scalars have no in-place form
        return np.asarray(np.exp(out * _LN10_10))
    out *= _LN10_10
    return np.exp(out, out=out)


def level_from_energy_db(
    energy: npt.ArrayLike, weight: npt.ArrayLike, reference_db: float = 0.0
) -> FloatArray:
    """Level of summed energies: ``reference + 10·log10(energy / weight)``, dB; NaN where
    ``weight`` is 0 (nothing measured), elementwise.

    ``energy`` is Σ wi·10^((Li − reference)/10) (:func:`relative_energy` times the weights)
    and ``weight`` Σ wi (seconds, or a count for equal durations).

    >>> level_from_energy_db([5.5], [1.0], 60.0).round(2).tolist()
    [67.4]
    """
    e = np.asarray(energy, dtype=np.float64)
    w = np.asarray(weight, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w > 0, reference_db + 10.0 * np.log10(e / w), np.nan)


def grouped_energetic_mean_db(
    levels_db: npt.ArrayLike, weights: npt.ArrayLike | None, groups: npt.ArrayLike, *,
    n_groups: int,
) -> tuple[FloatArray, FloatArray]:
    """Energetic mean of levels per group, in one pass: ``10·log10(Σ wi·10^(Li/10) / Σ wi)``.

    Parameters
    ----------
    levels_db : array_like
        Levels, dB (dB(A) for LAeq samples); NaN samples are ignored.
    weights : array_like, float or None
        Non-negative weights of the levels, e.g. durations (s); equal when None.
    groups : array_like of int
        Group of each level, ``0 … n_groups − 1`` (a report, a cell, a street segment…).
    n_groups : int
        Number of groups (length of the results).

    Returns
    -------
    (level_db, weight) : tuple of arrays, shape (n_groups,)
        The group's level, dB, NaN for a group without samples; and Σ wi (s for durations).

    >>> level, seconds = grouped_energetic_mean_db([60, 70, 50], [1, 1, 2], [0, 0, 1], n_groups=3)
    >>> level.round(2).tolist(), seconds.tolist()
    ([67.4, 50.0, nan], [2.0, 2.0, 0.0])
    """
    levels = _levels(levels_db)
    w = _weights(weights, levels.size, "weights")
    codes = np.asarray(groups, dtype=np.int64).ravel()
    if codes.size != levels.size:
        msg = f"{codes.size} groups for {levels.size} levels"
        raise ValueError(msg)
    if codes.size and not 0 <= codes.min() <= codes.max() < n_groups:
        msg = f"group numbers must lie in [0, {n_groups})"
        raise ValueError(msg)
    keep = ~np.isnan(levels) & (w > 0)
    levels, w, codes = levels[keep], w[keep], codes[keep]
    top = float(levels.max()) if levels.size else 0.0  # one reference: no overflow
    energy = np.bincount(codes, weights=w * relative_energy(levels, top), minlength=n_groups)
    weight = np.bincount(codes, weights=w, minlength=n_groups).astype(np.float64)
    return level_from_energy_db(energy, weight, top), weight


def energetic_mean_db(levels_db: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> float:
    """Energetic (power) mean of levels: ``10·log10(Σ wi·10^(Li/10) / Σ wi)``.

    Parameters
    ----------
    levels_db : array_like
        Levels, dB (dB(A) for A-weighted levels). NaN marks a missing sample and is ignored.
    weights : array_like or float, optional
        Non-negative weights (e.g. durations, s), broadcast to ``levels_db``; equal by default.
        Samples of weight 0 are ignored.

    Returns
    -------
    float
        Mean level, dB; never below the arithmetic mean of the levels (Jensen). Raises
        ``ValueError`` if no sample is left (empty, all NaN, all weights 0), on an infinite
        level or on a negative or non-finite weight.

    >>> round(energetic_mean_db([60, 70]), 2)
    67.4
    >>> round(energetic_mean_db([60, 70, float("nan")], weights=[3, 1, 1]), 2)
    65.12
    """
    levels = _levels(levels_db)
    level, weight = grouped_energetic_mean_db(levels, weights, np.zeros(levels.size, np.int64),
                                              n_groups=1)
    if not weight[0] > 0:
        msg = "energetic mean of no level: input is empty, all NaN or all weights are 0"
        raise ValueError(msg)
    return float(level[0])


def energetic_sum_db(levels_db: npt.ArrayLike) -> float:
    """Level of simultaneous sources: ``10·log10(Σ 10^(Li/10))``, dB; NaN ignored.

    Raises ``ValueError`` when no level is given (empty or all NaN).

    >>> round(energetic_sum_db([60, 60]), 2)
    63.01
    """
    levels = _levels(levels_db)
    levels = levels[~np.isnan(levels)]
    if levels.size == 0:
        msg = "energetic sum of no level: input is empty or all NaN"
        raise ValueError(msg)
    top = float(levels.max())
    return float(level_from_energy_db(relative_energy(levels, top).sum(), 1.0, top))


def energetic_difference_db(
    total_db: float, background_db: float, *, min_margin_db: float = 3.0
) -> float:
    """Level of a source alone: ``10·log10(10^(Ltot/10) − 10^(Lbg/10))``, dB.

    Parameters
    ----------
    total_db, background_db : float
        Level with the source and background level without it, dB.
    min_margin_db : float, default 3.0
        Smallest ``total_db − background_db`` accepted, dB. Below 3 dB the source is "not
        distinguishable" from the background (ISO 1996-2 practice); pass 0 to only refuse
        ``background_db >= total_db``, where no level exists.

    Raises ``ValueError`` if ``total_db − background_db <= max(min_margin_db, 0)``.

    >>> round(energetic_difference_db(70, 60), 2)
    69.54
    """
    margin = total_db - background_db
    if not margin > max(min_margin_db, 0.0):  # also refuses NaN
        msg = f"source not distinguishable: {total_db} dB total vs {background_db} dB background"
        raise ValueError(msg)
    return float(level_from_energy_db(1.0 - relative_energy(-margin), 1.0, total_db))


def laeq_db(levels_db: npt.ArrayLike, durations_s: npt.ArrayLike) -> float:
    """LAeq over a window from short LAeq samples: ``10·log10(Σ ti·10^(Li/10) / Σ ti)``.

    ``levels_db`` are the samples' LAeq, dB(A) (NaN ignored); ``durations_s`` their durations,
    s (array or one value for all). Returns dB(A); raises ``ValueError`` like
    :func:`energetic_mean_db`.

    >>> round(laeq_db([60, 70], [50, 10]), 2)
    63.98
    """
    levels = _levels(levels_db)
    return energetic_mean_db(levels, _weights(durations_s, levels.size, "durations_s"))


def percentile_level_db(
    levels_db: npt.ArrayLike, n: float, durations_s: npt.ArrayLike | None = None
) -> float:
    """LN (ISO 1996-1): level exceeded ``n`` % of the time, e.g. L10, L50, L90.

    Parameters
    ----------
    levels_db : array_like
        Pooled samples, dB(A); NaN ignored. Never average percentile levels: pool samples.
    n : float
        Exceedance percentage, 0–100: L10 (peaks) is the 90th percentile of the samples,
        L90 (background) the 10th.
    durations_s : array_like or float, optional
        Sample durations, s. Without them samples have equal durations and numpy's default
        ``linear`` interpolation is used; with them the duration-weighted inverted CDF (no
        interpolation): the lowest sample level exceeded at most ``n`` % of the measured time.

    Returns
    -------
    float
        LN, dB(A). It depends on the base interval (1-s LAeq smooth peaks) and means little
        below ~30 samples: report both with it.

    >>> [round(percentile_level_db(range(1, 101), n), 1) for n in (10, 50, 90)]
    [90.1, 50.5, 10.9]
    """
    if not 0 <= n <= 100:
        msg = f"n must be a percentage in [0, 100], got {n}"
        raise ValueError(msg)
    levels = _levels(levels_db)
    w = _weights(durations_s, levels.size, "durations_s")
    keep = ~np.isnan(levels) & (w > 0)
    if not keep.any():
        msg = "percentile of no level: input is empty, all NaN or all durations are 0"
        raise ValueError(msg)
    if durations_s is None:
        return float(np.percentile(levels[keep], 100.0 - n))
    order = np.argsort(levels[keep], kind="stable")
    cumulative = np.cumsum(w[keep][order])
    index = int(np.searchsorted(cumulative, (1.0 - n / 100.0) * cumulative[-1], side="left"))
    return float(levels[keep][order][min(index, order.size - 1)])


@dataclass(frozen=True)
class DenPeriods:
    """Local civil-time limits (whole hours) and penalties (dB) of the Lden periods.

    Defaults follow Directive 2002/49/EC, Annex I: day 07–19, evening 19–23 (+5 dB), night
    23–07 (+10 dB). Member states may shift them or shorten the evening (e.g.
    ``DenPeriods(evening_start_h=20)``); the night always ends at ``day_start_h``.
    """

    day_start_h: int = 7
    evening_start_h: int = 19
    night_start_h: int = 23
    evening_penalty_db: float = 5.0
    night_penalty_db: float = 10.0

    def __post_init__(self) -> None:
        d, e, n = self.day_start_h, self.evening_start_h, self.night_start_h
        if not (0 <= d < e < n <= 24 and n - d < 24):  # the night must last
            msg = f"need 0 <= day_start_h < evening_start_h < night_start_h <= 24, got {self}"
            raise ValueError(msg)

    def windows(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Wall-clock hour ranges ``[start, end)`` within a local day: day, evening, night."""
        d, e, n = self.day_start_h, self.evening_start_h, self.night_start_h
        return ((d, e),), ((e, n),), ((n, 24), (0, d))

    def hours(self) -> tuple[int, int, int]:
        """Nominal lengths of day, evening and night, h (sum 24): Lden weights."""
        d, e, n = self.day_start_h, self.evening_start_h, self.night_start_h
        return e - d, n - e, 24 - n + d


END_PERIODS = DenPeriods()


def den_level_db(
    lday_db: npt.ArrayLike, levening_db: npt.ArrayLike, lnight_db: npt.ArrayLike,
    periods: DenPeriods = END_PERIODS,
) -> FloatArray:
    """Lden from the period levels, elementwise (Directive 2002/49/EC, Annex I):
    ``10·log10((12·10^(Ld/10) + 4·10^((Le+5)/10) + 8·10^((Ln+10)/10)) / 24)``, dB, with the
    hours and penalties of ``periods``; NaN where a period level is NaN (an Lden is never
    computed from fewer periods).

    >>> den_level_db(60.0, 60.0, 60.0).round(2).tolist()
    66.4
    """
    d_h, e_h, n_h = periods.hours()
    energy = (d_h * relative_energy(lday_db)
              + e_h * relative_energy(np.asarray(levening_db) + periods.evening_penalty_db)
              + n_h * relative_energy(np.asarray(lnight_db) + periods.night_penalty_db))
    return level_from_energy_db(energy, 24.0)


@dataclass(frozen=True)
class DenLevels:
    """Lday/Levening/Lnight/Lden, dB(A), with their support.

    A period level is NaN when the period holds no sample or its coverage is below the
    threshold asked; ``lden_db`` is then NaN too (it is never computed from fewer periods).
    ``*_s`` are the seconds measured in each period; ``*_coverage`` those seconds over the
    period's real length (23/25-hour DST days included) summed over the local days present.
    """

    lday_db: float
    levening_db: float
    lnight_db: float
    lden_db: float
    day_s: float
    evening_s: float
    night_s: float
    day_coverage: float
    evening_coverage: float
    night_coverage: float
    days: int


def _utc_datetimes(times: npt.ArrayLike) -> list[datetime]:
    arr = np.asarray(times)
    if np.issubdtype(arr.dtype, np.datetime64):
        if np.isnat(arr).any():
            msg = "times contain NaT"
            raise ValueError(msg)
        micros = arr.astype("datetime64[us]").astype(np.int64).ravel()
        return [_EPOCH + timedelta(microseconds=int(us)) for us in micros]
    out: list[datetime] = []
    for t in arr.ravel():
        if not isinstance(t, datetime) or t.utcoffset() is None:
            msg = f"times must be datetime64 (read as UTC) or timezone-aware datetimes: {t!r}"
            raise ValueError(msg)
        out.append(t)
    return out


def _wall_span_s(day: date, start_h: int, end_h: int, tz: ZoneInfo) -> float:
    """Real seconds between two wall-clock hours of a local day (DST-aware; 24 = next 00:00)."""
    midnight = datetime(day.year, day.month, day.day)  # naive wall clock; zone set below
    start = (midnight + timedelta(hours=start_h)).replace(tzinfo=tz).astimezone(UTC)
    end = (midnight + timedelta(hours=end_h)).replace(tzinfo=tz).astimezone(UTC)
    return (end - start).total_seconds()


def lden_db(
    times: npt.ArrayLike,
    levels_db: npt.ArrayLike,
    durations_s: npt.ArrayLike,
    *,
    time_zone: str = "Europe/Paris",
    periods: DenPeriods = END_PERIODS,
    min_coverage: float = 0.75,
) -> DenLevels:
    """Lday, Levening, Lnight and Lden (Directive 2002/49/EC) from LAeq samples.

    Each period level is the duration-weighted LAeq of the samples whose start falls in it,
    in the local civil time of ``time_zone``; then
    ``Lden = 10·log10((12·10^(Ld/10) + 4·10^((Le+5)/10) + 8·10^((Ln+10)/10)) / 24)``
    (weights and penalties from ``periods``). Several days are pooled by period energy.

    Parameters
    ----------
    times : array_like
        Sample start times: numpy ``datetime64`` values, read as **UTC**, or timezone-aware
        ``datetime`` objects (any zone); naive datetimes are refused. Samples should not
        straddle period limits (split hourly data at the hour).
    levels_db : array_like
        LAeq of each sample, dB(A); NaN samples are ignored (missing, not silence).
    durations_s : array_like or float
        Duration of each sample, s (3600 for hourly LAeq, 1 for NoiseCapture points).
    time_zone : str
        IANA zone of the measurement place, for ``zoneinfo``.
    periods : DenPeriods
        Period limits and penalties.
    min_coverage : float
        Share of a period's real duration that must be measured for its level to be given;
        below it the level is NaN (a 10-minute carto-party measurement is not an Lden).
        Only days holding data count: check for whole missing days upstream.

    Returns
    -------
    DenLevels
        Levels in dB(A) (NaN as described there) with seconds measured and coverage.

    >>> hours = np.datetime64("2024-06-20T22:00") + np.arange(24) * np.timedelta64(1, "h")
    >>> round(lden_db(hours, np.full(24, 60.0), 3600).lden_db, 2)
    66.4
    """
    tz = ZoneInfo(time_zone)
    levels = _levels(levels_db)
    utc = _utc_datetimes(times)
    if len(utc) != levels.size:
        msg = f"{len(utc)} times for {levels.size} levels"
        raise ValueError(msg)
    durations = _weights(durations_s, levels.size, "durations_s")
    keep = ~np.isnan(levels)
    if not keep.any():
        msg = "Lden of no level: input is empty or all NaN"
        raise ValueError(msg)
    local = [t.astimezone(tz) for t, k in zip(utc, keep, strict=True) if k]
    levels, durations = levels[keep], durations[keep]
    hour = np.array([t.hour for t in local])  # period limits are whole hours
    days = sorted({t.date() for t in local})
    rows: list[tuple[float, float, float]] = []  # (level dB(A), seconds, coverage) per period
    for windows in periods.windows():
        inside = np.any([(hour >= a) & (hour < b) for a, b in windows], axis=0)
        seconds = float(durations[inside].sum())
        coverage = seconds / sum(_wall_span_s(d, a, b, tz) for d in days for a, b in windows)
        ok = seconds > 0 and coverage >= min_coverage
        level = laeq_db(levels[inside], durations[inside]) if ok else np.nan
        rows.append((level, seconds, coverage))
    period_levels, seconds_, coverages = zip(*rows, strict=True)
    ld, le, ln = period_levels
    lden = float(den_level_db(ld, le, ln, periods))
    day_s, evening_s, night_s = seconds_
    day_cov, evening_cov, night_cov = coverages
    return DenLevels(ld, le, ln, lden, day_s, evening_s, night_s, day_cov, evening_cov, night_cov,
                     days=len(days))
