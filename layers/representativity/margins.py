"""Who took part against who lives there: declared margins beside the grid's (pure).

Declared answers (``mapping.profiles``) are counted per question, a "no answer" category
included, and merged under k (:func:`layers.representativity.suppression.merge_small`);
shares are of all respondents. The residents' margins come from the population grid, each
cell weighted by its share of area in the zone. Filosofi gives age bands (compared from 11
years on: the "under 18" answer is set beside the 11–17-year-olds, younger children are
not expected to map), households below the poverty line, the mean standard of living and
social housing — no gender, and nothing on who lives in the area or takes part.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from layers.representativity.suppression import merge_small
from mapping.profiles import ANSWERS

NO_ANSWER = "no_answer"
# Declared band → Filosofi column(s) of the same ages.
AGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "under_18": ("ind_11_17",), "18_24": ("ind_18_24",), "25_39": ("ind_25_39",),
    "40_54": ("ind_40_54",), "55_64": ("ind_55_64",), "65_79": ("ind_65_79",),
    "80_plus": ("ind_80p",),
}
DWELLINGS = ("log_av45", "log_45_70", "log_70_90", "log_ap90", "log_inc")


def _weighted_sum(cells: pd.DataFrame, name: str) -> float:
    values = [a.get(name) if isinstance(a, dict) else None for a in cells["attributes"]]
    if not any(isinstance(v, int | float) for v in values):
        return math.nan
    numbers = pd.Series([v if isinstance(v, int | float) else 0.0 for v in values],
                        index=cells.index, dtype=float)
    return float((numbers * cells["zone_share"]).sum())


def _ratio(top: float, bottom: float) -> float | None:
    if math.isnan(top) or math.isnan(bottom) or bottom <= 0:
        return None
    return round(top / bottom, 4)


def population_margins(cells: pd.DataFrame, *, source: str) -> dict[str, Any]:
    """The residents' margins over the zone.

    Parameters
    ----------
    cells : DataFrame
        Populated cells: ``population``, ``households``, ``zone_share``, ``attributes``
        (Filosofi's lower-case columns).
    source : str
        Attribution of the grid.

    Returns
    -------
    dict
        ``inhabitants``, ``age_band`` (share of each declared band among residents aged 11
        or more whose age is known, None without age columns), ``households``,
        ``poor_households_share``, ``mean_living_standard_eur`` (€/year per person),
        ``social_housing_share`` (of dwellings).
    """
    residents = float((cells["population"] * cells["zone_share"]).sum())
    bands = {band: sum(_weighted_sum(cells, c) for c in columns)
             for band, columns in AGE_COLUMNS.items()}
    aged = sum(v for v in bands.values() if not math.isnan(v))
    households = (float((cells["households"].fillna(0.0) * cells["zone_share"]).sum())
                  if "households" in cells and cells["households"].notna().any() else math.nan)
    dwellings = sum(_weighted_sum(cells, c) for c in DWELLINGS)
    return {
        "source": source,
        "inhabitants": round(residents, 1),
        "age_band": ({band: round(v / aged, 4) for band, v in bands.items()}
                     if aged > 0 and not any(math.isnan(v) for v in bands.values()) else None),
        "households": None if math.isnan(households) else round(households, 1),
        "poor_households_share": _ratio(_weighted_sum(cells, "men_pauv"), households),
        "mean_living_standard_eur": (
            None if (r := _ratio(_weighted_sum(cells, "ind_snv"), residents)) is None
            else round(r)),
        "social_housing_share": _ratio(_weighted_sum(cells, "log_soc"), dwellings),
    }


def declared_margins(
    answers: Iterable[Mapping[str, str]], *, asked: int, k: int,
    population_age: Mapping[str, float] | None,
) -> dict[str, Any]:
    """The declared answers per question, merged under ``k``, beside the residents' ages.

    ``asked`` is the number of participants who were offered the questions; ``answers``
    one mapping per respondent. A count of people under ``k`` is never given: neither the
    respondents nor those who did not answer when fewer than ``k``.
    """
    rows = list(answers)
    respondents, no_data = len(rows), max(asked - len(rows), 0)

    def small(n: int) -> bool:
        return 0 < n < k

    # asked = respondents + no_data: shown only when both parts are, else it shows the other.
    base: dict[str, Any] = {
        "asked": None if small(respondents) or small(no_data) else asked,
        "respondents": None if small(respondents) else respondents,
        "no_data": None if small(no_data) else no_data, "questions": None}
    if respondents < k:
        return base
    questions = {}
    for question, allowed in ANSWERS.items():
        counts = {answer: sum(row.get(question) == answer for row in rows) for answer in allowed}
        counts[NO_ANSWER] = sum(question not in row for row in rows)
        shown, merged = merge_small(counts, k=k)
        reference = population_age if question == "age_band" else None

        def row_of(codes: list[str], count: int,
                   reference: Mapping[str, float] | None = reference) -> dict[str, Any]:
            share = {"count": count, "share": round(count / respondents, 4)}
            if reference is not None and NO_ANSWER not in codes:
                share["population_share"] = round(sum(reference[c] for c in codes), 4)
            return share

        questions[question] = {
            "answers": [{"answer": code, **row_of([code], count)} for code, count in shown.items()],
            "merged": None if merged is None else {
                "answers": merged["answers"],
                **(row_of(merged["answers"], merged["count"]) if merged["count"] is not None
                   else {"count": None})},
        }
    base["questions"] = questions
    return base
