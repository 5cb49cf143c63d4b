"""Soundscape surveys (ISO 12913): pleasantness, eventfulness, sites, measured × perceived (pure).

The ISO/TS 12913-2 questionnaire asks, on a 5-point scale (1 "strongly disagree" … 5
"strongly agree"), how much the surrounding sound environment is *pleasant, chaotic,
vibrant, uneventful, calm, annoying, eventful, monotonous* (the eight perceived affective
attributes, PAQ), plus the perceived loudness (1 "not at all" … 5 "extremely") and the
overall quality (1 "very bad" … 5 "very good"). ISO/TS 12913-3 projects the eight
attributes onto two axes at 45° steps of the circumplex (docs/acoustics.md §7):

``ISOPleasant  = [(pa − an) + cos45°·(ca − ch) + cos45°·(vi − mo)] / (4 + √32)``
``ISOEventful  = [(ev − un) + cos45°·(ch − ca) + cos45°·(vi − mo)] / (4 + √32)``

``4 + √32`` is the largest possible numerator on a 1–5 scale (4 + 2·cos45°·4), so both lie
in [−1, 1]. A site's soundscape is the mean of its answers' coordinates; its measured level
is the **energetic** mean of the recordings made there (:mod:`layers.acoustics`, never an
arithmetic mean of dB). The association between perceived loudness and LAeq is given per
answer (Spearman's ρ with a cluster bootstrap, :mod:`layers.stats`) and, beside it, per site
— the second is not the first: means of sites remove the individual scatter and on real
surveys the two differ by a factor of two or three (ecological fallacy).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import numpy.typing as npt

from layers.acoustics import grouped_energetic_mean_db
from layers.stats import MIN_CLUSTERS, Correlation, _rho, spearman_cluster_bootstrap
from mapping.errors import N_
from mapping.soundscape import PAQ_ATTRIBUTES, SCALE, check_scale

__all__ = [
    "AGGREGATE_WARNING",
    "COS45",
    "MIN_SITES",
    "NORMALISATION",
    "PAQ_ATTRIBUTES",
    "SCALE",
    "SiteCorrelation",
    "SiteFigures",
    "SoundscapeSummary",
    "check_scale",
    "iso_coordinates",
    "site_correlation",
    "site_figures",
    "soundscape_summary",
]  # fmt: skip

COS45 = math.cos(math.radians(45.0))
NORMALISATION = 4.0 + math.sqrt(32.0)
MIN_SITES = MIN_CLUSTERS
AGGREGATE_WARNING = N_(
    "The per-site correlation compares site means (mean perceived loudness against the site's "
    "energetic LAeq): it is not an individual correlation. Averaging removes the scatter "
    "between people, so it is usually much stronger; never read it as how well one person's "
    "judgement follows the level."
)

FloatArray = npt.NDArray[np.float64]


def iso_coordinates(paq: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """ISO/TS 12913-3 pleasantness and eventfulness of answers.

    Parameters
    ----------
    paq : array_like, shape (n, 8) or (8,)
        The eight attributes on 1–5 in the order of :data:`PAQ_ATTRIBUTES`; NaN marks an
        unanswered item, and the answer's coordinates are then NaN (no imputation).

    Returns
    -------
    (pleasantness, eventfulness) : arrays of shape (n,), each in [−1, 1]

    Raises ``ValueError`` on a value outside 1–5 or a wrong shape.

    >>> p, e = iso_coordinates([2, 4, 3, 2, 1, 2, 4, 3])
    >>> round(float(p[0]), 4), round(float(e[0]), 4)
    (-0.2197, 0.4268)
    """
    a = np.atleast_2d(np.asarray(paq, dtype=np.float64))
    if a.ndim != 2 or a.shape[1] != len(PAQ_ATTRIBUTES):
        msg = f"expected 8 attributes per answer ({', '.join(PAQ_ATTRIBUTES)}), got shape {a.shape}"
        raise ValueError(msg)
    given = a[~np.isnan(a)]
    if given.size and (given.min() < SCALE[0] or given.max() > SCALE[1]):
        msg = "attributes must lie on the 1–5 scale"
        raise ValueError(msg)
    pa, ch, vi, un, ca, an, ev, mo = a.T
    pleasant = ((pa - an) + COS45 * (ca - ch) + COS45 * (vi - mo)) / NORMALISATION
    eventful = ((ev - un) + COS45 * (ch - ca) + COS45 * (vi - mo)) / NORMALISATION
    return pleasant, eventful


@dataclass(frozen=True)
class SiteFigures:
    """One site: ``n`` answers, mean pleasantness/eventfulness, the energetic LAeq of its
    ``n_recordings`` distinct recordings (dB(A), None without one) and the mean perceived
    loudness (1–5)."""

    site: str
    n: int
    pleasantness: float | None
    eventfulness: float | None
    laeq_db: float | None
    loudness_mean: float | None
    n_recordings: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _mean_or_none(values: FloatArray) -> float | None:
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else None


def site_figures(
    sites: Sequence[str],
    paq: npt.ArrayLike,
    loudness: npt.ArrayLike,
    laeq_db: npt.ArrayLike,
    *,
    recordings: Sequence[object] | None = None,
    durations_s: npt.ArrayLike | None = None,
) -> list[SiteFigures]:
    """Per-site soundscape and level, sites in first-seen order.

    Parameters
    ----------
    sites : sequence of str
        Site of each answer.
    paq : array_like, shape (n, 8)
        The eight attributes of each answer (:func:`iso_coordinates`).
    loudness : array_like, shape (n,)
        Perceived loudness 1–5 (NaN when unanswered).
    laeq_db : array_like, shape (n,)
        LAeq of the recording beside each answer, dB(A) (NaN when none).
    recordings : sequence, optional
        Which recording each answer stood beside. Several people answering beside one
        recording share it: the site's LAeq counts each recording **once** (by default every
        answer is its own recording).
    durations_s : array_like, optional
        Duration of each answer's recording, s: the site's LAeq weights recordings by it
        (equal weights by default).
    """
    names = list(sites)
    n = len(names)
    pleasant, eventful = (
        iso_coordinates(np.asarray(paq, dtype=np.float64).reshape(n, 8))
        if n
        else (np.array([]), np.array([]))
    )
    loud = np.asarray(loudness, dtype=np.float64).reshape(n)
    level = np.asarray(laeq_db, dtype=np.float64).reshape(n)
    recs = list(recordings) if recordings is not None else list(range(n))
    weights = (
        np.ones(n) if durations_s is None else np.asarray(durations_s, dtype=np.float64).reshape(n)
    )
    order = list(dict.fromkeys(names))
    code = {s: i for i, s in enumerate(order)}
    # One level per (site, recording): the first answer beside it carries it.
    first: dict[tuple[str, object], int] = {}
    for i, (s, r) in enumerate(zip(names, recs, strict=True)):
        if not np.isnan(level[i]):
            first.setdefault((s, r), i)
    idx = np.fromiter(first.values(), dtype=np.int64, count=len(first))
    site_level, _w = grouped_energetic_mean_db(
        level[idx],
        weights[idx],
        np.array([code[names[i]] for i in idx], dtype=np.int64),
        n_groups=len(order),
    )
    counts = {s: 0 for s in order}
    for s, _r in first:
        counts[s] += 1
    out = []
    codes = np.array([code[s] for s in names], dtype=np.int64)
    for s, c in code.items():
        members = codes == c
        lv = float(site_level[c])
        out.append(
            SiteFigures(
                site=s,
                n=int(members.sum()),
                pleasantness=_mean_or_none(pleasant[members]),
                eventfulness=_mean_or_none(eventful[members]),
                laeq_db=None if math.isnan(lv) else lv,
                loudness_mean=_mean_or_none(loud[members]),
                n_recordings=counts[s],
            )
        )
    return out


@dataclass(frozen=True)
class SiteCorrelation:
    """Spearman's ρ between sites' mean perceived loudness and their energetic LAeq, over
    ``n_sites`` sites having both; ``small_count`` below :data:`MIN_SITES`."""

    rho: float | None
    n_sites: int
    small_count: bool
    warning: str = AGGREGATE_WARNING

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def site_correlation(figures: Sequence[SiteFigures]) -> SiteCorrelation:
    """ρ of mean loudness against LAeq across sites (no interval: few sites, and each site
    mean hides how many answers it holds — read it with the individual figure)."""
    both = [
        (f.loudness_mean, f.laeq_db)
        for f in figures
        if f.loudness_mean is not None and f.laeq_db is not None
    ]
    x = np.array([b[0] for b in both], dtype=np.float64)
    y = np.array([b[1] for b in both], dtype=np.float64)
    rho = _rho(x, y)
    return SiteCorrelation(None if math.isnan(rho) else rho, len(both), len(both) < MIN_SITES)


@dataclass(frozen=True)
class SoundscapeSummary:
    """Everything the overlay shows of a survey: the individual association (per answer),
    the per-site one beside it, and each site's figures."""

    individual: Correlation
    per_site: SiteCorrelation
    sites: list[SiteFigures] = field(default_factory=list)
    n_answers: int = 0

    def as_dict(self) -> dict[str, object]:
        ind = self.individual.as_dict()
        return {
            "n_answers": self.n_answers,
            "individual": {k: ind[k] for k in ("rho", "ci_low", "ci_high", "n")}
            | {
                "n_clusters": ind["n_clusters"],
                "unit": ind["unit"],
                "small_count": ind["small_count"],
                "note": ind["note"],
            },
            "per_site": self.per_site.as_dict(),
            "sites": [s.as_dict() for s in self.sites],
        }


def soundscape_summary(
    sites: Sequence[str],
    paq: npt.ArrayLike,
    loudness: npt.ArrayLike,
    laeq_db: npt.ArrayLike,
    clusters: Sequence[object],
    *,
    recordings: Sequence[object] | None = None,
    durations_s: npt.ArrayLike | None = None,
    resamples: int = 2000,
    seed: int = 0,
) -> SoundscapeSummary:
    """Per answer: ρ(perceived loudness, LAeq beside the answer) with a bootstrap over
    ``clusters`` (participants); per site: :func:`site_figures` and :func:`site_correlation`."""
    figures = site_figures(
        sites, paq, loudness, laeq_db, recordings=recordings, durations_s=durations_s
    )
    individual = spearman_cluster_bootstrap(
        loudness, laeq_db, np.asarray(list(clusters)), resamples=resamples, seed=seed
    )
    return SoundscapeSummary(individual, site_correlation(figures), figures, len(list(sites)))
