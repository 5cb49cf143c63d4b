"""Agreement between perceived intensity and measured level, honest about clustering (pure).

One participant gives many answers: their answers are not independent, so the confidence
interval of Spearman's ρ comes from a **bootstrap resampling participants** (clusters), not
from the naive formula (docs/acoustics.md §5).
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

MIN_REPORTS = 10
MIN_CLUSTERS = 5


@dataclass(frozen=True)
class Correlation:
    """Spearman's ρ with its cluster-bootstrap percentile interval and its support:
    ``n`` pairs from ``n_clusters`` clusters, each a ``unit`` ("participants", "cells")."""

    n: int
    n_clusters: int
    rho: float
    ci_low: float
    ci_high: float
    confidence: float
    resamples: int
    small_count: bool
    note: str
    unit: str = "participants"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready (NaN → None)."""
        return {k: (None if isinstance(v, float) and np.isnan(v) else v)
                for k, v in asdict(self).items()}


def _rho(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> float:
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(sps.spearmanr(x, y).statistic)


def spearman_cluster_bootstrap(
    perceived: npt.ArrayLike, measured_db: npt.ArrayLike, clusters: npt.ArrayLike, *,
    resamples: int = 2000, confidence: float = 0.95, seed: int = 0, unit: str = "participants",
) -> Correlation:
    """Spearman's ρ between perceived intensity and measured level, CI by participant.

    Parameters
    ----------
    perceived : array_like
        Perceived intensity (ordinal, e.g. 1–5).
    measured_db : array_like
        Measured LAeq at the same report, dB(A). Pairs with a NaN are dropped.
    clusters : array_like
        Participant (contributor) of each pair: the bootstrap draws whole participants.
    resamples : int
        Bootstrap resamples (2,000 by default).
    confidence : float
        Two-sided level of the percentile interval.
    seed : int
        Seed of the generator: the same data give the same interval.
    unit : str
        What a cluster is, for the note ("participants", "cells").

    Returns
    -------
    Correlation
        ``small_count`` when fewer than 10 pairs or 5 participants: the figure may mislead.

    >>> r = spearman_cluster_bootstrap([1, 2, 3, 4, 5, 5], [50, 55, 60, 65, 70, 72],
    ...                                ["a", "b", "c", "d", "e", "e"], resamples=200)
    >>> (round(r.rho, 3), r.small_count)
    (0.986, True)
    """
    x = np.asarray(perceived, dtype=float)
    y = np.asarray(measured_db, dtype=float)
    groups = np.asarray(clusters)
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y, groups = x[keep], y[keep], groups[keep]
    labels, codes = (np.unique(groups, return_inverse=True) if x.size
                     else (np.array([]), np.array([], dtype=int)))
    n, k = int(x.size), int(labels.size)
    rho = _rho(x, y)
    low = high = float("nan")
    if k >= 2 and not np.isnan(rho):
        members = [np.flatnonzero(codes == c) for c in range(k)]
        rng = np.random.default_rng(seed)
        draws = []
        for _ in range(resamples):
            idx = np.concatenate([members[c] for c in rng.integers(0, k, size=k)])
            draws.append(_rho(x[idx], y[idx]))
        valid = np.asarray(draws)[~np.isnan(draws)]
        if valid.size:
            alpha = (1.0 - confidence) / 2.0
            low, high = (float(v) for v in np.quantile(valid, [alpha, 1.0 - alpha]))
    small = n < MIN_REPORTS or k < MIN_CLUSTERS
    note = (f"only {n} pairs from {k} {unit}: too few to conclude" if small else
            f"{n} pairs from {k} {unit}; interval from {resamples} resamples of {unit}")
    return Correlation(n, k, rho, low, high, confidence, resamples, small, note, unit)
