"""The overlay report: a self-contained folium map plus charts, as one HTML page (pure).

Folium links Leaflet, jQuery and Bootstrap from CDNs by default; here the map uses Leaflet
only and the caller passes Leaflet's JS/CSS **contents** (from the installed django-leaflet),
which are inlined: the page renders offline and can be mailed. Only the base-map tiles
(``tile_url``) come from the network, when the page is opened.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any

import folium
import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from branca.element import Element

from layers.annoyance import CAVEAT, who_percent_highly_annoyed

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


def overlay_map(
    *, cells: gpd.GeoDataFrame, reports: gpd.GeoDataFrame, readings: gpd.GeoDataFrame,
    segments: gpd.GeoDataFrame | None, tile_url: str, attribution: str, leaflet_js: str,
    leaflet_css: str,
) -> folium.Map:
    """A folium map: grid by discrepancy, street segments by LAeq, measured points, reports.

    All frames in EPSG:4326: ``cells`` from ``overlay.grid_overlay``, ``reports`` joined with
    their measured context, ``readings`` from ``frames.readings_frame``, ``segments`` from
    ``overlay.segment_overlay``. ``leaflet_js``/``leaflet_css`` are file contents, inlined.
    """
    bounds = pd.concat([f.geometry for f in (cells, reports, readings) if len(f)]).total_bounds \
        if len(cells) or len(reports) or len(readings) else np.array([-180, -85, 180, 85])
    fmap = folium.Map(location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
                      zoom_start=15, tiles=None, control_scale=True)
    fmap.default_js, fmap.default_css = [], []  # Leaflet is inlined below: no CDN
    fmap.get_root().header.add_child(Element(f"<style>{leaflet_css}</style>"), name="leaflet_css")
    fmap.get_root().header.add_child(Element(f"<script>{leaflet_js}</script>"), name="leaflet")
    folium.TileLayer(tiles=tile_url, attr=attribution, name="OpenStreetMap").add_to(fmap)
    grid = folium.FeatureGroup(name="Grid: perceived vs measured (discrepancy)")
    for row in cells.itertuples():
        tip = (f"LAeq {row.laeq_db:.1f} dB(A) over {row.seconds_measured:g} s" if not np.isnan(row.laeq_db)
               else "no measurement") + f"<br>{row.n_reports} reports, {row.n_contributors} contributors"
        if row.n_reports:
            tip += f", mean intensity {row.mean_intensity:.1f}/5"
        if row.small_count:
            tip += "<br><i>small count</i>"
        colour = _discrepancy_colour(row.discrepancy, row.kind)
        folium.GeoJson(row.geometry.__geo_interface__, tooltip=tip, style_function=lambda _f, c=colour: {
            "fillColor": c, "color": "#555", "weight": 1, "fillOpacity": 0.55}).add_to(grid)
    grid.add_to(fmap)
    if segments is not None and len(segments):
        streets = folium.FeatureGroup(name="Street segments (energetic LAeq)")
        for row in segments.itertuples():
            colour = _level_colour(row.laeq_db)
            folium.GeoJson(row.geometry.__geo_interface__, tooltip=html.escape(
                f"{row.name or row.highway}: LAeq {row.laeq_db:.1f} dB(A), {row.n_reports} reports"),
                style_function=lambda _f, c=colour: {"color": c, "weight": 6}).add_to(streets)
        streets.add_to(fmap)
    measured = folium.FeatureGroup(name="Measured levels (LAeq, dB(A))")
    for row in readings.itertuples():
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=3, weight=0, fill=True,
                            fill_opacity=0.8, fill_color=_level_colour(row.laeq_db),
                            tooltip=f"{row.laeq_db:.1f} dB(A)").add_to(measured)
    measured.add_to(fmap)
    perceived = folium.FeatureGroup(name="Perceived reports (intensity 1–5)")
    for row in reports.itertuples():
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=2 + 2 * row.intensity,
                            color="#542788", weight=2, fill=False,
                            tooltip=html.escape(f"intensity {row.intensity}/5 — {row.context}"),
                            ).add_to(perceived)
    perceived.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    legend = "".join(f'<i style="background:{c};width:12px;height:12px;display:inline-block"></i> '
                     f"{label}<br>" for c, label in [
                         (DIVERGING[6], "perceived louder than measured"),
                         (DIVERGING[3], "agree"), (DIVERGING[0], "measured louder than perceived"),
                         ("#762a83", "perceived, not measured"), ("#999999", "measured, not perceived")])
    fmap.get_root().html.add_child(Element(
        '<div style="position:fixed;bottom:20px;left:10px;z-index:1000;background:white;'
        f'padding:6px;font:12px sans-serif;border:1px solid #999">{legend}'
        "Discrepancy = z(mean intensity) − z(LAeq) over cells holding both.</div>"))
    if len(cells):
        fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return fmap


def scatter_png(joined: pd.DataFrame) -> bytes:
    """Perceived intensity vs measured LAeq with a least-squares line and the WHO road curve."""
    measured = joined[joined["measured"]]
    fig, left = plt.subplots(figsize=(7, 4.2), dpi=100)
    jitter = np.random.default_rng(0).uniform(-0.12, 0.12, len(measured))
    left.scatter(measured["laeq_db"], measured["intensity"] + jitter, s=10, alpha=0.5,
                 label="reports (jittered)")
    if len(measured) >= 2 and np.ptp(measured["laeq_db"]) > 0:
        slope, intercept = np.polyfit(measured["laeq_db"], measured["intensity"], 1)
        xs = np.linspace(measured["laeq_db"].min(), measured["laeq_db"].max(), 50)
        left.plot(xs, slope * xs + intercept, color="black",
                  label=f"least squares: {slope:+.3f} per dB")
    left.set_xlabel("measured LAeq near the report, dB(A)")
    left.set_ylabel("perceived intensity (1–5)")
    right = left.twinx()
    levels = np.linspace(40, 80, 81)
    right.plot(levels, who_percent_highly_annoyed(levels), color="#b2182b", linestyle="--",
               label="WHO 2018 road %HA (Lden!)")
    right.set_ylabel("% highly annoyed (WHO 2018, road, Lden)")
    handles = left.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    left.legend(handles=handles, loc="upper left", fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def report_page(*, title: str, fmap: folium.Map, scatter: bytes, figures: dict[str, Any],
                attribution: str) -> str:
    """The whole report as one HTML string: map, scatter, statistics table, caveat, credits."""
    overall = figures["overall"]

    def fmt(value: Any) -> str:
        return "—" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)

    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{c['n']}</td><td>{c['n_clusters']}</td>"
        f"<td>{fmt(c['rho'])}</td><td>[{fmt(c['ci_low'])}, {fmt(c['ci_high'])}]</td>"
        f"<td>{'small count' if c['small_count'] else ''}</td></tr>"
        for name, c in [("all reports", overall), ("per cell", figures["per_cell"]),
                        *[(f"source: {s}", c) for s, c in figures["per_source"].items()]])
    bands = "".join(
        f"<tr><td>{b['band_db'][0]}–{b['band_db'][1]}</td><td>{b['n']}</td>"
        f"<td>{fmt(b['percent'])} [{fmt(b['ci_low'])}, {fmt(b['ci_high'])}]</td>"
        f"<td>{fmt(b['who_road_percent'])}</td></tr>" for b in figures["who_2018_road"]["bands"])
    image = base64.b64encode(scatter).decode()
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<style>body{font:14px sans-serif;margin:1em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 6px}.map{height:560px}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{figures['reports']} noise reports, {figures['reports_measured']} with a measurement "
        f"within {figures['parameters']['radius_m']:g} m and ±{figures['parameters']['window_s']:g} s; "
        f"{figures['reports_without_measurement']} with no measurement nearby.</p>"
        f"<div class='map'><iframe srcdoc=\"{html.escape(fmap.get_root().render())}\" "
        "style='width:100%;height:100%;border:0'></iframe></div>"
        "<h2>Perceived intensity vs measured level</h2>"
        "<table><tr><th>subset</th><th>n</th><th>participants</th><th>Spearman ρ</th>"
        f"<th>95 % CI (participant bootstrap)</th><th></th></tr>{rows}</table>"
        f"<p><img alt='scatter' src='data:image/png;base64,{image}'></p>"
        "<h2>Expected annoyance (WHO 2018, road traffic)</h2>"
        "<table><tr><th>LAeq band, dB(A)</th><th>reports</th><th>said 4–5/5, % [95 % CI]</th>"
        f"<th>WHO %HA at band centre</th></tr>{bands}</table>"
        f"<p><b>Caveat.</b> {html.escape(CAVEAT)}</p>"
        f"<p style='font-size:11px'>{attribution}. Measurements: NoiseCapture (Université Gustave "
        "Eiffel / CNRS, ODbL), Sensor.Community (ODbL), LASSO (Aumond et al.), the event's "
        "stations.</p></body></html>")
