"""Tests for layers.stats, layers.annoyance and layers.interpolation (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from layers.annoyance import observed_percent_highly_annoyed, who_percent_highly_annoyed
from layers.interpolation import idw
from layers.stats import spearman_cluster_bootstrap


def test_cluster_bootstrap_is_wider_than_pretending_answers_are_independent() -> None:
    rng = np.random.default_rng(1)
    people = np.repeat(np.arange(8), 10)  # 8 participants × 10 answers each
    offset = rng.normal(0, 8, 8)[people]  # each participant hears a different place
    level = 55 + offset + rng.normal(0, 2, people.size)
    rating = np.clip(np.round(3 + offset / 8 + rng.normal(0, 0.7, people.size)), 1, 5)
    clustered = spearman_cluster_bootstrap(rating, level, people, resamples=500)
    naive = spearman_cluster_bootstrap(rating, level, np.arange(people.size), resamples=500)
    assert clustered.rho == pytest.approx(naive.rho)
    assert clustered.ci_high - clustered.ci_low > naive.ci_high - naive.ci_low
    assert not clustered.small_count
    assert clustered.n_clusters == 8


def test_small_counts_are_said() -> None:
    result = spearman_cluster_bootstrap([1, 2, 3], [50, 60, 70], ["a", "a", "b"], resamples=50)
    assert result.small_count
    assert "too few" in result.note


def test_constant_answers_give_no_rho() -> None:
    result = spearman_cluster_bootstrap([3] * 20, np.arange(20.0), np.arange(20), resamples=50)
    assert result.as_dict()["rho"] is None


@pytest.mark.parametrize(("lden", "expected"), [(45, 7.95), (53, 9.84), (60, 15.08), (75, 37.59)])
def test_who_road_curve(lden: float, expected: float) -> None:
    assert float(who_percent_highly_annoyed(lden)) == pytest.approx(expected, abs=0.01)


def test_who_curve_outside_its_range_is_not_given() -> None:
    assert np.isnan(who_percent_highly_annoyed(30.0))


def test_observed_share_with_wilson_interval() -> None:
    out = observed_percent_highly_annoyed([5, 4, 1, 2, 3, 1, 2, 3, 1, 2])
    assert out["percent"] == 20.0
    assert out["ci_low"] < 20 < out["ci_high"]


def test_idw_db_vs_energy_and_masking() -> None:
    pts, levels = [[0, 0], [10, 0]], [50, 70]
    assert float(idw(pts, levels, [[5, 0]]).level_db[0]) == pytest.approx(60.0)
    energy = idw(pts, levels, [[5, 0]], domain="energy")
    assert float(energy.level_db[0]) == pytest.approx(67.0, abs=0.05)
    far = idw(pts, levels, [[1000, 0]], max_distance_m=100)
    assert np.isnan(far.level_db[0])
    assert far.neighbours[0] == 0
    on = idw(pts, levels, [[0, 0]])
    assert (float(on.level_db[0]), float(on.uncertainty_db[0])) == (50.0, 0.0)


def test_idw_pools_co_located_measurements_energetically() -> None:
    # Two sensors on the same spot, 60 and 70 dB(A): 67.4 dB(A), not the arithmetic 65.
    surface = idw([[0, 0], [0, 0], [50, 0]], [60.0, 70.0, 40.0], [[0, 0]])
    assert float(surface.level_db[0]) == pytest.approx(67.4, abs=0.05)
    assert float(surface.uncertainty_db[0]) == pytest.approx(5.0)
