"""Tests for layers.representativity.suppression: the k-closed set and merged margins."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.representativity.suppression import check_k, k_closed, merge_small

ROWS = st.lists(st.tuples(st.sampled_from("abcdefg"), st.sampled_from("XYZ"),
                          st.sampled_from("12"), st.sampled_from("st")), min_size=0, max_size=11)


def _frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["person", "area", "hour", "channel"])


def _closed(frame: pd.DataFrame, k: int) -> bool:
    return all(frame.groupby(dim)["person"].nunique().ge(k).all()
               for dim in ("area", "hour", "channel"))


@settings(max_examples=150, deadline=None)
@given(ROWS, st.integers(min_value=2, max_value=4))
def test_the_kept_set_is_the_largest_whose_atoms_hold_k_people_or_none(rows, k) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(rows)
    keep = k_closed(frame, dims=("area", "hour", "channel"), person="person", k=k)
    assert _closed(frame[keep], k)
    # Brute force: no subset at least as large whose atoms all hold ≥ k people differs from
    # the kept set (a smaller one outside it would, united with it, be a larger one).
    kept = {i for i, flag in enumerate(keep) if flag}
    for size in range(len(rows), 0, -1):
        for subset in itertools.combinations(range(len(rows)), size):
            if _closed(frame.iloc[list(subset)], k):
                assert set(subset) <= kept
        if size <= len(kept):
            break


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e", "f"]),
                       st.integers(min_value=0, max_value=30), min_size=1),
       st.integers(min_value=2, max_value=10))
def test_merged_margins_show_no_group_under_k_and_lose_nobody(counts, k) -> None:  # type: ignore[no-untyped-def]
    shown, merged = merge_small(counts, k=k)
    assert all(n == 0 or n >= k for n in shown.values())
    if merged is None:
        assert shown == counts
        return
    assert set(shown) | set(merged["answers"]) == set(counts)
    assert not set(shown) & set(merged["answers"])
    total = sum(counts.values())
    if merged["count"] is None:
        assert total < k
        assert shown == {c: 0 for c in shown}
    else:
        assert merged["count"] >= k
        assert merged["count"] + sum(shown.values()) == total


@pytest.mark.parametrize(("counts", "shown", "merged"), [
    ({"a": 7, "b": 6}, {"a": 7, "b": 6}, None),
    ({"a": 7, "b": 4}, {}, {"answers": ["a", "b"], "count": 11}),  # one small: merged with a
    ({"a": 7, "b": 2, "c": 3}, {"a": 7}, {"answers": ["b", "c"], "count": 5}),
    ({"a": 1, "b": 2}, {}, {"answers": ["a", "b"], "count": None}),  # nothing to show
])
def test_merge_small_table(counts, shown, merged) -> None:  # type: ignore[no-untyped-def]
    assert merge_small(counts, k=5) == (shown, merged)


@pytest.mark.parametrize("k", [1, 0, -3, 2.5, True, "5"])
def test_k_must_be_a_whole_number_of_at_least_two(k) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="at least 2"):
        check_k(k)
