"""Small counts of people never leak: the k-threshold, for tables and for margins (pure).

**Tables of contributions** (public figures). Each contribution falls in one *atom* of each
fixed table — a 1 km area, a living-standard third, an hour, a channel. A figure that sums
atoms can be subtracted from another figure summing more atoms; if an atom of fewer than k
people were counted in either, the difference would show it. So public figures are computed
on the largest set of contributions in which **every atom of every table holds 0 or at least
k distinct people** (:func:`k_closed`), and a filter only selects whole atoms of its own
table. Whatever public queries are combined, every number is then a sum over atoms of ≥ k
people: what the rule hid is in no number, and only the fact that an atom is not empty is
shown.

That set is unique and order-free: the union of two such sets is again one (counts only
grow), so removing the atoms under k until none is left reaches the largest of them, and
adding or removing contributions inside an atom that stays under k changes nothing.

**Margins of people** (declared profiles). A category of 1 to k − 1 people is merged with
the next smallest until the merged group holds at least k (:func:`merge_small`); a total
less the published categories then shows only a group of ≥ k.

>>> merge_small({"a": 7, "b": 2, "c": 3, "d": 0}, k=5)
({'a': 7, 'd': 0}, {'answers': ['b', 'c'], 'count': 5})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from mapping.errors import N_

RULE = N_("Counts of people below {k} are never shown: a public or exported figure only "
          "sums 1 km areas, living-standard thirds, hours and channels each holding at least "
          "{k} distinct contributors (those under {k} are left out of every figure, and only "
          "marked as not empty); a filter selects whole areas, hours or channels and never "
          "recomputes another table. Declared profiles are shown only to the event's "
          "organisers and officers, each answer counted in groups of at least {k} people "
          "(smaller ones merged).")


def check_k(k: int) -> int:
    """``k`` itself when it is a whole number ≥ 2 (k = 1 would suppress nothing)."""
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
        msg = f"k must be a whole number of at least 2, got {k!r}"
        raise ValueError(msg)
    return int(k)


def k_closed(
    frame: pd.DataFrame, *, dims: Sequence[str], person: str, k: int
) -> npt.NDArray[np.bool_]:
    """Which rows belong to the largest subset whose atoms all hold 0 or ≥ ``k`` people.

    Parameters
    ----------
    frame : DataFrame
        One row per contribution; ``person`` names its contributor, each of ``dims`` the
        atom of one table it falls in (a cell code, an hour, a channel; no NaN).
    dims : sequence of str
        The tables.
    person : str
        The contributor column.
    k : int
        The threshold, ≥ 2.

    Returns
    -------
    numpy.ndarray of bool
        ``True`` for the rows kept.
    """
    k = check_k(k)
    keep = np.ones(len(frame), dtype=bool)
    changed = True
    while changed and keep.any():
        changed = False
        for dim in dims:
            kept = frame.loc[keep, [dim, person]]
            people = kept.groupby(dim, sort=False)[person].nunique()
            small = people.index[people < k]
            if len(small):
                drop = keep & frame[dim].isin(small).to_numpy()
                keep &= ~drop
                changed = True
    return keep


def merge_small(
    counts: Mapping[str, int], *, k: int
) -> tuple[dict[str, int], dict[str, Any] | None]:
    """Categories with their counts, those of 1 to ``k`` − 1 people merged into one group.

    Returns the categories shown as they are (0 or ≥ ``k``) and the merged group
    (``{"answers": [...], "count": n}``, n ≥ k) or None. When every category together holds
    fewer than ``k``, they are all merged and the group's count is None: nothing is shown.
    """
    k = check_k(k)
    shown = dict(counts)
    small = sorted((c for c, n in shown.items() if 0 < n < k), key=lambda c: (shown[c], c))
    if not small:
        return shown, None
    merged = list(small)
    total = sum(shown[c] for c in merged)
    others = sorted((c for c in shown if c not in merged and shown[c] > 0),
                    key=lambda c: (shown[c], c))
    while total < k and others:
        nearest = others.pop(0)
        merged.append(nearest)
        total += shown[nearest]
    for category in merged:
        del shown[category]
    order = list(counts)
    group = {"answers": sorted(merged, key=order.index), "count": total if total >= k else None}
    return shown, group
