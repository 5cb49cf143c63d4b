"""Which closed OSM ways are areas, their geometry, and what the map draws them as (pure).

OSM has no area primitive: a closed way is a polygon only when its tags say so (a closed
``highway=residential`` is a roundabout, a closed ``building=yes`` is a building). The table
follows the area keys of iD's tagging schema (``areaKeys``, id-tagging-schema 7.x, ISC): a key
implies an area unless its value is one of the listed line-like exceptions.

>>> is_area({"building": "yes"})
True
>>> is_area({"highway": "residential"})
False
>>> is_area({"highway": "pedestrian", "area": "yes"})
True
>>> is_area({"natural": "tree_row"})
False
"""

from __future__ import annotations

from collections.abc import Mapping

import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

# key → values that are lines although the key usually means an area.
AREA_KEYS: dict[str, frozenset[str]] = {
    "building": frozenset(),
    "building:part": frozenset(),
    "landuse": frozenset(),
    "leisure": frozenset({"track", "slipway"}),
    "amenity": frozenset({"bench", "waste_basket"}),
    "natural": frozenset({"coastline", "cliff", "ridge", "arete", "tree_row", "valley"}),
    "water": frozenset(),
    "place": frozenset(),
    "shop": frozenset(),
    "tourism": frozenset({"artwork"}),
    "historic": frozenset(),
    "man_made": frozenset({"pipeline", "embankment", "breakwater", "groyne", "cutline",
                           "dyke", "pier"}),
    "aeroway": frozenset({"runway", "taxiway", "jet_bridge", "parking_position"}),
    "military": frozenset({"trench"}),
    "office": frozenset(),
    "craft": frozenset(),
    "public_transport": frozenset(),
    "parking": frozenset(),
    "playground": frozenset({"balancebeam", "slide", "zipwire"}),
    "power": frozenset({"line", "minor_line", "cable"}),
}
# waterway=* is a line (a river's centre line) except for these values.
WATERWAY_AREAS = frozenset({"riverbank", "dock", "boatyard", "dam"})


def is_area(tags: Mapping[str, str]) -> bool:
    """Whether a *closed* way with ``tags`` is an area (a polygon), not a ring-shaped line."""
    area = tags.get("area")
    if area == "no":
        return False
    if area == "yes":
        return True
    if tags.get("waterway") in WATERWAY_AREAS:
        return True
    for key, lines in AREA_KEYS.items():
        value = tags.get(key)
        if value is not None and value != "no" and value not in lines:
            return True
    return False


def _runs(coords: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for coord in coords:
        if coord is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(coord)
    return [run for run in runs if run]


def way_geometry(coords: list[tuple[float, float] | None], tags: Mapping[str, str]
                 ) -> BaseGeometry | None:
    """A way's geometry from its node positions (``None`` for a missing node).

    Complete closed ways whose tags make an area are polygons (repaired when they cross
    themselves); other ways are the lines through the runs of present nodes — a clipped way
    never draws a straight line across the part the extract lacks.

    >>> way_geometry([(0, 0), (1, 0), (1, 1), (0, 0)], {"building": "yes"}).geom_type
    'Polygon'
    >>> way_geometry([(0, 0), None, (1, 1), (2, 1)], {"highway": "residential"}).geom_type
    'LineString'
    """
    complete = all(coord is not None for coord in coords)
    if complete and len(coords) >= 4 and coords[0] == coords[-1] and is_area(tags):
        polygon: BaseGeometry = Polygon(coords)
        if not polygon.is_valid:
            polygon = shapely.make_valid(polygon)
        if polygon.geom_type in ("Polygon", "MultiPolygon") and not polygon.is_empty:
            return polygon
    lines = [run for run in _runs(coords) if len(run) >= 2]
    if len(lines) == 1:
        return LineString(lines[0])
    if lines:
        return MultiLineString(lines)
    present = [coord for coord in coords if coord is not None]
    return Point(present[0]) if present else None


# Highway values that are neither streets nor paths on a map (points, areas, projects).
NOT_STREETS = frozenset({"platform", "bus_stop", "street_lamp", "elevator", "corridor",
                         "proposed", "construction", "raceway", "abandoned", "razed",
                         "traffic_signals", "crossing", "give_way", "stop", "turning_circle",
                         "mini_roundabout", "motorway_junction", "speed_camera", "milestone",
                         "services", "rest_area", "emergency_access_point"})
MAJOR_ROADS = frozenset({"motorway", "trunk", "primary", "secondary", "tertiary",
                         "motorway_link", "trunk_link", "primary_link", "secondary_link",
                         "tertiary_link"})
MINOR_ROADS = frozenset({"unclassified", "residential", "living_street", "road", "pedestrian",
                         "busway", "bus_guideway"})
PATHS = frozenset({"footway", "path", "cycleway", "steps", "track", "bridleway"})
PARKS = frozenset({"park", "garden", "playground", "pitch", "recreation_ground",
                   "dog_park", "common", "nature_reserve", "golf_course", "sports_centre"})
GREEN_LANDUSE = frozenset({"grass", "forest", "meadow", "village_green", "allotments",
                           "cemetery", "orchard", "vineyard", "flowerbed", "recreation_ground"})
GREEN_NATURAL = frozenset({"wood", "scrub", "grassland", "heath", "wetland"})
WATER_LINES = frozenset({"river", "stream", "canal", "ditch", "drain", "brook"})


def road_class(highway: str) -> str:
    """``major``, ``minor``, ``service``, ``path`` or ``""`` (not drawn) for a highway value.

    >>> road_class("tertiary"), road_class("footway"), road_class("bus_stop")
    ('major', 'path', '')
    """
    if not highway or highway in NOT_STREETS:
        return ""
    if highway in MAJOR_ROADS:
        return "major"
    if highway in MINOR_ROADS:
        return "minor"
    if highway in PATHS:
        return "path"
    return "service"


def green_class(tags: Mapping[str, str]) -> str:
    """``park``, ``green`` (vegetation, cemeteries…) or ``""`` for an area's tags."""
    if tags.get("leisure") in PARKS:
        return "park"
    if tags.get("landuse") in GREEN_LANDUSE or tags.get("natural") in GREEN_NATURAL:
        return "green"
    return ""


def is_water_area(tags: Mapping[str, str]) -> bool:
    """Lakes, ponds, river areas, basins and reservoirs."""
    return (tags.get("natural") == "water" or tags.get("waterway") in WATERWAY_AREAS
            or tags.get("landuse") in ("reservoir", "basin"))


def is_building(tags: Mapping[str, str]) -> bool:
    """``building=*`` (not ``no``) or ``building:part=*``."""
    return tags.get("building", "no") != "no" or tags.get("building:part", "no") != "no"


THEMES = ("streets", "buildings", "water", "landuse", "addresses", "other")


def theme_of(tags: Mapping[str, str]) -> str:
    """What an element is on a base map: one of :data:`THEMES`, first match in that order.

    >>> theme_of({"highway": "residential"}), theme_of({"building": "yes", "addr:street": "x"})
    ('streets', 'buildings')
    >>> theme_of({"addr:housenumber": "3"}), theme_of({"amenity": "fountain"})
    ('addresses', 'other')
    """
    if road_class(tags.get("highway", "")) or tags.get("railway") in ("rail", "tram"):
        return "streets"
    if is_building(tags):
        return "buildings"
    if is_water_area(tags) or tags.get("waterway") in WATER_LINES:
        return "water"
    if green_class(tags) or "landuse" in tags or tags.get("natural") in GREEN_NATURAL:
        return "landuse"
    if "addr:housenumber" in tags:
        return "addresses"
    return "other"
