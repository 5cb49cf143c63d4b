"""The overlay of one event: selectors' frames through the pure modules, shaped for output."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from layers import annoyance, overlay, selectors, stats
from mapping.crs import metric_crs_for
from mapping.errors import InvalidInput
from mapping.models import Event

MAX_CELLS = 20_000
WHO_BINS_DB = (45, 50, 55, 60, 65, 70, 75, 80)
# Finest public grid: about the public coarsening of report places (≈ 111 m); H3 10 ≈ 66 m
# edge, 0.015 km² (a 122-m square).
PUBLIC_MIN_CELL_M = 100.0
PUBLIC_MAX_H3_RESOLUTION = 10
PUBLIC_HIDDEN = ("n_reports", "n_contributors", "mean_intensity", "discrepancy")


@dataclass(frozen=True)
class OverlayRequest:
    """What an officer asks: grid kind, cell size (m) or H3 resolution, join radius and window."""

    grid: str = "square"
    cell_m: float = 100.0
    h3_resolution: int = 10
    radius_m: float = 50.0
    window_s: float = 900.0


def parse_request(params: Any) -> OverlayRequest:
    """An :class:`OverlayRequest` from query parameters; InvalidInput on bad values."""
    try:
        req = OverlayRequest(
            grid=str(params.get("grid", "square")), cell_m=float(params.get("cell_m", 100)),
            h3_resolution=int(params.get("h3_resolution", 10)),
            radius_m=float(params.get("radius_m", 50)), window_s=float(params.get("window_s", 900)))
    except (TypeError, ValueError):
        msg = "cell_m, radius_m and window_s must be numbers, h3_resolution a whole number."
        raise InvalidInput(msg) from None
    if req.grid not in {"square", "h3"}:
        msg = "grid must be 'square' or 'h3'."
        raise InvalidInput(msg, field="grid")
    if not (5 <= req.cell_m <= 5000 and 0 <= req.radius_m <= 5000 and 0 <= req.window_s <= 86400
            and 6 <= req.h3_resolution <= 13):
        msg = ("Out of range: cell_m 5–5000 m, radius_m 0–5000 m, window_s 0–86400 s, "
               "h3_resolution 6–13.")
        raise InvalidInput(msg)
    return req


def check_public(req: OverlayRequest) -> None:
    """Refuse cells finer than the public coarsening of report places (mapping.privacy:
    3 decimals ≈ 111 m): a 5-m cell, even with its figures withheld, would show where a
    report was made. Officers, who see exact places anyway, may ask for any size."""
    if req.grid == "square" and req.cell_m < PUBLIC_MIN_CELL_M:
        msg = f"cell_m below {PUBLIC_MIN_CELL_M:g} m is for this event's organisers and officers."
        raise InvalidInput(msg, field="cell_m")
    if req.grid == "h3" and req.h3_resolution > PUBLIC_MAX_H3_RESOLUTION:
        msg = (f"h3_resolution above {PUBLIC_MAX_H3_RESOLUTION} is for this event's organisers "
               "and officers.")
        raise InvalidInput(msg, field="h3_resolution")


def metric_crs(event: Event) -> str:
    """The projected CRS (metres) of the event's zone."""
    centre = event.zone.centroid
    return metric_crs_for(centre.x, centre.y)


def frames(event: Event) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The event's noise reports and LAeq readings."""
    return selectors.reports_frame(event=event), selectors.readings_frame(event=event)


def _clean(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else round(float(value), 2)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def cells_geojson(cells: gpd.GeoDataFrame, *, exact: bool, id_column: str) -> dict[str, Any]:
    """Cells (or segments) as a FeatureCollection; perceived figures of cells with fewer than
    3 contributors are withheld (``suppressed``) unless ``exact`` (officers)."""
    features = []
    for row in cells.to_dict("records"):
        geometry = row.pop("geometry")
        props = {k: _clean(v) for k, v in row.items()}
        props["suppressed"] = False
        if not exact and 0 < props["n_contributors"] < overlay.MIN_CONTRIBUTORS:
            props.update({k: None for k in PUBLIC_HIDDEN}, suppressed=True)
        features.append({"type": "Feature", "id": str(props[id_column]),
                         "geometry": geometry.__geo_interface__, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def grid_cells(event: Event, req: OverlayRequest) -> gpd.GeoDataFrame:
    """The event's overlay grid (pure :func:`layers.overlay.grid_overlay`)."""
    reports, readings = frames(event)
    cells = overlay.grid_overlay(reports, readings, metric_crs=metric_crs(event), grid=req.grid,
                                 cell_m=req.cell_m, h3_resolution=req.h3_resolution)
    if len(cells) > MAX_CELLS:
        msg = f"{len(cells)} cells: choose larger cells (at most {MAX_CELLS})."
        raise InvalidInput(msg, field="cell_m")
    return cells


def joined_reports(event: Event, req: OverlayRequest) -> pd.DataFrame:
    """Each report with its measured context (:func:`layers.overlay.join_reports`)."""
    reports, readings = frames(event)
    params = overlay.JoinParameters(radius_m=req.radius_m, window_s=req.window_s)
    context = overlay.join_reports(reports, readings, metric_crs=metric_crs(event), params=params)
    return reports.join(context)


def who_comparison(joined: pd.DataFrame) -> list[dict[str, Any]]:
    """Per 5-dB band of measured LAeq: observed %HA (intensity ≥ 4, Wilson CI) vs WHO road."""
    measured = joined[joined["measured"]]
    rows = []
    for low, high in zip(WHO_BINS_DB[:-1], WHO_BINS_DB[1:], strict=True):
        band = measured[(measured["laeq_db"] >= low) & (measured["laeq_db"] < high)]
        if not len(band):
            continue
        observed = annoyance.observed_percent_highly_annoyed(band["intensity"])
        rows.append({"band_db": [low, high], **{k: _clean(v) for k, v in observed.items()},
                     "who_road_percent": _clean(float(
                         annoyance.who_percent_highly_annoyed((low + high) / 2)))})
    return rows


def overlay_stats(event: Event, req: OverlayRequest, *, resamples: int = 2000) -> dict[str, Any]:
    """n, Spearman ρ and its participant-bootstrap interval: overall, per source, per cell."""
    joined = joined_reports(event, req)
    measured = joined[joined["measured"]]

    def corr(frame: pd.DataFrame) -> dict[str, Any]:
        return stats.spearman_cluster_bootstrap(
            frame["intensity"], frame["laeq_db"], frame["contributor_id"].astype(str),
            resamples=resamples).as_dict()

    sources = sorted({s for row in measured["sources"] for s in row})
    cells = grid_cells(event, req)
    both = cells[cells["kind"] == "both"]
    per_cell = stats.spearman_cluster_bootstrap(both["mean_intensity"], both["laeq_db"],
                                                both["cell"], resamples=resamples,
                                                unit="cells").as_dict()
    return {
        "event": event.slug, "parameters": req.__dict__,
        "reports": len(joined), "reports_measured": len(measured),
        "reports_without_measurement": int((~joined["measured"]).sum()),
        "overall": corr(measured),
        "per_category": {c: corr(g) for c, g in measured.groupby("category")},
        "per_source": {s: corr(measured[[s in row for row in measured["sources"]]])
                       for s in sources},
        "per_cell": {**per_cell, "cells_with_both": len(both)},
        "who_2018_road": {"bands": who_comparison(joined), "caveat": annoyance.CAVEAT},
    }


def _leaflet_assets() -> tuple[str, str]:
    import leaflet  # django-leaflet ships Leaflet: the report needs no CDN

    folder = Path(leaflet.__file__).parent / "static" / "leaflet"
    return ((folder / "leaflet.js").read_text(encoding="utf-8"),
            (folder / "leaflet.css").read_text(encoding="utf-8"))


def report_html(
    event: Event, req: OverlayRequest, *, tile_url: str, attribution: str,
    osm_path: Path | None = None, resamples: int = 2000,
) -> str:
    """The officer's self-contained HTML report (map, scatter, statistics, caveat)."""
    from layers import maps

    reports, readings = frames(event)
    joined = joined_reports(event, req)
    cells = grid_cells(event, req)
    segments = None
    if osm_path is not None:
        from layers.osm_context import street_segments

        segments = overlay.segment_overlay(reports, readings, street_segments(osm_path),
                                           metric_crs=metric_crs(event))
    js, css = _leaflet_assets()
    gjoined = gpd.GeoDataFrame(joined, geometry="geometry", crs=reports.crs)
    fmap = maps.overlay_map(cells=cells, reports=gjoined, readings=readings, segments=segments,
                            tile_url=tile_url, attribution=attribution, leaflet_js=js,
                            leaflet_css=css)
    figures = overlay_stats(event, req, resamples=resamples)
    return maps.report_page(title=f"Perceived × measured noise — {event.name}", fmap=fmap,
                            scatter=maps.scatter_png(joined), figures=figures,
                            attribution=attribution)
