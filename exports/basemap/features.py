"""What of an event's OSM context goes on its base map, in which vector-tile layer (pure).

The layers (``source-layer`` in the style) and their fields:

========================  ==========  =============================================  =======
layer                     geometry    fields                                         minzoom
========================  ==========  =============================================  =======
``landuse``               polygons    ``class``: park, green, residential, …         12
``water``                 polygons    ``class``: water                               12
``waterway``              lines       ``class``: river, stream, canal…; ``name``      13
``building``              polygons    —                                              14
``transportation``        lines       ``class``: major, minor, service, path, rail;  12–14
                                      ``highway``, ``name``
``housenumber``           points      ``housenumber``                                16
========================  ==========  =============================================  =======

Data © OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from mapping.osm_areas import (
    WATER_LINES,
    green_class,
    is_building,
    is_water_area,
    road_class,
)

LAYERS: dict[str, dict[str, str]] = {
    "landuse": {"class": "park, green, residential, commercial, industrial, retail, other"},
    "water": {"class": "water"},
    "waterway": {"class": "river, stream, canal, ditch, drain", "name": "name"},
    "building": {},
    "transportation": {"class": "major, minor, service, path, rail", "highway": "OSM value",
                       "name": "street name"},
    "housenumber": {"housenumber": "addr:housenumber"},
}
MIN_ZOOM = {"major": 12, "minor": 13, "service": 14, "path": 14, "rail": 13}
POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
LANDUSE_CLASSES = frozenset({"residential", "commercial", "industrial", "retail"})


@dataclass(frozen=True)
class MapFeature:
    """One feature of a base-map layer: geometry (any CRS), fields, first zoom shown."""

    layer: str
    geometry: BaseGeometry
    properties: Mapping[str, str]
    min_zoom: int
    id: int = 0


def _landuse(tags: Mapping[str, str]) -> str:
    green = green_class(tags)
    if green:
        return green
    landuse = tags.get("landuse", "")
    if landuse in LANDUSE_CLASSES:
        return landuse
    return "other" if landuse else ""


def map_features(element_id: int, tags: Mapping[str, str], geometry: BaseGeometry
                 ) -> Iterator[MapFeature]:
    """The base-map features of one OSM element (none, one, or two: a building and its number).

    >>> from shapely.geometry import LineString
    >>> [f.properties for f in map_features(1, {"highway": "residential", "name": "Rue"},
    ...                                     LineString([(0, 0), (1, 1)]))]
    [{'class': 'minor', 'highway': 'residential', 'name': 'Rue'}]
    """
    shape = geometry.geom_type
    polygonal, linear = shape in POLYGONAL, shape in LINEAR
    if polygonal and is_building(tags):
        yield MapFeature("building", geometry, {}, 14, element_id)
    elif polygonal and is_water_area(tags):
        yield MapFeature("water", geometry, {"class": "water"}, 12, element_id)
    elif linear and tags.get("waterway") in WATER_LINES:
        yield MapFeature("waterway", geometry, _named(tags, {"class": tags["waterway"]}), 13,
                         element_id)
    elif linear and (road := road_class(tags.get("highway", ""))):
        fields = _named(tags, {"class": road, "highway": tags["highway"]})
        yield MapFeature("transportation", geometry, fields, MIN_ZOOM[road], element_id)
    elif linear and tags.get("railway") in ("rail", "tram", "light_rail"):
        yield MapFeature("transportation", geometry, {"class": "rail", "highway": ""}, 13,
                         element_id)
    elif polygonal and (landuse := _landuse(tags)):
        yield MapFeature("landuse", geometry, {"class": landuse}, 12, element_id)
    number = tags.get("addr:housenumber")
    if number:
        point = geometry if shape == "Point" else geometry.representative_point()
        yield MapFeature("housenumber", point, {"housenumber": number}, 16, element_id)


def _named(tags: Mapping[str, str], fields: dict[str, str]) -> dict[str, str]:
    if tags.get("name"):
        fields["name"] = tags["name"]
    return fields


def all_map_features(elements: Iterable[tuple[int, Mapping[str, str], BaseGeometry]]
                     ) -> list[MapFeature]:
    """Every base-map feature of ``(id, tags, geometry)`` elements, in their order."""
    return [feature for element_id, tags, geometry in elements
            for feature in map_features(element_id, tags, geometry)]
