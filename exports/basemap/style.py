"""The TileJSON and the MapLibre style of an event's base map (pure, plain dicts).

A clear cartographic style for a map contributions are read on: light land, green parks,
blue water, grey buildings, white streets with grey casings (wider for major roads), dashed
paths, street names along the streets, house numbers close in. Colours are quiet so the
contribution layers drawn on top stay readable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from exports.basemap.features import LAYERS
from exports.basemap.glyphs import DEFAULT_FONT

ATTRIBUTION = ('<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap '
               'contributors</a>')
SOURCE = "basemap"
FIELD_TYPES = {"class": "String", "name": "String", "highway": "String",
               "housenumber": "String"}
LAYER_MIN_ZOOM = {"landuse": 12, "water": 12, "waterway": 13, "building": 14,
                  "transportation": 12, "housenumber": 16}


def tilejson(*, name: str, tiles_url: str, bounds: Sequence[float], min_zoom: int,
             max_zoom: int) -> dict[str, Any]:
    """TileJSON 3.0.0 of the base map.

    Parameters
    ----------
    tiles_url : str
        Absolute ``…/{z}/{x}/{y}.mvt`` template (with a version query: a new import, new URLs).
    bounds : (west, south, east, north)
        WGS84 degrees covered by the tiles.
    """
    west, south, east, north = bounds
    return {
        "tilejson": "3.0.0",
        "name": name,
        "attribution": ATTRIBUTION,
        "scheme": "xyz",
        "tiles": [tiles_url],
        "minzoom": min_zoom,
        "maxzoom": max_zoom,
        "bounds": [west, south, east, north],
        "center": [(west + east) / 2, (south + north) / 2, max_zoom],
        "vector_layers": [
            {"id": layer, "minzoom": LAYER_MIN_ZOOM[layer], "maxzoom": max_zoom,
             "fields": {key: FIELD_TYPES[key] for key in fields},
             "description": ", ".join(f"{k}: {v}" for k, v in fields.items())}
            for layer, fields in LAYERS.items()],
    }


def _layer(layer_id: str, source_layer: str, kind: str, paint: Mapping[str, Any], *,
           filter_: list[Any] | None = None, layout: Mapping[str, Any] | None = None,
           min_zoom: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"id": layer_id, "type": kind, "source": SOURCE,
                             "source-layer": source_layer, "paint": dict(paint)}
    if filter_ is not None:
        found["filter"] = filter_
    if layout:
        found["layout"] = dict(layout)
    if min_zoom is not None:
        found["minzoom"] = min_zoom
    return found


def _width(base: float) -> list[Any]:
    """A line width growing with the zoom, ``base`` px at z16."""
    return ["interpolate", ["exponential", 1.6], ["zoom"], 12, base / 6, 16, base, 20,
            base * 6]


def _road(klass: str) -> list[Any]:
    return ["==", ["get", "class"], klass]


ROADS = (("service", 3.5), ("minor", 6.0), ("major", 8.0))


def basemap_style(*, name: str, tilejson_url: str, glyphs_url: str) -> dict[str, Any]:
    """The MapLibre style (spec v8) of the base map, its tiles described by ``tilejson_url``.

    ``glyphs_url`` is the absolute ``…/{fontstack}/{range}.pbf`` template the product serves.
    """
    font = [DEFAULT_FONT]
    layers: list[dict[str, Any]] = [
        {"id": "background", "type": "background", "paint": {"background-color": "#f4f1ea"}},
        _layer("landuse", "landuse", "fill", {"fill-color": [
            "match", ["get", "class"], "park", "#cfe8bf", "green", "#dcebcf",
            "commercial", "#f1e6e6", "retail", "#f1e6e6", "industrial", "#ebe6ef",
            "#ece9e0"]}),
        _layer("water", "water", "fill", {"fill-color": "#a8d0f0"}),
        _layer("waterway", "waterway", "line", {"line-color": "#a8d0f0",
                                                "line-width": _width(3)}),
        _layer("building", "building", "fill", {
            "fill-color": "#d9d0c7", "fill-outline-color": "#b9ada1",
            "fill-opacity": ["interpolate", ["linear"], ["zoom"], 14, 0.4, 16, 1]}),
        _layer("path", "transportation", "line",
               {"line-color": "#8a6a50", "line-width": _width(1.6),
                "line-dasharray": [2, 1.5]}, filter_=_road("path"), min_zoom=14),
        _layer("rail", "transportation", "line",
               {"line-color": "#9a9a9a", "line-width": _width(1.5),
                "line-dasharray": [3, 2]}, filter_=_road("rail")),
    ]
    line_layout = {"line-cap": "round", "line-join": "round"}
    for klass, width in ROADS:
        layers.append(_layer(f"road-{klass}-casing", "transportation", "line",
                             {"line-color": "#a39e93", "line-width": _width(width + 2)},
                             filter_=_road(klass), layout=line_layout))
    for klass, width in ROADS:
        colour = "#fff4c2" if klass == "major" else "#ffffff"
        layers.append(_layer(f"road-{klass}", "transportation", "line",
                             {"line-color": colour, "line-width": _width(width)},
                             filter_=_road(klass), layout=line_layout))
    layers += [
        _layer("street-name", "transportation", "symbol",
               {"text-color": "#333333", "text-halo-color": "#ffffff", "text-halo-width": 1.5},
               filter_=["all", ["has", "name"], ["!=", ["get", "class"], "rail"]],
               layout={"symbol-placement": "line", "text-field": ["get", "name"],
                       "text-font": font, "text-size": ["interpolate", ["linear"], ["zoom"],
                                                        14, 10, 18, 14],
                       "text-max-angle": 35, "symbol-spacing": 250}, min_zoom=14),
        _layer("waterway-name", "waterway", "symbol",
               {"text-color": "#3a6ea5", "text-halo-color": "#ffffff", "text-halo-width": 1},
               filter_=["has", "name"],
               layout={"symbol-placement": "line", "text-field": ["get", "name"],
                       "text-font": font, "text-size": 11}, min_zoom=14),
        _layer("housenumber", "housenumber", "symbol",
               {"text-color": "#6f665d", "text-halo-color": "#f4f1ea", "text-halo-width": 1},
               layout={"text-field": ["get", "housenumber"], "text-font": font,
                       "text-size": 10}, min_zoom=17),
    ]
    return {
        "version": 8,
        "name": name,
        "metadata": {"attribution": ATTRIBUTION},
        "sources": {SOURCE: {"type": "vector", "url": tilejson_url,
                             "attribution": ATTRIBUTION}},
        "glyphs": glyphs_url,
        "layers": layers,
    }


__all__ = ["ATTRIBUTION", "basemap_style", "tilejson"]
