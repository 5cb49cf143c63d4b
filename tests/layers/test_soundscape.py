"""ISO/TS 12913-3 projection, per-site figures and the two correlations, by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from layers.soundscape import (
    AGGREGATE_WARNING,
    COS45,
    NORMALISATION,
    check_scale,
    iso_coordinates,
    site_correlation,
    site_figures,
    soundscape_summary,
)
from layers.stats import spearman_cluster_bootstrap

C = math.sqrt(2) / 2  # cos 45°
NORM = 4 + math.sqrt(32)  # 9.656854…


def test_constants_are_the_standard_ones():
    assert pytest.approx(0.7071067811865476) == COS45
    assert pytest.approx(9.656854249492381) == NORMALISATION


def test_projection_by_hand():
    # order: pleasant, chaotic, vibrant, uneventful, calm, annoying, eventful, monotonous
    # pa=2 ch=4 vi=3 un=2 ca=1 an=2 ev=4 mo=3
    # P = [(2-2) + c·(1-4) + c·(3-3)] / (4+√32) = -3c / 9.65685 = -2.12132 / 9.65685 = -0.21967
    # E = [(4-2) + c·(4-1) + c·(3-3)] / (4+√32) = (2 + 3c) / 9.65685 = 4.12132 / 9.65685 = 0.42678
    p, e = iso_coordinates([2, 4, 3, 2, 1, 2, 4, 3])
    assert p[0] == pytest.approx(-3 * C / NORM) == pytest.approx(-0.219670, abs=1e-6)
    assert e[0] == pytest.approx((2 + 3 * C) / NORM) == pytest.approx(0.426777, abs=1e-6)


def test_projection_bounds_and_neutral():
    # Most pleasant and vibrant: pa=ca=vi=5, an=ch=mo=1, ev=un=3
    # P = [4 + 4c + 4c] / (4 + 4√2) = (4 + 4√2)/(4 + 4√2) = 1
    # E = [0 + c·(1-5) + c·(5-1)] / … = 0
    p, e = iso_coordinates([[5, 1, 5, 3, 5, 1, 3, 1], [3] * 8, [1, 5, 1, 3, 1, 5, 3, 5]])
    assert p.tolist() == pytest.approx([1.0, 0.0, -1.0])
    assert e.tolist() == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)
    # Most eventful: ev=5 un=1, ch=5 ca=1, vi=5 mo=1, pa=an=3 → E = (4 + 4c + 4c)/(4+4√2) = 1
    p, e = iso_coordinates([3, 5, 5, 1, 1, 3, 5, 1])
    assert e[0] == pytest.approx(1.0)
    # P = 0 + c·(1-5) + c·(5-1) = 0
    assert p[0] == pytest.approx(0.0, abs=1e-12)


def test_isd_rows_match_their_published_coordinates():
    # Three answers of the International Soundscape Database v0.2.2 (Camden Town, 2019),
    # which ships ISOPleasant/ISOEventful computed by its authors (4 decimals).
    paq = [[2, 4, 3, 2, 1, 2, 4, 3], [3, 4, 2, 1, 1, 4, 2, 4], [4, 3, 3, 2, 2, 4, 3, 2]]
    p, e = iso_coordinates(paq)
    assert np.round(p, 4).tolist() == [-0.2197, -0.4697, 0.0]
    assert np.round(e, 4).tolist() == [0.4268, 0.1768, 0.25]


def test_missing_item_gives_no_coordinates_and_bad_values_are_refused():
    p, e = iso_coordinates([[3, 3, 3, 3, float("nan"), 3, 3, 3]])
    assert math.isnan(p[0])
    assert math.isnan(e[0])
    with pytest.raises(ValueError, match="1–5"):
        iso_coordinates([0, 3, 3, 3, 3, 3, 3, 3])
    with pytest.raises(ValueError, match="8 attributes"):
        iso_coordinates([3, 3, 3])
    assert check_scale(5, "calm") == 5
    for bad in (0, 6, 2.5, True, "3", None, float("nan")):
        with pytest.raises(ValueError, match="calm"):
            check_scale(bad, "calm")


def test_site_level_is_energetic_and_counts_each_recording_once():
    # Site A: two people beside recording r1 (60 dB), one beside r2 (70 dB).
    # Energetic mean of the two recordings: 10·log10((10^6 + 10^7)/2) = 60 + 10·log10(5.5) = 67.40
    # (arithmetic 65; counting r1 twice would give 60 + 10·log10(12/3) = 66.02).
    # Site B: one answer, no recording.
    neutral, pleasant = [3] * 8, [5, 1, 5, 3, 5, 1, 3, 1]
    figs = site_figures(
        ["A", "A", "A", "B"],
        [neutral, pleasant, neutral, neutral],
        [2, 4, 3, float("nan")],
        [60.0, 60.0, 70.0, float("nan")],
        recordings=["r1", "r1", "r2", "r3"],
    )
    a, b = figs
    assert (a.site, a.n, a.n_recordings) == ("A", 3, 2)
    assert a.laeq_db == pytest.approx(67.40, abs=0.005)
    # pleasantness mean (0 + 1 + 0)/3; loudness mean (2 + 4 + 3)/3 = 3
    assert a.pleasantness == pytest.approx(1 / 3)
    assert a.eventfulness == pytest.approx(0.0, abs=1e-12)
    assert a.loudness_mean == pytest.approx(3.0)
    assert (b.n, b.laeq_db, b.loudness_mean, b.n_recordings) == (1, None, None, 0)
    # Without recordings each answer counts: 10·log10((1 + 1 + 10)/3) + 60 = 66.02
    a2 = site_figures(["A"] * 3, [neutral] * 3, [2, 4, 3], [60.0, 60.0, 70.0])[0]
    assert a2.laeq_db == pytest.approx(66.02, abs=0.005)


def test_site_level_weighted_by_duration():
    # 60 dB for 50 s and 70 dB for 10 s: 10·log10((50·10^6 + 10·10^7)/60) = 63.98
    a = site_figures(
        ["A", "A"],
        [[3] * 8] * 2,
        [3, 3],
        [60.0, 70.0],
        recordings=["r1", "r2"],
        durations_s=[50, 10],
    )[0]
    assert a.laeq_db == pytest.approx(63.98, abs=0.005)


def test_per_site_correlation_beside_the_individual_one():
    # Five sites at 50, 55, 60, 65, 70 dB; at each, four people whose loudness scatters
    # around a site mean that rises with the level: site means are perfectly ranked
    # (rho = 1) while individual answers overlap a lot.
    levels = [50, 55, 60, 65, 70]
    answers = {
        50: [1, 3, 2, 2],
        55: [3, 1, 2, 3],
        60: [2, 4, 3, 2],
        65: [4, 2, 3, 4],
        70: [3, 5, 4, 3],
    }
    sites, loud, laeq, people = [], [], [], []
    for i, lv in enumerate(levels):
        for j, x in enumerate(answers[lv]):
            sites.append(f"s{i}")
            loud.append(x)
            laeq.append(lv)
            people.append(f"p{j}")  # four people walking all five sites
    s = soundscape_summary(
        sites, [[3] * 8] * len(sites), loud, laeq, people, recordings=sites, resamples=500
    )
    assert s.per_site.rho == pytest.approx(1.0)
    assert s.per_site.n_sites == 5
    assert not s.per_site.small_count
    assert s.per_site.warning == AGGREGATE_WARNING
    # Site means 2, 2.25, 2.75, 3.25, 3.75 — energetic LAeq of one level is that level
    assert [f.loudness_mean for f in s.sites] == [2.0, 2.25, 2.75, 3.25, 3.75]
    assert [f.laeq_db for f in s.sites] == pytest.approx(levels)
    ref = spearman_cluster_bootstrap(loud, laeq, people, resamples=500)
    assert s.individual.rho == pytest.approx(ref.rho)
    assert 0.3 < s.individual.rho < 0.8  # clearly weaker than the aggregated 1.0
    assert (s.individual.ci_low, s.individual.ci_high) == (ref.ci_low, ref.ci_high)
    d = s.as_dict()
    assert set(d["individual"]) >= {"rho", "ci_low", "ci_high", "n"}
    assert d["individual"]["n"] == 20
    assert set(d["per_site"]) >= {"rho", "n_sites", "warning"}
    assert set(d["sites"][0]) >= {
        "site",
        "n",
        "pleasantness",
        "eventfulness",
        "laeq_db",
        "loudness_mean",
    }


def test_per_site_correlation_small_count():
    figs = site_figures(["a", "b"], [[3] * 8] * 2, [2, 4], [55.0, 65.0])
    c = site_correlation(figs)
    assert c.n_sites == 2
    assert c.small_count
    assert c.rho is None  # fewer than 3: no rho
