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
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from layers import annoyance, overlay, soundscape, stats
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


SOUNDSCAPE_DECIMALS = 4
FROM_JOIN = N_("answers without a recording beside them take the measured LAeq near their "
               "report (the overlay's join)")


def soundscape_section(answers: pd.DataFrame | None, joined: pd.DataFrame,
                       resamples: int = 2000) -> dict[str, Any] | None:
    """The soundscape figures (ISO 12913) of an event, None without answers.

    ``answers``: :func:`layers.selectors.soundscape.soundscape_frame`. An answer's level is
    the LAeq recorded beside it, else the overlay's measured LAeq near its report (``joined``).
    ``individual``: ρ of perceived loudness against that level per answer (participant
    bootstrap); ``per_site``: ρ of sites' mean loudness against their energetic LAeq (the
    recordings made there, each once, weighted by its duration; never the join's levels),
    with the warning that it is not individual.
    """
    if answers is None or not len(answers):
        return None
    recorded = answers["laeq_db"].to_numpy(dtype=float)
    level = recorded.copy()
    by_report = (joined.set_index(joined["report_id"].astype(str))["laeq_db"]
                 .where(joined["measured"].to_numpy()) if len(joined)
                 else pd.Series(dtype="float64"))
    missing = np.isnan(level)
    joined_level = answers["report_id"].map(by_report).to_numpy(dtype=float)
    level[missing] = joined_level[missing]
    from_join = int((missing & ~np.isnan(level)).sum())
    recordings = [r or f"report:{rid}" for r, rid in zip(answers["recording"],
                                                          answers["report_id"], strict=True)]
    durations = answers["recording_s"].fillna(1.0).to_numpy(dtype=float)
    sited = (answers["site"] != "").to_numpy()
    paq = answers[list(soundscape.PAQ_ATTRIBUTES)].to_numpy(dtype=float)
    summary = soundscape.soundscape_summary(
        list(answers["site"][sited]), paq[sited], answers["loudness"].to_numpy()[sited],
        recorded[sited], list(answers["contributor_id"][sited]),
        recordings=[r for r, s in zip(recordings, sited, strict=True) if s],
        durations_s=durations[sited], resamples=resamples)
    individual = stats.spearman_cluster_bootstrap(
        answers["loudness"], level, answers["contributor_id"], resamples=resamples)
    pleasant, eventful = soundscape.iso_coordinates(paq)

    def r4(value: float | None) -> float | None:
        return None if value is None or math.isnan(value) else round(value, SOUNDSCAPE_DECIMALS)

    ind = individual.as_dict()
    return {
        "n_answers": len(answers), "n_with_site": int(sited.sum()),
        "levels_from_join": from_join, "levels_note": FROM_JOIN if from_join else None,
        "individual": {k: r4(cast("float | None", ind[k])) if k.startswith(("rho", "ci"))
                       else ind[k]
                       for k in ("rho", "ci_low", "ci_high", "n", "n_clusters", "unit",
                                 "small_count", "note")},
        "per_site": {"rho": r4(summary.per_site.rho), "n_sites": summary.per_site.n_sites,
                     "small_count": summary.per_site.small_count,
                     "warning": summary.per_site.warning},
        "sites": [{"site": f.site, "n": f.n, "pleasantness": r4(f.pleasantness),
                   "eventfulness": r4(f.eventfulness), "laeq_db": json_value(f.laeq_db),
                   "loudness_mean": r4(f.loudness_mean), "n_recordings": f.n_recordings}
                  for f in summary.sites],
        "answers": [{"pleasantness": r4(float(p)), "eventfulness": r4(float(e))}
                    for p, e in zip(pleasant, eventful, strict=True)],
    }


def overlay_statistics(
    data: OverlayData, params: OverlayParameters, *, event: str, resamples: int = 2000,
    joined: pd.DataFrame | None = None, cells: gpd.GeoDataFrame | None = None,
    soundscape_answers: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """n, Spearman ρ and its participant-bootstrap interval: overall, per category, per
    source, per cell; the WHO 2018 comparison; what was left out and why; the soundscape
    figures when the event has answers (:func:`soundscape_section`).

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
        "soundscape": soundscape_section(soundscape_answers, joined, resamples),
    }
