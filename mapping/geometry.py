"""Validation of submitted GeoJSON geometries against an event's zone (pure).

Coordinates are WGS84 longitude/latitude (RFC 7946). Distances are computed in the
zone's metric CRS (see :mod:`mapping.crs`), never in degrees.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from mapping.crs import metric_crs_for
from mapping.errors import N_, InvalidInput

FEATURE_GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiPolygon")
REPORT_GEOMETRY_TYPES = ("Point", "LineString", "Polygon")


@dataclass(frozen=True)
class ZoneRules:
    """What a geometry must respect to be stored in an event.

    Attributes
    ----------
    zone_wkt
        The event's zone, WKT in WGS84.
    tolerance_m
        How far outside the zone a geometry may lie, in metres.
    max_vertices
        The most coordinates one geometry may carry.
    """

    zone_wkt: str
    tolerance_m: float
    max_vertices: int = 5000


@lru_cache(maxsize=64)
def _to_metric(lon: float, lat: float) -> Transformer:
    return Transformer.from_crs("EPSG:4326", metric_crs_for(lon, lat), always_xy=True)


def to_metric(geom: BaseGeometry, *, like: BaseGeometry | None = None) -> BaseGeometry:
    """Project a WGS84 geometry to the metric CRS of ``like`` (default: itself)."""
    anchor = (like if like is not None else geom).centroid
    transformer = _to_metric(round(anchor.x, 1), round(anchor.y, 1))
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


OUT_OF_RANGE = N_("Coordinates are out of range: GeoJSON is [longitude, latitude] with "
                  "longitude in [-180, 180] and latitude in [-90, 90].")
# A MultiPolygon, the deepest geometry we accept, nests coordinates four levels deep.
MAX_DEPTH = 4


def _coordinates(value: object, depth: int = 0) -> Iterable[object]:
    """Yield every number of a nested GeoJSON ``coordinates`` array."""
    if isinstance(value, list | tuple):
        if depth >= MAX_DEPTH:
            raise InvalidInput(N_("Coordinates are nested too deeply for a GeoJSON geometry."),
                               field="geometry.coordinates")
        for item in value:
            yield from _coordinates(item, depth + 1)
    else:
        yield value


def _check_positions(coordinates: object, field: str) -> int:
    """Check the raw numbers before shapely sees them; return how many positions."""
    numbers = list(_coordinates(coordinates))
    for number in numbers:
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise InvalidInput(N_("Coordinates must be numbers; got {value!r}."), field=field,
                               value=number)
        if isinstance(number, int) and abs(number) > 180:
            # Checked before any float conversion: a 400-digit integer would overflow it.
            raise InvalidInput(OUT_OF_RANGE, field=field)
        if isinstance(number, float) and not math.isfinite(number):
            raise InvalidInput(N_("Coordinates must be finite numbers (no NaN or Infinity)."),
                               field=field)
    return len(numbers)


def parse_geometry(
    geojson: object, *, allowed: tuple[str, ...], field: str = "geometry"
) -> BaseGeometry:
    """Turn a GeoJSON geometry object into a valid shapely geometry in WGS84.

    Raises
    ------
    InvalidInput
        Not an object, a type not allowed here, non-numeric, NaN or out-of-range coordinates,
        an empty or invalid (self-intersecting…) geometry. The message says which.
    """
    if not isinstance(geojson, Mapping):
        raise InvalidInput(N_("{field_name} must be a GeoJSON geometry object."), field=field,
                           field_name=field)
    geometry_type = geojson.get("type")
    if geometry_type not in allowed:
        raise InvalidInput(
            N_("Geometry type {geometry_type!r} is not accepted here; expected one of: "
               "{allowed}."),
            field=f"{field}.type", geometry_type=geometry_type, allowed=", ".join(allowed))
    coordinates = geojson.get("coordinates")
    if not isinstance(coordinates, list | tuple):
        raise InvalidInput(N_("{field_name}.coordinates must be an array."),
                           field=f"{field}.coordinates", field_name=field)
    _check_positions(coordinates, f"{field}.coordinates")
    try:
        geom = shape({"type": geometry_type, "coordinates": coordinates})
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException) as exc:
        raise InvalidInput(N_("{field_name}.coordinates do not form a {geometry_type}: {reason}."),
                           field=f"{field}.coordinates", field_name=field,
                           geometry_type=geometry_type,
                           reason=str(exc)) from None
    if geom.is_empty:
        raise InvalidInput(N_("The geometry is empty."), field=field)
    if shapely.get_coordinate_dimension(geom) != 2:
        geom = shapely.force_2d(geom)
    xy = shapely.get_coordinates(geom)
    if (abs(xy[:, 0]) > 180).any() or (abs(xy[:, 1]) > 90).any():
        raise InvalidInput(OUT_OF_RANGE, field=f"{field}.coordinates")
    if not geom.is_valid:
        raise InvalidInput(N_("The geometry is not valid: {reason}."), field=field,
                           reason=explain_validity(geom))
    return geom


def check_in_zone(geom: BaseGeometry, rules: ZoneRules, *, field: str = "geometry") -> None:
    """Refuse a geometry with too many vertices or lying outside the zone (with tolerance)."""
    vertices = shapely.get_num_coordinates(geom)
    if vertices > rules.max_vertices:
        raise InvalidInput(N_("The geometry has {count} vertices; at most {limit} are accepted."),
                           field=field, count=vertices, limit=rules.max_vertices)
    zone = shapely.from_wkt(rules.zone_wkt)
    if zone.covers(geom):
        return
    zone_m = to_metric(zone)
    geom_m = to_metric(geom, like=zone)
    if not zone_m.buffer(rules.tolerance_m).covers(geom_m):
        distance_m = zone_m.distance(geom_m)
        if distance_m > 0:
            raise InvalidInput(
                N_("The geometry lies {distance_m:.0f} m outside the event's zone "
                   "(tolerance {tolerance_m:.0f} m)."),
                field=field, distance_m=distance_m, tolerance_m=rules.tolerance_m)
        raise InvalidInput(
            N_("The geometry lies partly outside the event's zone "
               "(tolerance {tolerance_m:.0f} m)."),
            field=field, tolerance_m=rules.tolerance_m)


def extent_m(geom: BaseGeometry) -> float:
    """The largest dimension of a geometry, in metres (the diagonal of its metric bbox)."""
    minx, miny, maxx, maxy = to_metric(geom).bounds
    return math.hypot(maxx - minx, maxy - miny)
