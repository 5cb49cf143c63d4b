"""Tests for layers.acoustics: reference vectors from docs/acoustics.md §2 and properties."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from layers.acoustics import (
    END_PERIODS,
    DenPeriods,
    den_level_db,
    energetic_difference_db,
    energetic_mean_db,
    energetic_sum_db,
    grouped_energetic_mean_db,
    laeq_db,
    lden_db,
    percentile_level_db,
    relative_energy,
)

NAN = float("nan")
HOUR = np.timedelta64(1, "h")
# Local day 2024-06-21 in Europe/Paris (CEST, UTC+2) starts at 2024-06-20T22:00Z.
PARIS_JUNE_DAY = np.datetime64("2024-06-20T22:00") + np.arange(24) * HOUR
# docs/acoustics.md §2.2 worked example, local hours 0..23.
PROFILE_DB = [45, 43, 42, 42, 44, 50, 58, 64, 66, 65, 64, 64,
              65, 65, 64, 65, 66, 67, 66, 64, 62, 60, 57, 52]  # fmt: skip

levels_st = st.floats(min_value=-20.0, max_value=160.0, allow_nan=False)
level_lists = st.lists(levels_st, min_size=1, max_size=40)
TOL = 1e-9


# --- energetic mean, sum, difference -------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "expected"),
    [([60, 70], 67.40), ([50, 60, 70], 65.68), ([60, 60], 60.00), ([42.5], 42.50)],
)
def test_energetic_mean_matches_reference_vectors(levels: list[float], expected: float) -> None:
    assert round(energetic_mean_db(levels), 2) == expected


def test_energetic_mean_is_not_the_arithmetic_mean() -> None:
    assert energetic_mean_db([60, 70]) > 67  # the arithmetic mean would say 65


def test_energetic_mean_ignores_nan() -> None:
    assert energetic_mean_db([60, NAN, 70]) == energetic_mean_db([60, 70])


def test_energetic_mean_uses_weights() -> None:
    # (3·10^6 + 1·10^7) / 4 = 3.25·10^6
    assert round(energetic_mean_db([60, 70], weights=[3, 1]), 2) == 65.12


def test_energetic_mean_ignores_zero_weights() -> None:
    assert energetic_mean_db([60, 90], weights=[1, 0]) == 60


@pytest.mark.parametrize(
    ("levels", "expected"), [([50, 60, 70], 70.45), ([60, 60], 63.01), ([60, NAN], 60.0)]
)
def test_energetic_sum_matches_reference_vectors(levels: list[float], expected: float) -> None:
    assert round(energetic_sum_db(levels), 2) == expected


@pytest.mark.parametrize(
    ("total", "background", "expected"), [(70, 60, 69.54), (80, 70, 79.54), (63.0103, 60, 60.0)]
)
def test_energetic_difference_removes_background(
    total: float, background: float, expected: float
) -> None:
    assert round(energetic_difference_db(total, background), 2) == expected


@pytest.mark.parametrize(("total", "background"), [(60, 60), (60, 65), (60, NAN)])
def test_energetic_difference_refuses_background_at_or_above_total(
    total: float, background: float
) -> None:
    with pytest.raises(ValueError, match="not distinguishable"):
        energetic_difference_db(total, background, min_margin_db=0)


def test_energetic_difference_refuses_margin_of_3_db_or_less_by_default() -> None:
    with pytest.raises(ValueError, match="not distinguishable"):
        energetic_difference_db(70, 68)


def test_energetic_difference_margin_can_be_lowered() -> None:
    assert round(energetic_difference_db(70, 68, min_margin_db=0), 2) == 65.67


@pytest.mark.parametrize(
    "call",
    [
        lambda: energetic_mean_db([]),
        lambda: energetic_mean_db([NAN, NAN]),
        lambda: energetic_mean_db([60, 70], weights=[0, 0]),
        lambda: energetic_sum_db([]),
        lambda: laeq_db([NAN], [1]),
        lambda: percentile_level_db([], 10),
    ],
)
def test_no_level_is_an_error(call: Callable[[], float]) -> None:
    with pytest.raises(ValueError, match="no level"):
        call()


@pytest.mark.parametrize(
    ("weights", "match"),
    [([1, 2, 3], "3 values for 2 levels"), ([1, -1], "non-negative"), ([1, NAN], "finite")],
)
def test_bad_weights_are_refused(weights: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        energetic_mean_db([60, 70], weights=weights)


def test_infinite_level_is_refused() -> None:
    with pytest.raises(ValueError, match="infinity"):
        energetic_mean_db([60, math.inf])


# --- LAeq ----------------------------------------------------------------------------------


def test_laeq_weights_samples_by_duration() -> None:
    # (50·10^6 + 10·10^7) / 60 s = 2.5·10^6
    assert round(laeq_db([60, 70], [50, 10]), 2) == 63.98


def test_laeq_with_one_duration_is_the_energetic_mean() -> None:
    assert laeq_db([50, 60, 70], 1.0) == pytest.approx(energetic_mean_db([50, 60, 70]))


# --- percentile levels ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"), [(10, 90.1), (50, 50.5), (90, 10.9), (0, 100), (100, 1)]
)
def test_percentile_level_uses_linear_interpolation(n: float, expected: float) -> None:
    assert percentile_level_db(np.arange(1, 101), n) == pytest.approx(expected)


def test_percentile_level_ignores_nan() -> None:
    assert percentile_level_db([50, NAN, 60, 70], 50) == 60


@pytest.mark.parametrize(("n", "expected"), [(10, 70), (50, 70), (85, 60), (90, 50)])
def test_percentile_level_weights_by_duration(n: float, expected: float) -> None:
    # 70 dB holds 80 % of the time, 60 dB 10 %, 50 dB 10 %.
    assert percentile_level_db([50, 70, 60], n, durations_s=[1, 8, 1]) == expected


@pytest.mark.parametrize("n", [-1, 100.5])
def test_percentile_level_refuses_n_outside_0_100(n: float) -> None:
    with pytest.raises(ValueError, match="percentage"):
        percentile_level_db([50, 60], n)


# --- Lday / Levening / Lnight / Lden -------------------------------------------------------


def test_constant_60_db_day_gives_lden_66_40() -> None:
    den = lden_db(PARIS_JUNE_DAY, np.full(24, 60.0), 3600)
    assert (den.lday_db, den.levening_db, den.lnight_db) == pytest.approx((60, 60, 60))
    assert round(den.lden_db, 2) == 66.40


def test_hourly_profile_matches_reference_example() -> None:
    den = lden_db(PARIS_JUNE_DAY, PROFILE_DB, 3600)
    rounded = [round(x, 2) for x in (den.lday_db, den.levening_db, den.lnight_db, den.lden_db)]
    assert rounded == [65.19, 61.46, 50.96, 64.48]


def test_full_day_reports_support() -> None:
    den = lden_db(PARIS_JUNE_DAY, np.full(24, 60.0), 3600)
    assert (den.day_s, den.evening_s, den.night_s) == (12 * 3600, 4 * 3600, 8 * 3600)
    assert (den.day_coverage, den.evening_coverage, den.night_coverage) == (1, 1, 1)
    assert den.days == 1


# Local days around the DST changes in Europe/Paris, as UTC hour limits:
# (first hour, day start, evening start, night start, hours in the local day).
DST_DAYS = [
    # 2024-03-31: 00:00 CET = 23:00Z the day before; 07:00 CEST = 05:00Z; 23 hours.
    ("2024-03-30T23:00", "2024-03-31T05:00", "2024-03-31T17:00", "2024-03-31T21:00", 23),
    # 2024-10-27: 00:00 CEST = 22:00Z the day before; 07:00 CET = 06:00Z; 25 hours.
    ("2024-10-26T22:00", "2024-10-27T06:00", "2024-10-27T18:00", "2024-10-27T22:00", 25),
]


@pytest.mark.parametrize(("first", "day", "evening", "night", "n_hours"), DST_DAYS)
def test_periods_follow_local_time_across_dst(
    first: str, day: str, evening: str, night: str, n_hours: int
) -> None:
    times = np.datetime64(first) + np.arange(n_hours) * HOUR
    day_t, evening_t, night_t = np.datetime64(day), np.datetime64(evening), np.datetime64(night)
    in_day = (times >= day_t) & (times < evening_t)
    in_evening = (times >= evening_t) & (times < night_t)
    levels = np.select([in_day, in_evening], [70.0, 60.0], default=50.0)
    den = lden_db(times, levels, 3600)
    assert (den.lday_db, den.levening_db, den.lnight_db) == pytest.approx((70, 60, 50))
    assert (den.day_coverage, den.evening_coverage, den.night_coverage) == pytest.approx((1, 1, 1))


@pytest.mark.parametrize(
    ("utc", "period"),
    [
        ("2024-03-30T05:30", "night"),  # 06:30 CET
        ("2024-03-31T05:30", "day"),  # 07:30 CEST, same UTC hour the next day
        ("2024-06-21T17:30", "evening"),  # 19:30 CEST
        ("2024-12-21T18:30", "evening"),  # 19:30 CET
        ("2024-12-21T22:30", "night"),  # 23:30 CET
    ],
)
def test_sample_falls_in_local_period(utc: str, period: str) -> None:
    den = lden_db([np.datetime64(utc)], [60.0], 600, min_coverage=0)
    levels = {"day": den.lday_db, "evening": den.levening_db, "night": den.lnight_db}
    assert [name for name, level in levels.items() if not math.isnan(level)] == [period]


def test_short_measurement_is_not_an_lden() -> None:
    ten_minutes = np.datetime64("2024-06-21T08:00") + np.arange(600) * np.timedelta64(1, "s")
    den = lden_db(ten_minutes, np.full(600, 65.0), 1)
    assert math.isnan(den.lday_db)
    assert math.isnan(den.lden_db)
    assert den.day_s == 600


def test_missing_period_leaves_lden_undefined() -> None:
    daytime = PARIS_JUNE_DAY[7:19]
    den = lden_db(daytime, np.full(12, 60.0), 3600)
    assert den.lday_db == pytest.approx(60)
    assert math.isnan(den.levening_db)
    assert math.isnan(den.lden_db)


def test_nan_samples_are_missing_not_silence() -> None:
    levels = np.full(24, 60.0)
    levels[0] = NAN
    den = lden_db(PARIS_JUNE_DAY, levels, 3600)
    assert den.lnight_db == pytest.approx(60)
    assert den.night_coverage == pytest.approx(7 / 8)


def test_aware_datetimes_in_any_zone_equal_utc_datetime64() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    aware = [datetime(2024, 6, 20, 22, tzinfo=UTC).astimezone(tokyo) + timedelta(hours=h)
             for h in range(24)]  # fmt: skip
    assert lden_db(aware, PROFILE_DB, 3600) == lden_db(PARIS_JUNE_DAY, PROFILE_DB, 3600)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        lden_db([datetime(2024, 6, 21, 12)], [60.0], 3600)


def test_time_zone_changes_the_periods() -> None:
    # 05:30Z is 07:30 in Paris (summer) but 01:30 in New York.
    sample = [np.datetime64("2024-06-21T05:30")]
    den = lden_db(sample, [60.0], 600, time_zone="America/New_York", min_coverage=0)
    assert math.isnan(den.lday_db)
    assert den.lnight_db == 60


def test_shortened_evening_changes_lden_weights() -> None:
    periods = DenPeriods(evening_start_h=20)  # day 07–20 (13 h), evening 20–23 (3 h)
    den = lden_db(PARIS_JUNE_DAY, np.full(24, 60.0), 3600, periods=periods)
    expected = 10 * math.log10((13 * 1e6 + 3 * 10**6.5 + 8 * 1e7) / 24)
    assert den.lden_db == pytest.approx(expected)


@pytest.mark.parametrize("limits", [(19, 7, 23), (7, 7, 23), (7, 19, 25), (0, 12, 24)])
def test_inconsistent_periods_are_refused(limits: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError, match="day_start_h"):
        DenPeriods(*limits)


def test_end_periods_are_12_4_8_hours() -> None:
    assert END_PERIODS.hours() == (12, 4, 8)


# --- properties ----------------------------------------------------------------------------


@given(level=levels_st, count=st.integers(min_value=1, max_value=50))
def test_mean_of_equal_levels_is_that_level(level: float, count: int) -> None:
    assert energetic_mean_db([level] * count) == pytest.approx(level, abs=TOL)


@given(levels=level_lists)
def test_energetic_mean_is_never_below_arithmetic_mean(levels: list[float]) -> None:
    assert energetic_mean_db(levels) >= float(np.mean(levels)) - TOL


@given(levels=level_lists, drop_db=st.floats(min_value=0.0, max_value=100.0))
def test_adding_a_quieter_sample_never_raises_the_mean(levels: list[float], drop_db: float) -> None:
    mean = energetic_mean_db(levels)
    assert energetic_mean_db([*levels, mean - drop_db]) <= mean + TOL


@given(levels=level_lists)
def test_energetic_mean_lies_between_min_and_max(levels: list[float]) -> None:
    assert min(levels) - TOL <= energetic_mean_db(levels) <= max(levels) + TOL


@given(levels=level_lists)
def test_energetic_sum_is_at_least_the_loudest_level(levels: list[float]) -> None:
    assert energetic_sum_db(levels) >= max(levels) - TOL


# --- the kernel: grouped means, relative energy, Lden from period levels -----------------------


@given(groups=st.lists(st.lists(st.tuples(levels_st, st.floats(0.5, 3600.0)), min_size=1,
                                max_size=10), min_size=1, max_size=6))
def test_grouped_mean_is_the_mean_of_each_group(groups: list[list[tuple[float, float]]]) -> None:
    levels = [lv for g in groups for lv, _ in g]
    weights = [w for g in groups for _, w in g]
    codes = [i for i, g in enumerate(groups) for _ in g]
    level, seconds = grouped_energetic_mean_db(levels, weights, codes, n_groups=len(groups) + 1)
    for i, g in enumerate(groups):
        assert level[i] == pytest.approx(laeq_db([lv for lv, _ in g], [w for _, w in g]), abs=1e-9)
        assert seconds[i] == pytest.approx(sum(w for _, w in g))
    assert np.isnan(level[-1])
    assert seconds[-1] == 0


def test_grouped_mean_refuses_group_numbers_out_of_range() -> None:
    with pytest.raises(ValueError, match="group numbers"):
        grouped_energetic_mean_db([60, 70], None, [0, 2], n_groups=2)


def test_relative_energy_in_place_overwrites_the_buffer_only() -> None:
    buffer = np.array([60.0, 70.0])
    out = relative_energy(buffer, 60.0, out=buffer)
    assert out is buffer
    assert out.round(9).tolist() == [1.0, 10.0]
    levels = np.array([60.0, 70.0])
    relative_energy(levels, 60.0)
    assert levels.tolist() == [60.0, 70.0]


@pytest.mark.parametrize(("ld", "le", "ln", "expected"), [
    (60.0, 60.0, 60.0, 66.40),  # docs/acoustics.md §2.2: the penalties alone add 6.4 dB
    (65.19, 61.46, 50.96, 64.48),  # the worked hourly profile of §2.2
])
def test_den_level_matches_the_worked_examples(ld: float, le: float, ln: float,
                                                expected: float) -> None:
    assert round(float(den_level_db(ld, le, ln)), 2) == expected


def test_den_level_is_undefined_without_every_period() -> None:
    assert np.isnan(den_level_db([60.0, 60.0], [60.0, NAN], [60.0, 60.0])).tolist() == [False, True]
