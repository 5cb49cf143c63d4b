"""Reads of an event's perceived × measured overlay: one read, then the pure figures.

Whether a reader sees exact places is decided here (``mapping.permissions``), never in a
view: the public gets the reports' public places and hours, the public grids of
``mapping.privacy`` and no cell with too few contributors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from layers import frames, maps, overlay, overlay_figures
from layers.overlay_figures import OverlayData
from layers.overlay_parameters import OverlayParameters
from layers.selectors.sensors import reading_rows, reading_table, reports_frame
from layers.selectors.soundscape import soundscape_frame
from layers.summary_page import summary_page
from mapping import permissions
from mapping.crs import metric_crs_for
from mapping.errors import N_, NotAllowed
from mapping.models import Event

OFFICERS_ONLY = N_("Only this event's organisers and officers.")
PUBLIC_NOTE = N_("Reports are counted at their public places (about 100 m) and hours; cells "
                 "with fewer than {min} contributors are left out.")


def metric_crs(event: Event) -> str:
    """The projected CRS (metres) of the event's zone."""
    centre = event.zone.centroid
    return metric_crs_for(centre.x, centre.y)


def overlay_data(*, event: Event, exact: bool) -> OverlayData:
    """Everything the overlay of ``event`` needs, read once: reports (exact, or public when
    not ``exact``), the readings serving the event, and what was left out of them."""
    rows = reading_rows(event=event)
    _, left_out = frames.split_left_out(reading_table(rows))
    readings, _ = frames.split_left_out(frames.readings_frame(rows))
    return OverlayData(reports=reports_frame(event=event, public=not exact), readings=readings,
                       left_out=left_out, metric_crs=metric_crs(event))


def reader_sees_exact(reader: Any, event: Event) -> bool:
    """Whether ``reader`` (a user, or None) sees the event's reports at their exact places."""
    return permissions.can_see_exact_reports(reader, event)


@dataclass(frozen=True)
class OverlayCells:
    """The cells a reader may see, with what produced them."""

    cells: gpd.GeoDataFrame
    parameters: OverlayParameters
    metric_crs: str
    left_out: tuple[frames.LeftOut, ...]
    exact: bool


def overlay_cells(*, event: Event, reader: Any, given: dict[str, Any]) -> OverlayCells:
    """The overlay grid of ``event`` as ``reader`` may see it, from the parameters ``given``
    (absent ones by default; the public's refused unless public, InvalidInput)."""
    exact = reader_sees_exact(reader, event)
    params = OverlayParameters.for_reader(given, exact=exact)
    data = overlay_data(event=event, exact=exact)
    cells = overlay_figures.overlay_cells(data, params, public=not exact)
    return OverlayCells(cells, params, data.metric_crs, data.left_out, exact)


def overlay_statistics(*, event: Event, params: OverlayParameters, resamples: int = 2000,
                       translate: Callable[[str], str] = str) -> dict[str, Any]:
    """The statistics of :func:`layers.overlay_figures.overlay_statistics` at exact places
    (organisers, officers and commands only)."""
    figures = overlay_figures.overlay_statistics(overlay_data(event=event, exact=True), params,
                                                 event=event.slug, resamples=resamples,
                                                 soundscape_answers=soundscape_frame(event=event))
    return _translated(figures, translate)


def soundscape_statistics(*, event: Event, params: OverlayParameters, resamples: int = 2000,
                          translate: Callable[[str], str] = str) -> dict[str, Any] | None:
    """The soundscape section of :func:`layers.overlay_figures.soundscape_section` at exact
    places (organisers, officers and commands only); None when the event has no answer."""
    answers = soundscape_frame(event=event)
    if not len(answers):
        return None
    data = overlay_data(event=event, exact=True)
    section = overlay_figures.soundscape_section(
        answers, overlay_figures.joined_reports(data, params), resamples)
    translated: dict[str, Any] = _translated({"soundscape": section}, translate,
                                             soundscape_only=True)["soundscape"]
    return translated


def _translated(figures: dict[str, Any], translate: Callable[[str], str], *,
                soundscape_only: bool = False) -> dict[str, Any]:
    if not soundscape_only:
        for item in figures["left_out"]:
            item["explanation"] = translate(item["explanation"])
        figures["who_2018_road"]["caveat"] = translate(figures["who_2018_road"]["caveat"])
    if figures.get("soundscape"):
        section = figures["soundscape"]
        section["per_site"]["warning"] = translate(section["per_site"]["warning"])
        if section["levels_note"]:
            section["levels_note"] = translate(section["levels_note"])
    return figures


def leaflet_assets() -> tuple[str, str]:
    import leaflet  # django-leaflet ships Leaflet: the summary needs no CDN

    folder = Path(leaflet.__file__).parent / "static" / "leaflet"
    return ((folder / "leaflet.js").read_text(encoding="utf-8"),
            (folder / "leaflet.css").read_text(encoding="utf-8"))


def overlay_summary_html(
    *, event: Event, params: OverlayParameters, tile_url: str, attribution: str,
    osm_path: Path | None = None, resamples: int = 2000, translate: Callable[[str], str] = str,
    language: str = "en", basemap: gpd.GeoDataFrame | None = None,
) -> str:
    """The overlay summary of ``event`` (:mod:`layers.summary_page`) at exact places, from
    one read of the event; street segments when ``osm_path`` is an .osm file of the zone;
    ``basemap``: the event's own base map drawn in the document (else ``tile_url``)."""
    data = overlay_data(event=event, exact=True)
    joined = overlay_figures.joined_reports(data, params)
    cells = overlay_figures.overlay_cells(data, params, public=False)
    segments = None
    if osm_path is not None:
        from layers.osm_context import street_segments

        segments = overlay.segment_overlay(data.reports, data.readings,
                                           street_segments(osm_path), metric_crs=data.metric_crs)
    js, css = leaflet_assets()
    fmap = maps.overlay_map(
        cells=cells, reports=gpd.GeoDataFrame(joined, geometry="geometry", crs=data.reports.crs),
        readings=data.readings, segments=segments, tile_url=tile_url, attribution=attribution,
        leaflet_js=js, leaflet_css=css, translate=translate, basemap=basemap)
    figures = _translated(overlay_figures.overlay_statistics(
        data, params, event=event.slug, resamples=resamples, joined=joined, cells=cells,
        soundscape_answers=soundscape_frame(event=event)), translate)
    title = translate(N_("Perceived × measured noise — {event}")).format(event=event.name)
    circumplex = (maps.circumplex_svg(figures["soundscape"], translate)
                  if figures.get("soundscape") else None)
    return summary_page(title=title, fmap=fmap, scatter_png=maps.scatter_png(joined, translate),
                        figures=figures, attribution=attribution, translate=translate,
                        language=language, circumplex_svg=circumplex)


def overlay_summary_for(*, reader: Any, event: Event, **options: Any) -> str:
    """:func:`overlay_summary_html` for ``reader``; NotAllowed unless they see exact places."""
    if not reader_sees_exact(reader, event):
        raise NotAllowed(OFFICERS_ONLY)
    return overlay_summary_html(event=event, **options)
