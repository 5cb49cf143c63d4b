"""The representativity summary: one self-contained HTML page to download and share (pure).

A folium map of the map cells (blank spots, covered, imputed), the Lorenz curve, the
contributions by hour of day and weekday against the event's window, declared ages beside
the residents', and the tables behind them, in the reader's language (``translate``).
Leaflet's JS and CSS are passed in and inlined, the charts are the SVG figures of
:mod:`layers.representativity.figures` as data URIs: nothing comes from a CDN;
only base-map tiles load when the page is opened.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element

from layers.maps import basemap_layers
from layers.representativity import figures
from layers.representativity.document import Result
from mapping.errors import N_

SUMMARY_NAME = "{slug}-representativity.html"
COLOURS = {"blank": "#d7301f", "covered": "#1a9850", "suppressed": "#fdae61", "empty": "#bdbdbd"}
CHANNEL_COLOURS = {"self": "#1f78b4", "mediator": "#33a02c", "paper": "#e31a1c",
                   "import": "#ff7f00"}
T = {  # every sentence a reader sees, marked for translation
    "title": N_("Who took part, and who did not — {event}"),
    "public": N_("Public version: counts of fewer than {k} people are left out."),
    "internal": N_("Internal version for the event's organisers and officers: do not share."),
    "facts": N_("{contributions} contributions by {contributors} contributors; {covered} of "
                "{cells} map cells covered; {blank} blank spots where {people} people live."),
    "rate": N_("{rate} contributions per 1,000 inhabitants."),
    "map": N_("Map: blank spots (red) are populated cells nobody mapped; green ones were "
              "covered; dashed outlines are imputed cells (INSEE spread a larger group's "
              "figures over them)."),
    "blank": N_("blank spot"), "covered": N_("covered"), "suppressed": N_("fewer than k people"),
    "inhabitants": N_("inhabitants"), "contributions": N_("contributions"),
    "contributors": N_("contributors"),
    "lorenz": N_("Concentration: the Lorenz curve"),
    "lorenz_x": N_("share of contributors, least active first"),
    "lorenz_y": N_("share of contributions"), "equality": N_("everyone alike"),
    "all": N_("all channels"),
    "concentration": N_("The most active 10 % made {top10} of the contributions; {half} "
                        "contributors made half of them. Gini coefficient: {gini}."),
    "hours": N_("Time: contributions by hour of the day ({tz})"),
    "inside": N_("during the event"), "outside": N_("outside the event's hours"),
    "hour": N_("hour of the day"),
    "weekdays": N_("Contributions by day of the week"),
    "hours_left_out": N_("{n} hours with fewer than {k} contributors are left out of every "
                         "figure."),
    "channels": N_("By channel"), "channel": N_("channel"),
    "self": N_("self (web or mobile)"), "mediator": N_("mediator"), "paper": N_("paper form"),
    "import": N_("import"),
    "thirds": N_("By living standard of the cells (thirds of residents)"),
    "third": N_("third"), "lower_third": N_("lower third"), "middle_third": N_("middle third"),
    "upper_third": N_("upper third"), "per_1000": N_("per 1,000 inhabitants"),
    "top_blank": N_("Most populated blank spots"), "cell": N_("cell"),
    "ages": N_("Declared ages beside the residents'"), "declared": N_("participants"),
    "residents": N_("residents (11 years and over)"), "share": N_("share"),
    "population": N_("The residents (population grid)"),
    "poor": N_("households below the poverty line"), "living": N_("mean standard of living"),
    "social": N_("social housing"),
    "limits": N_("Read with care"),
    "limit_sample": N_("A carto-party is not a survey sample: whoever came took part."),
    "limit_residents": N_("The grid counts residents in fiscal households, not passers-by, "
                          "students in residences, care homes or hostels."),
    "limit_imputed": N_("Imputed cells carry figures spread from a larger group; one cell "
                        "alone means little."),
    "actions": N_("What to do about a gap"),
    "action_mediators": N_("Bring mediators where the blank spots are, and enter "
                           "contributions with the people who have no smartphone."),
    "action_paper": N_("Hand out paper forms, and type them in afterwards."),
    "action_field": N_("Go to the field at other hours and days than the first time."),
    "action_centres": N_("Meet people through social centres, neighbourhood houses, "
                         "associations."),
    "rule": N_("The rule applied"), "sources": N_("Sources"),
}


def _t(tr: Callable[[str], str], key: str, **values: Any) -> str:
    return html.escape(tr(T[key]).format(**values))


def coverage_map(coverage: dict[str, Any], *, tr: Callable[[str], str], tile_url: str,
                 attribution: str, leaflet_js: str, leaflet_css: str,
                 basemap: gpd.GeoDataFrame | None = None) -> folium.Map:
    """The map cells coloured by status, imputed ones dashed; Leaflet inlined. ``basemap``
    (the event's own OSM streets, buildings, water, parks; :func:`layers.maps.basemap_layers`)
    is drawn inside the document, without a tile server; else ``tile_url`` (if any)."""
    features = coverage["cells"]["features"]
    fmap = folium.Map(tiles=None, control_scale=True, zoom_start=14,
                      location=[44.8, -0.58] if not features else None)
    fmap.default_js, fmap.default_css = [], []
    root: Any = fmap.get_root()  # a branca Figure, typed as its base Element
    root.header.add_child(Element(f"<style>{leaflet_css}</style>"), name="leaflet_css")
    root.header.add_child(Element(f"<script>{leaflet_js}</script>"), name="leaflet")
    if basemap is not None and len(basemap):
        basemap_layers(basemap, tr(N_("Base map (OpenStreetMap)"))).add_to(fmap)
    elif tile_url:
        folium.TileLayer(tiles=tile_url, attr=attribution, name="OpenStreetMap").add_to(fmap)
    for feature in features:
        props = feature["properties"]
        status = props["status"]
        colour = COLOURS["empty"] if status == "blank" and not props["inhabitants"] \
            else COLOURS[status]
        tip = (f"{html.escape(props['code'])}<br>{_t(tr, status)} — "
               f"{props['inhabitants'] or 0:g} {_t(tr, 'inhabitants')}")
        if props.get("contributions") is not None:
            tip += f"<br>{props['contributions']} {_t(tr, 'contributions')}"
        folium.GeoJson(feature["geometry"], tooltip=tip, style_function=lambda _f, c=colour,
                       dashed=props["imputed"]: {"fillColor": c, "color": "#555",
                                                 "weight": 1, "fillOpacity": 0.5,
                                                 "dashArray": "4 3" if dashed else None},
                       ).add_to(fmap)
    for feature in coverage["areas"]["features"]:
        props = feature["properties"]
        if props["status"] == "blank" and not props["inhabitants"]:
            continue
        counted = ("—" if props["contributions"] is None
                   else f"{props['contributions']:g} {_t(tr, 'contributions')}, "
                        f"{props['contributors']:g} {_t(tr, 'contributors')}")
        folium.GeoJson(feature["geometry"], tooltip=f"1 km — {counted}<br>"
                       f"{props['inhabitants']:g} {_t(tr, 'inhabitants')}",
                       style_function=lambda _f: {"fill": False, "color": "#252525",
                                                  "weight": 2}).add_to(fmap)
    if features:
        lons = [x for f in features for x, _ in f["geometry"]["coordinates"][0]]
        lats = [y for f in features for _, y in f["geometry"]["coordinates"][0]]
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]])
    return fmap


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th scope='col'>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{'—' if v is None else html.escape(str(v))}</td>"
                                    for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _percent(share: float | None) -> str | None:
    return None if share is None else f"{share:.0%}"


def _image(uri: str | None, alt: str) -> str:
    return f"<p><img src='{uri}' alt='{alt}'></p>" if uri else ""


def summary_html(result: Result, *, event_name: str, translate: Callable[[str], str],
                 tile_url: str, attribution: str, leaflet_js: str = "",
                 leaflet_css: str = "", language: str = "en",
                 basemap: gpd.GeoDataFrame | None = None) -> str:
    """The whole summary as one HTML string (``basemap``: see :func:`coverage_map`)."""
    tr, doc = translate, result.document
    cov, conc, time, profile = (doc[k] for k in ("coverage", "concentration", "time", "profile"))
    rule = doc["suppression"]
    k = rule["k"]
    audience = "public" if rule["audience"] == "public" else "internal"
    parts = [f"<h1>{_t(tr, 'title', event=event_name)}</h1>",
             f"<p class='note'>{_t(tr, audience, k=k)}</p>",
             "<p>" + _t(tr, "facts", contributions=cov["contributions"],
                        contributors=conc["contributors"], covered=cov["covered"],
                        cells=len(cov["cells"]["features"]), blank=len(cov["blank_spots"]),
                        people=f"{cov['inhabitants_in_blank_spots']:,.0f}")
             + (" " + _t(tr, "rate", rate=cov["per_1000_inhabitants"])
                if cov["per_1000_inhabitants"] is not None else "") + "</p>",
             f"<p>{_t(tr, 'map')}</p>"]
    fmap = coverage_map(cov, tr=tr, tile_url=tile_url, attribution=attribution,
                        leaflet_js=leaflet_js, leaflet_css=leaflet_css, basemap=basemap)
    parts.append(f"<div class='map'><iframe title='{_t(tr, 'map')}' srcdoc=\""
                 f"{html.escape(fmap.get_root().render())}\"></iframe></div>")
    by_code = {f["id"]: f["properties"] for f in cov["cells"]["features"]}
    parts.append(f"<h2>{_t(tr, 'top_blank')}</h2>" + _table(
        [_t(tr, "cell"), _t(tr, "inhabitants"), _t(tr, "third")],
        [[c, by_code[c]["inhabitants"], tr(T.get(by_code[c]["living_standard"] or "", "—"))]
         for c in cov["blank_spots"][:10]]))
    if cov["by_living_standard"]:
        parts.append(f"<h2>{_t(tr, 'thirds')}</h2>" + _table(
            [_t(tr, "third"), _t(tr, "inhabitants"), _t(tr, "contributions"), _t(tr, "per_1000")],
            [[tr(T[r["class"]]), r["inhabitants"], r["contributions"], r["per_1000_inhabitants"]]
             for r in cov["by_living_standard"]]))
    parts.append(f"<h2>{_t(tr, 'lorenz')}</h2>")
    if conc["contributors"]:
        parts.append("<p>" + _t(tr, "concentration", top10=f"{conc['top10_share']:.0%}",
                                half=conc["contributors_for_half"], gini=f"{conc['gini']:.2f}")
                     + "</p>")
    parts.append(_image(figures.data_uri(figures.lorenz_svg(conc, tr)), _t(tr, "lorenz")))
    parts.append(f"<h3>{_t(tr, 'channels')}</h3>" + _table(
        [_t(tr, "channel"), _t(tr, "contributors"), _t(tr, "contributions"), "top 10 %", "Gini"],
        [[tr(T[c]), p.get("contributors"), p.get("contributions"), _percent(p.get("top10_share")),
          p.get("gini")] for c, p in conc["per_channel"].items()]))
    hours_title = _t(tr, "hours", tz=time["time_zone"])
    parts.append(f"<h2>{hours_title}</h2>"
                 + _image(figures.data_uri(figures.hours_svg(time, tr, k=k)), hours_title))
    if time.get("suppressed_hours"):
        parts.append("<p>" + _t(tr, "hours_left_out", n=time["suppressed_hours"], k=k) + "</p>")
    parts.append(f"<h3>{_t(tr, 'weekdays')}</h3>"
                 + _image(figures.data_uri(figures.weekdays_svg(time, tr)), _t(tr, "weekdays")))
    hidden = set(time.get("suppressed_hours_of_day") or ())
    parts.append(_table(
        [_t(tr, "hour"), _t(tr, "inside"), _t(tr, "outside")],
        [[f"{r['hour']} h", *([tr(T["suppressed"])] * 2 if r["hour"] in hidden
                              and not r["contributions"] else
                              [r["inside_window"], r["contributions"] - r["inside_window"]])]
         for r in time["by_hour"] if r["contributions"] or r["hour"] in hidden]))
    ages = figures.data_uri(figures.ages_svg(profile, tr, k=k))
    if ages:
        parts.append(f"<h2>{_t(tr, 'ages')}</h2>" + _image(ages, _t(tr, "ages")))
    population = profile.get("population")
    if population:
        parts.append(f"<h2>{_t(tr, 'population')}</h2>" + _table(["", ""], [
            [tr(T["inhabitants"]), population["inhabitants"]],
            [tr(T["poor"]), population["poor_households_share"]],
            [tr(T["living"]), population["mean_living_standard_eur"]],
            [tr(T["social"]), population["social_housing_share"]]]))
    parts.append(f"<h2>{_t(tr, 'limits')}</h2><ul>" + "".join(
        f"<li>{_t(tr, key)}</li>" for key in ("limit_sample", "limit_residents", "limit_imputed"))
        + "</ul>")
    parts.append(f"<h2>{_t(tr, 'actions')}</h2><ul>" + "".join(
        f"<li>{_t(tr, key)}</li>" for key in ("action_mediators", "action_paper", "action_field",
                                              "action_centres")) + "</ul>")
    parts.append(f"<h2>{_t(tr, 'rule')}</h2><p>{html.escape(rule['rule'])}</p>")
    sources = (population or {}).get("source") or ""
    parts.append(f"<p class='small'>{_t(tr, 'sources')}: {html.escape(sources)}. {attribution}</p>")
    title = _t(tr, "title", event=event_name)
    return (f"<!DOCTYPE html><html lang='{html.escape(language)}'><head>"
            f"<meta charset='utf-8'><meta name='viewport' content='width=device-width, "
            f"initial-scale=1'><title>{title}</title><style>body{{font:15px/1.45 sans-serif;"
            "margin:1em auto;max-width:60em;padding:0 1em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:3px 6px}img{max-width:100%}"
            ".map{height:520px}.map iframe{width:100%;height:100%;border:0}.note{font-weight:bold}"
            ".small{font-size:12px}</style></head><body>" + "".join(parts) + "</body></html>")
