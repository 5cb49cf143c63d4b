"""Vector tiles of an event's data (pure): layers, their fields, tile addresses, encoding.

``/tiles/{slug}/{layer}/{z}/{x}/{y}.mvt`` serves four layers, each one MVT layer of the same
name (the ``source-layer`` of a MapLibre style, which also says the contribution's kind).
Tiles carry what a map draws, labels and filters on; a report's history is one request away
by ``id`` (``/api/v1/events/{slug}/reports/{id}/``…):

============  ===========================  ==================================================
layer         geometry                     fields
============  ===========================  ==================================================
``features``  points, lines, polygons      ``id``, ``preset``, ``status``, ``name``,
                                           ``created_at`` (UTC, to the second), ``tags``
                                           (every OSM tag, JSON text; from z16),
                                           ``tag:amenity`` … (the keys of
                                           :data:`PROMOTED_TAGS`, each its own field)
``reports``   points (public: the          ``id``, ``category``, ``intensity``, ``sources``
              coarsened place, ≈ 100 m)    (JSON text), ``status``, ``observed_at``,
                                           ``coarsened``, ``comment`` (once public)
``sensors``   points, tracks (lines)       ``code``, ``name``, ``sensor_kind``, ``source``,
                                           ``readings``, ``laeq_db``, ``l10_db``, ``l50_db``,
                                           ``l90_db``, ``left_out``
``overlay``   cells (polygons)             ``cell``, the overlay's figures
                                           (``laeq_db``, ``n_reports``, …)
============  ===========================  ==================================================

MVT properties are flat scalars, so a feature's tags come twice: whole, as one JSON text
(QGIS reads it with ``json_to_map("tags")``), and the keys a style or a filter most often
needs as their own fields, ``tag:<key>`` (MapLibre expressions cannot parse JSON text:
``["==", ["get", "tag:amenity"], "bench"]``). The whole ``tags`` come from
:data:`TAGS_MIN_ZOOM` up: a dense z14 tile of 15,000 features would double with them (2.4 MB
instead of 1.2), while a map drawn at that scale styles on the promoted keys, and one looks
at a feature's other tags zoomed in. ``created_at`` is written at a fixed width
(``2026-05-01T09:10:00Z``), so that comparing texts compares times
(``[">=", ["get", "created_at"], "2026-05-01"]``). A feature's time is public in the API
too; reports' times stay those of their reader (public: to the hour).

Who sees what is decided by the selectors (``mapping.selectors.report_views``, the overlay's
``overlay_cells``); this module only checks addresses and encodes. On SpatiaLite tiles are
encoded here with the base map's encoder (:func:`exports.basemap.tiles.encode_tile`); on
PostGIS by ``ST_AsMVT`` (``exports.selectors_tiles``), with the same extent and buffer and
the same properties, written alike (:func:`tags_text`, :func:`tile_time`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import mercantile
import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from exports.basemap.tiles import BUFFER, EXTENT, encode_tile
from mapping.errors import N_, InvalidInput, NotFound

LAYERS = ("features", "reports", "sensors", "overlay")
MAX_ZOOM = 22
#: What the TileJSON announces (clients overzoom past it); any zoom up to MAX_ZOOM is served.
TILEJSON_MIN_ZOOM, TILEJSON_MAX_ZOOM = 10, 18
#: Moves whenever a layer's fields change: every tile's ETag (and so its cache key) holds it,
#: so tiles built, cached or held by browsers before the change are not served again.
#: 2: features carry ``created_at``, ``tags`` and ``tag:<key>``.
FIELDS_VERSION = 2
#: OSM keys a features tile also carries as fields of their own, ``tag:<key>``: the main key
#: of every preset the product offers (``mapping/data/presets.json``; a test keeps them in
#: step), and ``wheelchair``, what accessibility audits map and filter on.
PROMOTED_TAGS = (
    "amenity",
    "barrier",
    "emergency",
    "highway",
    "leisure",
    "natural",
    "shop",
    "tourism",
    "wheelchair",
)
TAG_FIELD = "tag:"
#: The zoom from which a features tile carries every tag (``tags``): z16 tiles are ≈ 600 m.
TAGS_MIN_ZOOM = 16
FIELDS: dict[str, dict[str, str]] = {
    "features": {
        "id": "String",
        "preset": "String",
        "status": "String",
        "name": "String",
        "created_at": "String (ISO 8601, UTC, to the second: 2026-05-01T09:10:00Z)",
        "tags": f"String (JSON object: every OSM tag; from z{TAGS_MIN_ZOOM})",
        **{f"{TAG_FIELD}{key}": f"String (the OSM tag {key})" for key in PROMOTED_TAGS},
    },
    "reports": {
        "id": "String",
        "category": "String",
        "intensity": "Number",
        "sources": "String (JSON list)",
        "status": "String",
        "observed_at": "String (ISO 8601; public: to the hour)",
        "coarsened": "Boolean",
        "comment": "String (public once accepted)",
    },
    "sensors": {
        "code": "String",
        "name": "String",
        "sensor_kind": "String",
        "source": "String",
        "readings": "Number",
        "laeq_db": "Number",
        "l10_db": "Number",
        "l50_db": "Number",
        "l90_db": "Number",
        "left_out": "String",
    },
    "overlay": {
        "cell": "String",
        "laeq_db": "Number",
        "n_readings": "Number",
        "n_reports": "Number",
        "n_contributors": "Number",
    },
}
DESCRIPTIONS = {
    "features": "The event's mapped features (public).",
    "reports": "Nuisance reports: public tiles at the coarsened places (about 100 m), to the "
    "hour; exact for the event's organisers and officers.",
    "sensors": "The sensors measuring in the event's zone and window, with their levels.",
    "overlay": "The perceived × measured overlay cells (public: public grid, small counts "
    "left out).",
}
UNKNOWN_LAYER = N_("No tile layer {layer!r}; known: {known}.")
BAD_ZOOM = N_("z must be a whole number from 0 to {maximum}.")
OUTSIDE_GRID = N_("No tile {x}/{y} at zoom {z}: x and y go from 0 to {last}.")
_TO_MERCATOR = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def check_layer(layer: str) -> str:
    """``layer`` if it is one of :data:`LAYERS`; NotFound otherwise."""
    if layer not in LAYERS:
        raise NotFound(UNKNOWN_LAYER, field="layer", layer=layer, known=", ".join(LAYERS))
    return layer


def check_address(z: int, x: int, y: int) -> None:
    """InvalidInput (400) for a zoom outside 0–22, NotFound (404) for x or y off its grid."""
    if not 0 <= z <= MAX_ZOOM:
        raise InvalidInput(BAD_ZOOM, field="z", maximum=MAX_ZOOM)
    last = 2**z - 1
    if not (0 <= x <= last and 0 <= y <= last):
        raise NotFound(OUTSIDE_GRID, field="xy", x=x, y=y, z=z, last=last)


def read_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) WGS84 of what a tile reads: the tile and its buffer.

    >>> [round(v, 4) for v in read_bounds(0, 0, 0)]
    [-180.0, -85.0511, 180.0, 85.0511]
    """
    west, south, east, north = mercantile.bounds(x, y, z)
    margin_x = (east - west) * BUFFER / EXTENT
    margin_y = (north - south) * BUFFER / EXTENT
    return (
        max(west - margin_x, -180.0),
        max(south - margin_y, -85.0511287798066),
        min(east + margin_x, 180.0),
        min(north + margin_y, 85.0511287798066),
    )


def bbox_text(bounds: Sequence[float]) -> str:
    """``west,south,east,north`` as the selectors' ``bbox`` parameter."""
    return ",".join(repr(float(value)) for value in bounds)


@dataclass(frozen=True)
class TileItem:
    """One feature of a data tile: a WGS84 geometry and its scalar properties."""

    geometry: BaseGeometry
    properties: Mapping[str, Any] = field(default_factory=dict)


def tile_time(moment: dt.datetime) -> str:
    """A time as tiles write it: UTC, to the second (truncated), fixed width.

    >>> tile_time(dt.datetime(2026, 5, 1, 11, 10, 5, 900000,
    ...                       tzinfo=dt.timezone(dt.timedelta(hours=2))))
    '2026-05-01T09:10:05Z'
    """
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tags_text(tags: Mapping[str, str]) -> str:
    """Tags as one JSON text, written as PostgreSQL writes ``jsonb`` (so both databases' tiles
    carry the same text): keys shorter first, then in byte order; ``", "`` and ``": "``.

    >>> tags_text({"name": "Banc", "amenity": "bench", "lit": "no"})
    '{"lit": "no", "name": "Banc", "amenity": "bench"}'
    """
    ordered = sorted(tags, key=lambda key: (len(key.encode()), key.encode()))
    return json.dumps({key: tags[key] for key in ordered}, ensure_ascii=False)


def feature_properties(
    pk: object,
    preset: str,
    status: str,
    tags: Mapping[str, str],
    created_at: dt.datetime,
    *,
    z: int,
) -> dict[str, Any]:
    """A feature's properties in a tile of zoom ``z`` (the PostGIS SQL builds the same)."""
    return {
        "id": str(pk),
        "preset": preset or None,
        "status": status,
        "name": tags.get("name"),
        "created_at": tile_time(created_at),
        "tags": tags_text(tags) if z >= TAGS_MIN_ZOOM else None,
        **{f"{TAG_FIELD}{key}": tags.get(key) for key in PROMOTED_TAGS},
    }


def scalar_properties(values: Mapping[str, Any]) -> dict[str, object]:
    """The properties an MVT can carry: None left out, lists and dicts as JSON text."""
    found: dict[str, object] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool | int | float | str):
            if isinstance(value, float) and not np.isfinite(value):
                continue
            found[key] = value
        elif isinstance(value, np.generic):
            found[key] = value.item()
        else:
            found[key] = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return found


def encode(layer: str, items: Iterable[TileItem], z: int, x: int, y: int) -> bytes:
    """The MVT bytes of one tile holding ``items`` (WGS84) in ``layer``; b"" when empty."""
    rows = [item for item in items if item.geometry is not None and not item.geometry.is_empty]
    if not rows:
        return b""

    def project(coords: np.ndarray) -> np.ndarray:
        xs, ys = _TO_MERCATOR.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([xs, ys])

    moved = shapely.transform(np.array([item.geometry for item in rows], dtype=object), project)
    data = encode_tile(
        z,
        x,
        y,
        (
            (layer, geometry, scalar_properties(item.properties), None)
            for item, geometry in zip(rows, moved, strict=True)
        ),
    )
    return data or b""


def etag(*parts: object) -> str:
    """A strong validator from what a tile read (layer, access, address, max stamp, count).

    >>> etag("features", 14, 1, 2, "2026-01-01", 3) == etag("features", 14, 1, 2, "2026-01-01", 3)
    True
    """
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def tilejson(
    *, layer: str, name: str, tiles_url: str, bounds: Sequence[float], attribution: str
) -> dict[str, Any]:
    """TileJSON 3.0.0 of one data layer of an event."""
    west, south, east, north = bounds
    return {
        "tilejson": "3.0.0",
        "name": f"{name} — {layer}",
        "description": DESCRIPTIONS[layer],
        "attribution": attribution,
        "scheme": "xyz",
        "tiles": [tiles_url],
        "minzoom": TILEJSON_MIN_ZOOM,
        "maxzoom": TILEJSON_MAX_ZOOM,
        "bounds": [west, south, east, north],
        "center": [(west + east) / 2, (south + north) / 2, 15],
        "vector_layers": [
            {
                "id": layer,
                "description": DESCRIPTIONS[layer],
                "minzoom": TILEJSON_MIN_ZOOM,
                "maxzoom": TILEJSON_MAX_ZOOM,
                "fields": FIELDS[layer],
            }
        ],
    }


__all__ = [
    "FIELDS",
    "FIELDS_VERSION",
    "LAYERS",
    "MAX_ZOOM",
    "PROMOTED_TAGS",
    "TAGS_MIN_ZOOM",
    "TAG_FIELD",
    "TileItem",
    "bbox_text",
    "check_address",
    "check_layer",
    "encode",
    "etag",
    "feature_properties",
    "read_bounds",
    "scalar_properties",
    "tags_text",
    "tile_time",
    "tilejson",
]
