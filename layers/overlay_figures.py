"""The figures of one event's overlay from one read of its data: cells, joins, statistics (pure).

Selectors read the event once into an :class:`OverlayData` and hand it here; every figure of
the API, the ``overlay_stats`` command and the overlay summary comes from these functions.
Levels are given to 0.01 dB (the method is exact to that; rounding for display is the page's
job), docs/acoustics.md §1.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from layers import annoyance, overlay, stats
from layers.frames import LeftOut
from layers.overlay_parameters import OverlayParameters
from mapping.errors import N_, InvalidInput
from mapping.privacy import public_cell_shown

MAX_CELLS = 20_000
WHO_BINS_DB = (45, 50, 55, 60, 65, 70, 75, 80)
TOO_MANY_CELLS = N_("{cells} cells: choose larger cells (at most {limit}).")
LEVEL_DECIMALS = 2


@dataclass(frozen=True)
class OverlayData:
    """One read of an event for its overlay.

    ``reports`` (:func:`layers.frames.reports_frame`, EPSG:4326: exact places and times for
    officers, public ones otherwise), ``readings`` (:func:`layers.frames.readings_frame`,
    what is left after :func:`layers.frames.split_left_out`), ``left_out`` (what was left
    out and why) and ``metric_crs`` (the zone's projected CRS, metres).
    """

    reports: gpd.GeoDataFrame
    readings: gpd.GeoDataFrame
    left_out: tuple[LeftOut, ...]
    metric_crs: str


def json_value(value: Any) -> Any:
    """A JSON-ready scalar: NaN → None, floats to 0.01, numpy scalars → Python ones."""
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else round(float(value), LEVEL_DECIMALS)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def overlay_cells(data: OverlayData, params: OverlayParameters, *, public: bool,
                  ) -> gpd.GeoDataFrame:
    """The grid of :func:`layers.overlay.grid_overlay` (EPSG:4326, column ``cell``).

    For the ``public`` (whose ``data.reports`` hold public places), cells with too few
    contributors (:func:`mapping.privacy.public_cell_shown`) are left out entirely and the
    discrepancy is recomputed over the cells shown. ``params.bbox`` keeps the cells meeting
    it. Raises InvalidInput past :data:`MAX_CELLS` cells.
    """
    cells = overlay.grid_overlay(data.reports, data.readings, metric_crs=data.metric_crs,
                                 grid=params.grid, cell_m=params.cell_m,
                                 h3_resolution=params.h3_resolution)
    if public:
        shown = [public_cell_shown(int(n)) for n in cells["n_contributors"]]
        cells = gpd.GeoDataFrame(overlay.with_discrepancy(cells[shown]), crs=cells.crs)
    if params.bbox is not None:
        cells = cells[cells.intersects(box(*params.bbox))]
    if len(cells) > MAX_CELLS:
        raise InvalidInput(TOO_MANY_CELLS, field="cell_m", cells=len(cells), limit=MAX_CELLS)
    return cells.reset_index(drop=True)


def cells_feature_collection(cells: gpd.GeoDataFrame) -> dict[str, Any]:
    """Cells (or street segments) as a GeoJSON FeatureCollection, levels to 0.01 dB."""
    collection = []
    for row in cells.to_dict("records"):
        geometry = row.pop("geometry")
        props = {k: json_value(v) for k, v in row.items()}
        collection.append({"type": "Feature", "id": str(props["cell"]),
                           "geometry": geometry.__geo_interface__, "properties": props})
    return {"type": "FeatureCollection", "features": collection}


def joined_reports(data: OverlayData, params: OverlayParameters) -> pd.DataFrame:
    """Each report with its measured context (:func:`layers.overlay.join_reports`)."""
    context = overlay.join_reports(data.reports, data.readings, metric_crs=data.metric_crs,
                                   params=params.join())
    return data.reports.join(context)


def who_comparison(joined: pd.DataFrame) -> list[dict[str, Any]]:
    """Per 5-dB band of measured LAeq: observed %HA (intensity ≥ 4, Wilson CI) vs WHO road."""
    measured = joined[joined["measured"]]
    rows = []
    for low, high in itertools.pairwise(WHO_BINS_DB):
        band = measured[(measured["laeq_db"] >= low) & (measured["laeq_db"] < high)]
        if not len(band):
            continue
        observed = annoyance.observed_percent_highly_annoyed(band["intensity"])
        rows.append({"band_db": [low, high], **{k: json_value(v) for k, v in observed.items()},
                     "who_road_percent": json_value(float(
                         annoyance.who_percent_highly_annoyed((low + high) / 2)))})
    return rows


def overlay_statistics(
    data: OverlayData, params: OverlayParameters, *, event: str, resamples: int = 2000,
    joined: pd.DataFrame | None = None, cells: gpd.GeoDataFrame | None = None,
) -> dict[str, Any]:
    """n, Spearman ρ and its participant-bootstrap interval: overall, per category, per
    source, per cell; the WHO 2018 comparison; what was left out and why.

    ``joined`` and ``cells`` are computed from ``data`` unless given (the summary has them).
    """
    joined = joined_reports(data, params) if joined is None else joined
    cells = overlay_cells(data, params, public=False) if cells is None else cells
    measured = joined[joined["measured"]]

    def corr(frame: pd.DataFrame) -> dict[str, Any]:
        return stats.spearman_cluster_bootstrap(
            frame["intensity"], frame["laeq_db"], frame["contributor_id"].astype(str),
            resamples=resamples).as_dict()

    sources = sorted({s for row in measured["sources"] for s in row})
    both = cells[cells["kind"] == "both"]
    per_cell = stats.spearman_cluster_bootstrap(both["mean_intensity"], both["laeq_db"],
                                                both["cell"], resamples=resamples,
                                                unit="cells").as_dict()
    return {
        "event": event, "parameters": params.as_dict(),
        "reports": len(joined), "reports_measured": len(measured),
        "reports_without_measurement": int((~joined["measured"]).sum()),
        "readings_used": len(data.readings),
        "left_out": [item.as_dict() for item in data.left_out],
        "overall": corr(measured),
        "per_category": {c: corr(g) for c, g in measured.groupby("category")},
        "per_source": {s: corr(measured[[s in row for row in measured["sources"]]])
                       for s in sources},
        "per_cell": {**per_cell, "cells_with_both": len(both)},
        "who_2018_road": {"bands": who_comparison(joined), "caveat": annoyance.CAVEAT},
    }
