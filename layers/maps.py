"""The overlay summary's map and chart: a self-contained folium map and a scatter plot (pure).

Folium links Leaflet, jQuery and Bootstrap from CDNs by default; here the map uses Leaflet
only and the caller passes Leaflet's JS/CSS **contents** (from the installed django-leaflet),
which are inlined: the page renders offline and can be mailed. Only the base-map tiles
(``tile_url``) come from the network, when the page is opened.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from typing import Any

import folium
import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from branca.element import Element

from layers.annoyance import who_percent_highly_annoyed
from mapping.errors import N_

matplotlib.use("Agg")
import matplotlib.pyplot as plt

DIVERGING = ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"]
LEVEL_COLOURS = [(45, "#1a9850"), (55, "#a6d96a"), (65, "#fee08b"), (75, "#f46d43"),
                 (999, "#a50026")]


def _level_colour(level: float) -> str:
    if level is None or np.isnan(level):
        return "#999999"
    return next(c for limit, c in LEVEL_COLOURS if level < limit)


def _discrepancy_colour(value: float | None, kind: str) -> str:
    if kind == "perceived_not_measured":
        return "#762a83"
    if kind == "measured_not_perceived":
        return "#999999"
    if value is None or np.isnan(value):
        return "#f7f7f7"
    step = int(np.clip(np.round(value / 0.75), -3, 3)) + 3
    return DIVERGING[step]


OSM_CREDIT = "© OpenStreetMap contributors"
# How the document's own base map is drawn, bottom first: (layer, classes or None, style).
BASEMAP_STYLES = [
    ("landuse", ("park", "green"), {"fillColor": "#cfe8bf", "color": "#cfe8bf", "weight": 0,
                                    "fillOpacity": 1}),
    ("water", None, {"fillColor": "#a8d0f0", "color": "#a8d0f0", "weight": 0, "fillOpacity": 1}),
    ("waterway", None, {"color": "#a8d0f0", "weight": 3}),
    ("building", None, {"fillColor": "#d9d0c7", "color": "#b9ada1", "weight": 0.5,
                        "fillOpacity": 1}),
    ("transportation", ("path",), {"color": "#8a6a50", "weight": 1.5, "dashArray": "4 3"}),
    ("transportation", ("service", "minor", "major"), {"color": "#a39e93", "weight": 7}),
    ("transportation", ("service", "minor"), {"color": "#ffffff", "weight": 5}),
    ("transportation", ("major",), {"color": "#fff4c2", "weight": 6}),
]


def basemap_layers(basemap: gpd.GeoDataFrame, name: str) -> folium.FeatureGroup:
    """The event's streets, buildings, water and parks as GeoJSON layers (not interactive)."""
    group = folium.FeatureGroup(name=name, control=True)
    credit: dict[str, Any] = {"attribution": OSM_CREDIT}  # in the map's corner, once
    for layer, classes, style in BASEMAP_STYLES:
        rows = basemap[basemap["layer"] == layer]
        if classes is not None:
            rows = rows[rows["class"].isin(classes)]
        if not len(rows):
            continue
        shapes = gpd.GeoSeries(rows.geometry, crs=basemap.crs).set_precision(1e-6)
        data = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": g.__geo_interface__}
            for g in shapes if g is not None and not g.is_empty]}
        folium.GeoJson(data, style_function=lambda _f, s=style: s, interactive=False,
                       control=False, **credit).add_to(group)
        credit = {}
    return group


def overlay_map(
    *, cells: gpd.GeoDataFrame, reports: gpd.GeoDataFrame, readings: gpd.GeoDataFrame,
    segments: gpd.GeoDataFrame | None, tile_url: str, attribution: str, leaflet_js: str,
    leaflet_css: str, translate: Callable[[str], str] = str,
    basemap: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """A folium map: grid by discrepancy, street segments by LAeq, measured points, reports.

    All frames in EPSG:4326: ``cells`` from ``overlay.grid_overlay``, ``reports`` joined with
    their measured context (``overlay_figures.joined_reports``), ``readings`` from
    ``frames.readings_frame``, ``segments`` from ``overlay.segment_overlay``.
    ``leaflet_js``/``leaflet_css`` are file contents, inlined; ``translate`` gives the
    reader's language (``str``: English). Every tooltip is escaped text (Leaflet renders
    tooltips as HTML). ``basemap`` (``layer``, ``class``, ``geometry`` in EPSG:4326: the
    event's own OSM streets, buildings, water, parks) is drawn under the layers, inside the
    document: the map needs no tile server. Without it, ``tile_url`` (if any) is the base map.
    """
    t = translate
    bounds = pd.concat([f.geometry for f in (cells, reports, readings) if len(f)]).total_bounds \
        if len(cells) or len(reports) or len(readings) else np.array([-180, -85, 180, 85])
    fmap = folium.Map(location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
                      zoom_start=15, tiles=None, control_scale=True)
    fmap.default_js, fmap.default_css = [], []  # Leaflet is inlined below: no CDN
    root: Any = fmap.get_root()  # a folium Figure (typed as a bare Element)
    root.header.add_child(Element(f"<style>{leaflet_css}</style>"), name="leaflet_css")
    root.header.add_child(Element(f"<script>{leaflet_js}</script>"), name="leaflet")
    if basemap is not None and len(basemap):
        basemap_layers(basemap, t(N_("Base map (OpenStreetMap)"))).add_to(fmap)
    elif tile_url:
        folium.TileLayer(tiles=tile_url, attr=attribution, name="OpenStreetMap").add_to(fmap)
    grid = folium.FeatureGroup(name=t(N_("Grid: perceived vs measured (discrepancy)")))
    for row in cells.itertuples():
        lines = [t(N_("LAeq {laeq:.1f} dB(A) over {seconds:g} s")).format(
            laeq=row.laeq_db, seconds=row.seconds_measured) if not np.isnan(row.laeq_db)
            else t(N_("no measurement")),
            t(N_("{reports} reports, {contributors} contributors")).format(
                reports=row.n_reports, contributors=row.n_contributors)]
        if row.n_reports:
            lines.append(t(N_("mean intensity {mean:.1f}/5")).format(mean=row.mean_intensity))
        if row.small_count:
            lines.append(t(N_("small count")))
        tip = "<br>".join(html.escape(line) for line in lines)
        colour = _discrepancy_colour(row.discrepancy, row.kind)
        folium.GeoJson(row.geometry.__geo_interface__, tooltip=tip,
                       style_function=lambda _f, c=colour: {
                           "fillColor": c, "color": "#555", "weight": 1, "fillOpacity": 0.55,
                       }).add_to(grid)
    grid.add_to(fmap)
    if segments is not None and len(segments):
        streets = folium.FeatureGroup(name=t(N_("Street segments (energetic LAeq)")))
        for row in segments.itertuples():
            colour = _level_colour(row.laeq_db)
            folium.GeoJson(row.geometry.__geo_interface__, tooltip=html.escape(
                t(N_("{street}: LAeq {laeq:.1f} dB(A), {reports} reports")).format(
                    street=row.name or row.highway, laeq=row.laeq_db, reports=row.n_reports)),
                style_function=lambda _f, c=colour: {"color": c, "weight": 6}).add_to(streets)
        streets.add_to(fmap)
    measured = folium.FeatureGroup(name=t(N_("Measured levels (LAeq, dB(A))")))
    for row in readings.itertuples():
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=3, weight=0, fill=True,
                            fill_opacity=0.8, fill_color=_level_colour(row.laeq_db),
                            tooltip=f"{row.laeq_db:.1f} dB(A)").add_to(measured)
    measured.add_to(fmap)
    perceived = folium.FeatureGroup(name=t(N_("Perceived reports (intensity 1–5)")))
    for row in reports.itertuples():
        context = (t(N_("LAeq {laeq:.1f} dB(A) over {seconds:g} s")).format(
            laeq=row.laeq_db, seconds=row.seconds_measured) if row.measured
            else t(N_("no measurement nearby")))
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=2 + 2 * row.intensity,
                            color="#542788", weight=2, fill=False,
                            tooltip=html.escape(t(N_("intensity {intensity}/5 — {context}")).format(
                                intensity=row.intensity, context=context)),
                            ).add_to(perceived)
    perceived.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    legend = "".join(f'<i style="background:{c};width:12px;height:12px;display:inline-block"></i> '
                     f"{html.escape(label)}<br>" for c, label in [
                         (DIVERGING[6], t(N_("perceived louder than measured"))),
                         (DIVERGING[3], t(N_("agree"))),
                         (DIVERGING[0], t(N_("measured louder than perceived"))),
                         ("#762a83", t(N_("perceived, not measured"))),
                         ("#999999", t(N_("measured, not perceived")))])
    root.html.add_child(Element(
        '<div style="position:fixed;bottom:20px;left:10px;z-index:1000;background:white;'
        f'padding:6px;font:12px sans-serif;border:1px solid #999">{legend}'
        + html.escape(t(N_("Discrepancy = z(mean intensity) − z(LAeq) over cells holding both.")))
        + "</div>"))
    if len(cells):
        fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return fmap


def scatter_png(joined: pd.DataFrame, translate: Callable[[str], str] = str) -> bytes:
    """Perceived intensity vs measured LAeq with a least-squares line and the WHO road curve."""
    t = translate
    measured = joined[joined["measured"]]
    fig, left = plt.subplots(figsize=(7, 4.2), dpi=100)
    jitter = np.random.default_rng(0).uniform(-0.12, 0.12, len(measured))
    left.scatter(measured["laeq_db"], measured["intensity"] + jitter, s=10, alpha=0.5,
                 label=t(N_("reports (jittered)")))
    if len(measured) >= 2 and np.ptp(measured["laeq_db"]) > 0:
        slope, intercept = np.polyfit(measured["laeq_db"], measured["intensity"], 1)
        xs = np.linspace(measured["laeq_db"].min(), measured["laeq_db"].max(), 50)
        left.plot(xs, slope * xs + intercept, color="black",
                  label=t(N_("least squares: {slope:+.3f} per dB")).format(slope=slope))
    left.set_xlabel(t(N_("measured LAeq near the report, dB(A)")))
    left.set_ylabel(t(N_("perceived intensity (1–5)")))
    right = left.twinx()
    levels = np.linspace(40, 80, 81)
    right.plot(levels, who_percent_highly_annoyed(levels), color="#b2182b", linestyle="--",
               label=t(N_("WHO 2018 road %HA (Lden!)")))
    right.set_ylabel(t(N_("highly annoyed, % (WHO 2018, road, Lden)")))
    handles = left.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    left.legend(handles=handles, loc="upper left", fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def circumplex_svg(section: dict[str, object], translate: Callable[[str], str] = str) -> bytes:
    """The ISO/TS 12913-3 circumplex of a survey (``overlay_figures.soundscape_section``):
    each answer a small dot at (pleasantness, eventfulness), each site's mean a labelled
    square; the diagonals name the octants (vibrant, chaotic, monotonous, calm). SVG."""
    t = translate
    fig, ax = plt.subplots(figsize=(5.6, 5.6), dpi=100)
    answers = [a for a in section["answers"]  # type: ignore[attr-defined]
               if a["pleasantness"] is not None and a["eventfulness"] is not None]
    ax.scatter([a["pleasantness"] for a in answers], [a["eventfulness"] for a in answers],
               s=9, alpha=0.35, color="#555555", label=t(N_("one answer")))
    sites = [s for s in section["sites"]  # type: ignore[attr-defined]
             if s["pleasantness"] is not None and s["eventfulness"] is not None]
    ax.scatter([s["pleasantness"] for s in sites], [s["eventfulness"] for s in sites],
               s=60, marker="s", color="#b2182b", label=t(N_("site mean")))
    for s in sites:
        ax.annotate(f"{s['site']} (n={s['n']})", (s["pleasantness"], s["eventfulness"]),
                    textcoords="offset points", xytext=(6, 6), fontsize=8)
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.8)
    ax.plot([-1, 1], [-1, 1], [-1, 1], [1, -1], color="#dddddd", linewidth=0.8)
    for (x, y), word in (((0.72, 0.82), N_("vibrant")), ((-0.98, 0.82), N_("chaotic")),
                         ((-0.98, -0.9), N_("monotonous")), ((0.78, -0.9), N_("calm"))):
        ax.text(x, y, t(word), fontsize=9, color="#555555")
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(t(N_("pleasantness (ISO/TS 12913-3)")))
    ax.set_ylabel(t(N_("eventfulness (ISO/TS 12913-3)")))
    ax.legend(loc="lower left", fontsize=8, bbox_to_anchor=(0.0, 0.06))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()
