"""Expected annoyance from a measured level: WHO 2018 exposure–response curves (pure).

Guski, Schreckenberg & Schuemer (2017), used by the WHO Environmental Noise Guidelines (2018)
and Directive (EU) 2020/367 Annex III; docs/acoustics.md §6.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from mapping.errors import N_

CAVEAT = N_(
    "The WHO 2018 curve predicts the share of residents highly annoyed by road traffic at "
    "home under a long-term Lden at the most exposed façade. A carto-party's short LAeq is not "
    "an Lden and passers-by's momentary judgments are not residents' annoyance: the curve is "
    "shown beside what participants said as a reference, not as a prediction to test them "
    "against. Level explains about a third of annoyance; a gap shows where perception differs, "
    "never who is wrong."
)
VALID_RANGE_DB = (40.0, 80.0)
# %HA = a + b·L + c·L² (Lden in dB)
WHO_2018 = {
    "road": (78.9270, -3.1162, 0.0342),
    "rail": (38.1596, -2.05538, 0.0285),
    "aircraft": (-50.9693, 1.0168, 0.0072),
}


def who_percent_highly_annoyed(
    lden_db: npt.ArrayLike, source: str = "road"
) -> npt.NDArray[np.float64]:
    """%HA expected at ``lden_db`` (dB) for ``source``; NaN outside 40–80 dB, clipped to 0–100.

    >>> [round(float(v), 2) for v in who_percent_highly_annoyed([45, 53, 60, 65, 70, 75])]
    [7.95, 9.84, 15.08, 20.87, 28.37, 37.59]
    """
    a, b, c = WHO_2018[source]
    level = np.asarray(lden_db, dtype=float)
    value = np.clip(a + b * level + c * level**2, 0.0, 100.0)
    low, high = VALID_RANGE_DB
    return np.where((level >= low) & (level <= high), value, np.nan)


def wilson_interval(successes: int, n: int, *, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion, in percent (NaN, NaN when ``n`` is 0).

    >>> [round(v, 1) for v in wilson_interval(5, 20)]
    [11.2, 46.9]
    """
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def observed_percent_highly_annoyed(
    intensities: npt.ArrayLike, *, threshold: int = 4
) -> dict[str, float]:
    """Share (%) of reports at ``threshold`` or above on the 1–5 scale ("very", "extremely").

    Returns ``{"n", "percent", "ci_low", "ci_high"}`` with a Wilson 95 % interval.
    """
    values = np.asarray(intensities, dtype=float)
    values = values[~np.isnan(values)]
    high = int((values >= threshold).sum())
    low_ci, high_ci = wilson_interval(high, int(values.size))
    percent = 100.0 * high / values.size if values.size else float("nan")
    return {"n": int(values.size), "percent": percent, "ci_low": low_ci, "ci_high": high_ci}
