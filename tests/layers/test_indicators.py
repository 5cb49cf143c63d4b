"""Tests for layers.indicators: the vectorised indicators agree with layers.acoustics."""

from __future__ import annotations

import numpy as np
import pytest

from layers.acoustics import DenPeriods, laeq_db, lden_db
from layers.indicators import station_indicators

MINUTE = np.timedelta64(1, "m")


def _network(seed: int, start: str, minutes: int, stations: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    times = np.datetime64(start) + np.arange(minutes) * MINUTE
    station = np.repeat(np.arange(stations), minutes)
    levels = 55 + 10 * rng.standard_normal(stations * minutes)
    levels[rng.random(levels.size) < 0.02] = np.nan  # missing samples
    keep = rng.random(levels.size) > 0.1  # gaps, different per station
    return station[keep], np.tile(times, stations)[keep], levels[keep]


@pytest.mark.parametrize(("start", "zone"), [
    ("2024-03-29T13:07", "Europe/Paris"),  # over the spring DST change (a 23-hour day)
    ("2024-10-25T05:00", "Europe/Paris"),  # over the autumn change (a 25-hour day)
    ("2024-06-01T00:00", "Asia/Kolkata"),  # UTC+05:30: local hours are not UTC hours
])
def test_agrees_with_lden_db_per_station(start: str, zone: str) -> None:
    station, times, levels = _network(3, start, 4 * 24 * 60, 3)
    out = station_indicators(station, times, levels, 60.0, time_zone=zone, min_coverage=0.5)
    for i in range(3):
        mine = station == i
        ref = lden_db(times[mine], levels[mine], 60.0, time_zone=zone, min_coverage=0.5)
        got = [out.lday_db[i], out.levening_db[i], out.lnight_db[i], out.lden_db[i],
               out.day_s[i], out.night_coverage[i], out.days[i]]
        want = [ref.lday_db, ref.levening_db, ref.lnight_db, ref.lden_db, ref.day_s,
                ref.night_coverage, ref.days]
        assert got == pytest.approx(want, abs=1e-9)


def test_hourly_laeq_is_the_laeq_of_each_utc_hour() -> None:
    station, times, levels = _network(5, "2024-01-01T00:30", 5 * 60, 2)
    out = station_indicators(station, times, levels, 60.0, n_stations=3)
    assert out.hour_start[0] == np.datetime64("2024-01-01T00:00")
    assert out.hourly_laeq_db.shape == (3, 6)
    hour = times.astype("datetime64[h]")
    for i in range(2):
        for h, start in enumerate(out.hour_start):
            mine = (station == i) & (hour == start)
            assert out.hourly_laeq_db[i, h] == pytest.approx(laeq_db(levels[mine], 60.0), abs=1e-9)
    assert np.isnan(out.hourly_laeq_db[2]).all()
    assert np.isnan(out.lden_db[2])


def test_constant_day_gives_the_reference_lden() -> None:
    # docs/acoustics.md: a constant 60 dB(A) day → Lden 66.40 dB.
    times = np.datetime64("2024-06-20T22:00") + np.arange(24 * 60) * MINUTE
    out = station_indicators(np.zeros(times.size, int), times, np.full(times.size, 60.0), 60.0)
    assert round(float(out.lden_db[0]), 2) == 66.40
    assert out.hourly_laeq_db[0] == pytest.approx(np.full(24, 60.0))


def test_short_evening_periods_and_low_coverage() -> None:
    times = np.datetime64("2024-06-20T22:00") + np.arange(24 * 60) * MINUTE
    levels = np.full(times.size, 60.0)
    shifted = station_indicators(np.zeros(times.size, int), times, levels, 60.0,
                                 periods=DenPeriods(evening_start_h=20))
    assert shifted.lden_db[0] == pytest.approx(lden_db(
        times, levels, 60.0, periods=DenPeriods(evening_start_h=20)).lden_db)
    half = station_indicators(np.zeros(720, int), times[:720], levels[:720], 60.0)
    assert np.isnan(half.lden_db[0])


@pytest.mark.parametrize(("bad", "message"), [
    (dict(station=[0, 1], times=np.array(["2024-01-01"], "datetime64[s]"), levels_db=[1.0],
          durations_s=1.0), "differ"),
    (dict(station=[0], times=np.array(["2024-01-01"], "datetime64[s]"), levels_db=[60.0],
          durations_s=0.0), "durations_s must be > 0"),
    (dict(station=[4], times=np.array(["2024-01-01"], "datetime64[s]"), levels_db=[60.0],
          durations_s=1.0, n_stations=2), r"must lie in \[0, 2\)"),
])
def test_refuses_bad_input(bad: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        station_indicators(**bad)  # type: ignore[arg-type]
