"""Inverse-distance interpolation of measured levels with an uncertainty (pure).

A surface estimated **between** measurement places is a model, never a measurement: callers
label it so. Between places levels are interpolated in dB by default (levels decay roughly
linearly in dB with log-distance); ``domain="energy"`` averages energies, which lets the
loudest neighbour dominate (docs/acoustics.md §4.5).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from layers.acoustics import energetic_mean_db


@dataclass(frozen=True)
class Surface:
    """IDW estimates at targets: level (dB(A)), spread (dB) and support, NaN where masked."""

    level_db: npt.NDArray[np.float64]
    uncertainty_db: npt.NDArray[np.float64]
    neighbours: npt.NDArray[np.int64]
    nearest_m: npt.NDArray[np.float64]


def idw(
    points_xy: npt.ArrayLike, levels_db: npt.ArrayLike, targets_xy: npt.ArrayLike, *,
    power: float = 2.0, k: int = 8, max_distance_m: float = 100.0, domain: str = "db",
) -> Surface:
    """IDW of levels at target points, in a **metric** CRS.

    Parameters
    ----------
    points_xy : array_like, shape (n, 2)
        Measurement places, metres (projected CRS, e.g. EPSG:2154).
    levels_db : array_like, shape (n,)
        LAeq at each place, dB(A) (already pooled energetically per place).
    targets_xy : array_like, shape (m, 2)
        Where to estimate, metres, same CRS.
    power : float
        Distance exponent p of the weights ``w = d^-p``.
    k : int
        Neighbours used at most.
    max_distance_m : float
        Neighbours beyond are ignored; a target with none is masked (NaN): no extrapolation.
    domain : {"db", "energy"}
        Average levels in dB or energies ``10^(L/10)``.

    Returns
    -------
    Surface
        ``uncertainty_db`` is the weighted standard deviation of the neighbours' levels (dB):
        0 where they agree, large where the estimate hides contrasts; a target on a
        measurement place returns that place's level (co-located ones pooled energetically)
        with the spread of those levels (0 for a single one).

    >>> s = idw([[0, 0], [10, 0]], [50, 70], [[5, 0]], max_distance_m=20)
    >>> round(float(s.level_db[0]), 6), round(float(s.uncertainty_db[0]), 6)
    (60.0, 10.0)
    >>> round(float(idw([[0, 0], [10, 0]], [50, 70], [[5, 0]], domain="energy").level_db[0]), 1)
    67.0
    """
    if domain not in {"db", "energy"}:
        msg = f"domain must be 'db' or 'energy', got {domain!r}"
        raise ValueError(msg)
    pts = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    levels = np.asarray(levels_db, dtype=float)
    targets = np.asarray(targets_xy, dtype=float).reshape(-1, 2)
    k = min(k, len(pts))
    m = len(targets)
    level, spread = np.full(m, np.nan), np.full(m, np.nan)
    count, nearest = np.zeros(m, dtype=np.int64), np.full(m, np.nan)
    if k == 0:
        return Surface(level, spread, count, nearest)
    dist, idx = cKDTree(pts).query(targets, k=k, distance_upper_bound=max_distance_m)
    dist, idx = dist.reshape(m, k), idx.reshape(m, k)
    for t in range(m):
        ok = np.isfinite(dist[t])
        if not ok.any():
            continue
        d, values = dist[t][ok], levels[idx[t][ok]]
        nearest[t], count[t] = d.min(), ok.sum()
        if d.min() == 0:
            # Measurements at the target itself (co-located sensors): pooled energetically,
            # whatever ``domain`` — they measure the same place (docs/acoustics.md §1).
            here = values[d == 0]
            level[t], spread[t] = energetic_mean_db(here), float(here.std())
            continue
        w = d ** -power
        if domain == "db":
            level[t] = np.average(values, weights=w)
        else:
            level[t] = energetic_mean_db(values, weights=w)
        spread[t] = np.sqrt(np.average((values - level[t]) ** 2, weights=w))
    return Surface(level, spread, count, nearest)
