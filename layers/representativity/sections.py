"""The coverage and concentration sections of the document, for each audience (pure).

``counted`` frames hold one row per contribution with ``contributor``, ``channel``, ``cell``
(the 200 m map cell, or ``elsewhere``), ``area`` (the 1 km lattice square), ``class`` (the
living-standard third of its cell) and, for organisers, ``square`` (the task square).
Organisers get counts per map cell; the public gets counts per 1 km area and per
living-standard third only — tables whose atoms the k-rule checked — and, per map cell,
only whether it is covered (its places are those of the public map).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.representativity import coverage as cov
from layers.representativity import inequality
from mapping.crs import metric_crs_for
from mapping.errors import N_

COUNTED = N_("Features and nuisance reports, rejected ones left out; a line or a polygon "
             "counts at its representative point.")
NO_TASK_SQUARES_PUBLIC = N_("Task squares are for organisers: they overlap the map cells, and "
                            "two overlapping tables could be subtracted.")
PUBLIC_CELLS = N_("Map cells show only whether someone mapped there (places as the public map "
                  "shows them); counts are given per 1 km area and per living-standard third, "
                  "where at least {k} people contributed.")
NO_CLASS = "unknown"
Translate = Callable[[str], str]


def concentration(counted: pd.DataFrame) -> dict[str, Any]:
    """Contributors, contributions and how unequally they were shared."""
    counts = counted.groupby("contributor").size().to_numpy()
    return {"contributors": len(counts), "contributions": int(counts.sum()),
            "top10_share": inequality.top_share(counts, 0.10), "gini": inequality.gini(counts),
            "contributors_for_half": inequality.people_for_share(counts, 0.5),
            "lorenz": inequality.lorenz(counts)}


def _per(counted: pd.DataFrame, key: str) -> pd.DataFrame:
    return counted.groupby(key).agg(contributions=("contributor", "size"),
                                    contributors=("contributor", "nunique"))


def _feature(code: str, geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "id": code, "geometry": geometry.__geo_interface__,
            "properties": {"code": code, **properties}}


def _status(code: str, nonempty: set[str], suppressed: set[str]) -> str:
    return "suppressed" if code in suppressed else "covered" if code in nonempty else "blank"


def map_cells(cells: gpd.GeoDataFrame, populated_grid: bool) -> gpd.GeoDataFrame:
    """The map cells with their residents in the zone and living-standard third."""
    classes, bounds = cov.living_standard(cells)
    frame = cells.assign(inhabitants=cov.inhabitants(cells).round(1), living_standard=classes)
    frame.attrs["bounds"] = bounds
    frame.attrs["populated_grid"] = populated_grid
    return frame


def _cells_block(frame: gpd.GeoDataFrame, counted: pd.DataFrame, *, nonempty: set[str],
                 with_counts: bool) -> tuple[dict[str, Any], gpd.GeoDataFrame]:
    per = _per(counted, "cell")
    frame = frame.assign(
        status=[_status(c, nonempty, set()) for c in frame["code"]],
        contributions=frame["code"].map(per["contributions"]).fillna(0).astype(int)
        if with_counts else None,
        contributors=frame["code"].map(per["contributors"]).fillna(0).astype(int)
        if with_counts else None)
    populated = frame["population"] > 0 if frame.attrs["populated_grid"] else frame["code"].notna()
    blank = frame[populated & (frame["status"] == "blank")].sort_values("inhabitants",
                                                                        ascending=False)
    imputed = frame["imputed"].astype(bool)
    features = [_feature(row.code, row.geometry, inhabitants=row.inhabitants,
                         imputed=bool(row.imputed), living_standard=row.living_standard,
                         contributions=row.contributions, contributors=row.contributors,
                         status=row.status) for row in frame.itertuples()]
    return {
        "cells": {"type": "FeatureCollection", "features": features},
        "populated_cells": int(populated.sum()),
        "covered": int((frame["status"] == "covered").sum()),
        "blank_spots": list(blank["code"]),
        "inhabitants": round(float(frame["inhabitants"].sum()), 1),
        "inhabitants_in_blank_spots": round(float(blank["inhabitants"].sum()), 1),
        "imputed_cells": int(imputed.sum()),
        "inhabitants_in_imputed_cells": round(float(frame.loc[imputed, "inhabitants"].sum()), 1),
    }, frame


def _areas(frame: gpd.GeoDataFrame, counted: pd.DataFrame, areas: gpd.GeoDataFrame, *,
           nonempty: set[str], suppressed: set[str], crs: str) -> gpd.GeoDataFrame:
    """1 km areas: residents (cells by their representative point), counts, status."""
    areas = areas.copy()
    holder = cov.area_codes(frame.geometry.representative_point(), crs) if len(frame) else []
    residents = frame["inhabitants"].groupby(list(holder)).sum() if len(frame) else pd.Series()
    per = _per(counted, "area")
    areas["inhabitants"] = areas["code"].map(residents).fillna(0.0).round(1)
    areas["status"] = [_status(c, nonempty, suppressed) for c in areas["code"]]
    hidden = areas["status"] == "suppressed"
    areas["contributions"] = areas["code"].map(per["contributions"]).fillna(0).where(~hidden)
    areas["contributors"] = areas["code"].map(per["contributors"]).fillna(0).where(~hidden)
    areas["per_1000_inhabitants"] = [
        None if math.isnan(n) else cov.per_1000(n, people)
        for n, people in zip(areas["contributions"], areas["inhabitants"], strict=True)]
    return areas


def coverage(
    *, frame: gpd.GeoDataFrame, counted: pd.DataFrame, everything: pd.DataFrame,
    areas: gpd.GeoDataFrame, area_crs: str, selected_cells: np.ndarray, selected_areas: np.ndarray,
    suppressed: dict[str, set[str]], public: bool, k: int, tr: Translate,
) -> dict[str, Any]:
    """The ``coverage`` section (without task squares, see :func:`task_squares`)."""
    nonempty_cells = set(everything["cell"]) if public else set(counted["cell"])
    block, cells = _cells_block(frame[selected_cells], counted, nonempty=nonempty_cells,
                                with_counts=not public)
    nonempty_areas = set(everything["area"]) if public else set(counted["area"])
    areas = _areas(frame, counted, areas, nonempty=nonempty_areas,
                   suppressed=suppressed["areas"], crs=area_crs)[selected_areas]
    shown = areas["status"] != "suppressed"
    if public:  # sums of the areas shown, so that two boxes differ by whole areas only
        contributions = int(areas.loc[shown, "contributions"].sum())
        residents = float(areas.loc[shown, "inhabitants"].sum())
    else:
        contributions, residents = len(counted), float(block["inhabitants"])
    bounds = frame.attrs["bounds"]
    per_class = _per(counted, "class")
    by_class = []
    for name in cov.LIVING_STANDARD_CLASSES if bounds else ():
        people = float(frame.loc[frame["living_standard"] == name, "inhabitants"].sum())
        hidden = name in suppressed["classes"]
        n = None if hidden else int(per_class["contributions"].get(name, 0))
        by_class.append({"class": name, "inhabitants": round(people, 1), "contributions": n,
                         "per_1000_inhabitants": None if n is None else cov.per_1000(n, people),
                         "blank_spots": int(((frame["living_standard"] == name)
                                             & (frame["code"].isin(block["blank_spots"]))).sum())})
    features = [_feature(row.code, row.geometry, inhabitants=row.inhabitants,
                         contributions=row.contributions, contributors=row.contributors,
                         per_1000_inhabitants=row.per_1000_inhabitants, status=row.status)
                for row in areas.itertuples()]
    section: dict[str, Any] = {
        "counted": tr(COUNTED),
        "cell_source": "population grid" if frame.attrs["populated_grid"] else "lattice",
        "cell_crs": _crs_of(frame["code"]), "area_crs": area_crs, "area_m": 1000,
        "contributions": contributions, **block,
        "areas": {"type": "FeatureCollection", "features": features},
        "suppressed_areas": int((~shown).sum()),
        "per_1000_inhabitants": (cov.per_1000(contributions, residents)
                                 if frame.attrs["populated_grid"] else None),
        "living_standard_bounds_eur": bounds or None,
        "by_living_standard": by_class,
        "task_squares": None,
    }
    if public:
        section["cells_note"] = tr(PUBLIC_CELLS).format(k=k)
        section["task_squares_note"] = tr(NO_TASK_SQUARES_PUBLIC)
    section["_cells_frame"] = cells
    return section


def _crs_of(codes: pd.Series) -> str | None:
    code = next(iter(codes), None)
    if isinstance(code, str) and code.startswith("CRS") and "RES" in code:
        return "EPSG:" + code[3:code.index("RES")]
    return None


def task_squares(squares: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, counted: pd.DataFrame, *,
                 zone: Any, populated_grid: bool) -> dict[str, Any]:
    """Contributions, contributors and residents per task square (organisers only)."""
    squares = squares.reset_index(drop=True)
    per = _per(counted, "square")
    centre = zone.centroid
    residents = (cov.apportion(cells, squares, zone, metric_crs_for(centre.x, centre.y))
                 if populated_grid else pd.Series(np.nan, index=squares.index))
    rows = []
    for label, people in zip(squares["label"], residents, strict=True):
        n = int(per["contributions"].get(label, 0))
        rows.append({"label": label, "contributions": n,
                     "contributors": int(per["contributors"].get(label, 0)),
                     "inhabitants": None if math.isnan(people) else round(float(people), 1),
                     "per_1000_inhabitants": None if math.isnan(people)
                     else cov.per_1000(n, people)})
    return {"squares": len(rows), "covered": sum(r["contributions"] > 0 for r in rows),
            "blank": [r["label"] for r in rows if r["contributions"] == 0], "rows": rows}
