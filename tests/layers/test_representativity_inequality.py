"""Tests for layers.representativity.inequality against independent definitions."""

from __future__ import annotations

import doctest
import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from layers.representativity import inequality, margins, suppression, timing
from layers.representativity.inequality import gini, lorenz, people_for_share, top_share

COUNTS = st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=60).filter(
    lambda counts: sum(counts) > 0)


def _gini_by_pairs(counts: list[int]) -> float:
    """The textbook definition: mean absolute difference over twice the mean."""
    n, mean = len(counts), sum(counts) / len(counts)
    return sum(abs(a - b) for a, b in itertools.product(counts, repeat=2)) / (2 * n * n * mean)


@given(COUNTS)
def test_gini_is_the_mean_absolute_difference_over_twice_the_mean(counts: list[int]) -> None:
    assert gini(counts) == pytest.approx(_gini_by_pairs(counts), abs=1e-12)


@given(COUNTS, st.integers(min_value=1, max_value=9))
def test_the_top_share_is_what_the_busiest_fraction_made(counts: list[int], tenths: int) -> None:
    # With n × fraction a whole number of people, the share is theirs exactly.
    n = len(counts) * 10
    repeated = [c for c in counts for _ in range(10)]
    busiest = sorted(repeated, reverse=True)[: n * tenths // 10]
    assert top_share(repeated, tenths / 10) == pytest.approx(sum(busiest) / sum(repeated))


@given(COUNTS)
def test_the_lorenz_curve_runs_from_nobody_to_everybody_below_the_diagonal(
    counts: list[int],
) -> None:
    curve = lorenz(counts)
    assert curve[0] == [0.0, 0.0]
    assert curve[-1] == [1.0, 1.0]
    ys = [y for _, y in curve]
    assert ys == sorted(ys)
    assert all(y <= x + 1e-4 for x, y in curve)


@pytest.mark.parametrize(("counts", "top10", "g", "half"), [
    ([5, 5, 5, 5], 0.10, 0.0, 2),  # all alike
    ([0, 0, 0, 0, 0, 0, 0, 0, 0, 20], 1.0, 0.9, 1),  # "the map is made by one enthusiast"
    ([1, 1, 10], 0.25, 0.5, 1),
])
def test_small_tables(counts: list[int], top10: float, g: float, half: int) -> None:
    assert top_share(counts) == pytest.approx(top10)
    assert gini(counts) == pytest.approx(g)
    assert people_for_share(counts) == half


def test_no_contribution_gives_no_figure() -> None:
    assert math.isnan(gini([]))
    assert math.isnan(top_share([0, 0]))
    assert lorenz([]) == []
    assert people_for_share([0]) is None
    with pytest.raises(ValueError, match="not negative"):
        gini([3, -1])


def test_the_examples_in_the_docstrings_hold() -> None:
    for module in (inequality, suppression, margins, timing):
        failed, _ = doctest.testmod(module)
        assert failed == 0, module.__name__


def test_counts_in_any_order_give_the_same_figures() -> None:
    counts = np.random.default_rng(0).integers(0, 50, size=40)
    assert gini(counts) == gini(counts[::-1])
    assert lorenz(counts) == lorenz(sorted(counts))
