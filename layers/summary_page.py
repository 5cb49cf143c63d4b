"""The overlay summary: one self-contained HTML page of an event's perceived × measured overlay
(map, scatter, statistics, what was left out, caveat, credits), in the reader's language (pure).

"Summary", not "report": a report is a participant's nuisance report. The caller passes a
``translate`` function (Django's ``gettext`` under the reader's language, ``str`` for
English); every sentence here is marked with ``N_`` for the catalogues.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from typing import Any

import folium

from mapping.errors import N_

Translate = Callable[[str], str]


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def _correlation_rows(figures: dict[str, Any], t: Translate) -> str:
    units = {"participants": t(N_("participants")), "cells": t(N_("cells"))}
    small = html.escape(t(N_("small count")))
    subsets = [(t(N_("all reports")), figures["overall"]), (t(N_("per cell")), figures["per_cell"]),
               *[(t(N_("source: {source}")).format(source=s), c)
                 for s, c in figures["per_source"].items()]]
    return "".join(
        f"<tr><td>{html.escape(name)}</td><td>{c['n']}</td>"
        f"<td>{c['n_clusters']} {html.escape(units.get(c['unit'], c['unit']))}</td>"
        f"<td>{_fmt(c['rho'])}</td><td>[{_fmt(c['ci_low'])}, {_fmt(c['ci_high'])}]</td>"
        f"<td>{small if c['small_count'] else ''}</td></tr>"
        for name, c in subsets)


def _left_out(figures: dict[str, Any], t: Translate) -> str:
    if not figures["left_out"]:
        return "<p>" + html.escape(t(N_("No reading was left out."))) + "</p>"
    items = "".join(
        "<li>" + html.escape(
            t(N_("{readings} readings of {sensors} sensors: {explanation}")).format(
                readings=item["readings"], sensors=len(item["sensors"]),
                explanation=item["explanation"])) + "</li>"
        for item in figures["left_out"])
    return f"<ul>{items}</ul>"


def _soundscape(figures: dict[str, Any], svg: bytes | None, t: Translate) -> str:
    """The soundscape section (ISO 12913): both correlations side by side, the warning, the
    sites, the circumplex; empty when the event has no soundscape answer."""
    section = figures.get("soundscape")
    if not section:
        return ""
    e = html.escape
    ind, site = section["individual"], section["per_site"]
    words = {key: e(t(text)) for key, text in {
        "small": N_("small count"), "title": N_("Soundscape (ISO 12913)"),
        "per_answer": N_("per answer: perceived loudness vs LAeq beside it"),
        "per_site": N_("per site: mean loudness vs energetic LAeq"), "sites": N_("sites"),
        "warning": N_("Warning."),
        "alt": N_("Circumplex: pleasantness across, eventfulness up; one dot an answer, one "
                  "square a site's mean"),
    }.items()}
    intro = e(t(N_("{answers} answers to the ISO/TS 12913-2 questionnaire.")).format(
        answers=section["n_answers"]))
    heads = [t(N_("association")), t(N_("n")), t(N_("Spearman ρ")),
             t(N_("95 % CI (cluster bootstrap)")), ""]
    rows = (
        f"<tr><td>{words['per_answer']}</td><td>{ind['n']}</td><td>{_fmt(ind['rho'])}</td>"
        f"<td>[{_fmt(ind['ci_low'])}, {_fmt(ind['ci_high'])}]</td>"
        f"<td>{words['small'] if ind['small_count'] else ''}</td></tr>"
        f"<tr><td>{words['per_site']}</td><td>{site['n_sites']} {words['sites']}</td>"
        f"<td>{_fmt(site['rho'])}</td><td>—</td>"
        f"<td>{words['small'] if site['small_count'] else ''}</td></tr>")
    site_heads = [t(N_("site")), t(N_("answers")), t(N_("pleasantness")), t(N_("eventfulness")),
                  t(N_("LAeq, dB(A)")), t(N_("mean perceived loudness (1–5)"))]
    site_rows = "".join(
        f"<tr><td>{e(s['site'])}</td><td>{s['n']}</td><td>{_fmt(s['pleasantness'])}</td>"
        f"<td>{_fmt(s['eventfulness'])}</td><td>{_fmt(s['laeq_db'])}</td>"
        f"<td>{_fmt(s['loudness_mean'])}</td></tr>" for s in section["sites"])
    picture = ""
    if svg is not None:
        picture = (f"<p><img alt='{words['alt']}' width='560' "
                   f"src='data:image/svg+xml;base64,{base64.b64encode(svg).decode()}'></p>")
    note = f"<p>{e(section['levels_note'])}</p>" if section.get("levels_note") else ""
    return (
        f"<h2>{words['title']}</h2><p>{intro}</p>"
        "<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in heads) + f"</tr>{rows}</table>"
        f"<p><b>{words['warning']}</b> {e(site['warning'])}</p>{note}"
        "<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in site_heads) + f"</tr>{site_rows}"
        f"</table>{picture}")


def summary_page(
    *, title: str, fmap: folium.Map, scatter_png: bytes, figures: dict[str, Any],
    attribution: str, translate: Translate = str, language: str = "en",
    circumplex_svg: bytes | None = None,
) -> str:
    """The whole overlay summary as one HTML string.

    ``figures`` are :func:`layers.overlay_figures.overlay_statistics` (its ``left_out``
    explanations already in the reader's language), ``fmap`` the map of
    :func:`layers.maps.overlay_map`, ``scatter_png`` the chart of
    :func:`layers.maps.scatter_png`; ``attribution`` is the base map's credit (HTML).
    """
    t = translate
    params = figures["parameters"]
    intro = t(N_("{reports} noise reports, {measured} with a measurement within {radius:g} m "
                 "and ±{window:g} s; {without} with no measurement nearby.")).format(
        reports=figures["reports"], measured=figures["reports_measured"],
        radius=params["radius_m"], window=params["window_s"],
        without=figures["reports_without_measurement"])
    bands = "".join(
        f"<tr><td>{b['band_db'][0]}–{b['band_db'][1]}</td><td>{b['n']}</td>"
        f"<td>{_fmt(b['percent'])} [{_fmt(b['ci_low'])}, {_fmt(b['ci_high'])}]</td>"
        f"<td>{_fmt(b['who_road_percent'])}</td></tr>" for b in figures["who_2018_road"]["bands"])
    heads = [t(N_("subset")), t(N_("pairs")), t(N_("resampled clusters")), t(N_("Spearman ρ")),
             t(N_("95 % CI (cluster bootstrap)")), ""]
    band_heads = [t(N_("LAeq band, dB(A)")), t(N_("reports")), t(N_("said 4–5/5, % [95 % CI]")),
                  t(N_("WHO %HA at band centre"))]
    image = base64.b64encode(scatter_png).decode()
    e = html.escape
    words = {key: e(t(text)) for key, text in {
        "left_out": N_("Left out of the overlay"), "map": N_("Map of the overlay"),
        "scatter": N_("Perceived intensity vs measured level"),
        "scatter_alt": N_("Perceived intensity against measured LAeq, one dot a report"),
        "who": N_("Expected annoyance (WHO 2018, road traffic)"), "caveat": N_("Caveat."),
        "credits": N_("Measurements: NoiseCapture (Université Gustave Eiffel / CNRS, ODbL), "
                      "Sensor.Community (ODbL), LASSO (Aumond et al.), the event's stations."),
    }.items()}
    return (
        f"<!DOCTYPE html><html lang='{e(language)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{e(title)}</title>"
        "<style>body{font:14px sans-serif;margin:1em;max-width:70em}table{border-collapse:"
        "collapse}td,th{border:1px solid #ccc;padding:3px 6px}.map{height:560px}"
        "img{max-width:100%}</style></head><body>"
        f"<h1>{e(title)}</h1><p>{e(intro)}</p>"
        f"<h2>{words['left_out']}</h2>{_left_out(figures, t)}"
        f"<div class='map'><iframe title='{words['map']}' "
        f"srcdoc=\"{e(fmap.get_root().render())}\" style='width:100%;height:100%;border:0'>"
        "</iframe></div>"
        f"<h2>{words['scatter']}</h2>"
        "<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in heads) + "</tr>"
        f"{_correlation_rows(figures, t)}</table>"
        f"<p><img alt='{words['scatter_alt']}' src='data:image/png;base64,{image}'></p>"
        f"<h2>{words['who']}</h2>"
        "<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in band_heads) + f"</tr>{bands}</table>"
        f"<p><b>{words['caveat']}</b> {e(t(figures['who_2018_road']['caveat']))}</p>"
        f"{_soundscape(figures, circumplex_svg, t)}"
        f"<p style='font-size:11px'>{attribution}. {words['credits']}</p></body></html>")
