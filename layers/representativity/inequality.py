"""How unequal contributing was: Lorenz curve, Gini coefficient, share of the most active (pure).

The input is one count per contributor (contributions each, all ≥ 0). The Lorenz curve is
read with contributors as a continuum: "the most active 10 %" of 3 contributors is 0.3 of
the busiest one, so a share exists for any number of contributors.

>>> counts = [1, 1, 10]
>>> round(gini(counts), 3), round(top_share(counts, 0.10), 3), people_for_share(counts, 0.5)
(0.5, 0.25, 1)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

LORENZ_STEPS = 10  # points at 0 %, 10 %, … 100 % of contributors


def _sorted(counts: Sequence[float] | npt.ArrayLike) -> npt.NDArray[np.float64]:
    values = np.sort(np.asarray(counts, dtype=float))
    if values.size and (values[0] < 0 or not np.all(np.isfinite(values))):
        msg = "counts must be finite and not negative"
        raise ValueError(msg)
    return values


def lorenz_points(counts: Sequence[float] | npt.ArrayLike) -> tuple[npt.NDArray[np.float64],
                                                                      npt.NDArray[np.float64]]:
    """The Lorenz curve's vertices: share of contributors (x) against share of contributions (y).

    Parameters
    ----------
    counts : array_like
        Contributions of each contributor (any order).

    Returns
    -------
    tuple of arrays
        ``x`` = 0, 1/n … 1 and ``y`` the cumulative share of contributions of the ``x``
        least active; both empty when the counts are empty or all zero.
    """
    values = _sorted(counts)
    total = values.sum()
    if values.size == 0 or total == 0:
        return np.array([]), np.array([])
    x = np.arange(values.size + 1) / values.size
    y = np.concatenate([[0.0], np.cumsum(values) / total])
    return x, y


def lorenz_at(counts: Sequence[float] | npt.ArrayLike, shares: Sequence[float]) -> list[float]:
    """The Lorenz curve read at ``shares`` of contributors (linear between vertices)."""
    x, y = lorenz_points(counts)
    if x.size == 0:
        return [math.nan for _ in shares]
    return [float(v) for v in np.interp(shares, x, y)]


def lorenz(counts: Sequence[float] | npt.ArrayLike) -> list[list[float]]:
    """The curve at every tenth of contributors, as ``[[share of contributors, share of
    contributions], …]`` rounded to 4 decimals; empty without contributions."""
    shares = [i / LORENZ_STEPS for i in range(LORENZ_STEPS + 1)]
    values = lorenz_at(counts, shares)
    if any(math.isnan(v) for v in values):
        return []
    return [[round(s, 4), round(v, 4)] for s, v in zip(shares, values, strict=True)]


def gini(counts: Sequence[float] | npt.ArrayLike) -> float:
    """Gini coefficient of the counts: 0 when all contributed alike, → 1 when one did all.

    One minus twice the area under the Lorenz curve, which equals the mean absolute
    difference between two contributors over twice the mean, Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄).
    NaN without contributions.
    """
    x, y = lorenz_points(counts)
    if x.size == 0:
        return math.nan
    return float(1.0 - np.sum((y[1:] + y[:-1]) * np.diff(x)))


def top_share(counts: Sequence[float] | npt.ArrayLike, fraction: float = 0.10) -> float:
    """Share of contributions made by the most active ``fraction`` of contributors."""
    if not 0 < fraction <= 1:
        msg = "fraction must be in (0, 1]"
        raise ValueError(msg)
    (below,) = lorenz_at(counts, [1.0 - fraction])
    return math.nan if math.isnan(below) else 1.0 - below


def people_for_share(counts: Sequence[float] | npt.ArrayLike, share: float = 0.5) -> int | None:
    """The fewest contributors who together made at least ``share`` of the contributions."""
    values = _sorted(counts)[::-1]
    total = values.sum()
    if total == 0:
        return None
    return int(np.searchsorted(np.cumsum(values), share * total - 1e-9) + 1)
