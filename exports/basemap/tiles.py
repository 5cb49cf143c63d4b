"""Cutting base-map features into Mapbox vector tiles (pure; mapbox-vector-tile, mercantile).

Geometries are projected once to Web Mercator (EPSG:3857, metres), then for each zoom
simplified to about half a pixel of a 4096-unit tile, indexed (STRtree), and each tile takes
the features crossing it, clipped to the tile plus a small buffer so lines and polygon edges
join across tiles, quantised to the tile's 4096 × 4096 grid.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import mapbox_vector_tile
import mercantile
import numpy as np
import pyproj
import shapely
from shapely import STRtree

from exports.basemap.features import MapFeature

EXTENT = 4096
BUFFER = 64  # tile units kept around a tile: wide lines and halos do not end at its edge
WEB_MERCATOR = "EPSG:3857"
_TO_MERCATOR = pyproj.Transformer.from_crs("EPSG:4326", WEB_MERCATOR, always_xy=True)


@dataclass(frozen=True)
class Tile:
    """An encoded tile: its address, the MVT bytes and their digest (the HTTP ETag)."""

    z: int
    x: int
    y: int
    data: bytes

    @property
    def etag(self) -> str:
        """A strong validator of the content: same bytes, same tag, on every machine."""
        return hashlib.sha256(self.data).hexdigest()[:32]


def to_web_mercator(features: Sequence[MapFeature]) -> list[MapFeature]:
    """The same features with WGS84 lon/lat geometries moved to EPSG:3857 metres."""

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = _TO_MERCATOR.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    moved = shapely.transform(np.array([f.geometry for f in features], dtype=object), project)
    return [
        MapFeature(f.layer, g, f.properties, f.min_zoom, f.id)
        for f, g in zip(features, moved, strict=True)
    ]


def tile_addresses(
    bounds: tuple[float, float, float, float], zooms: Iterable[int]
) -> list[tuple[int, int, int]]:
    """Every (z, x, y) tile covering ``bounds`` (west, south, east, north; WGS84 degrees)."""
    west, south, east, north = bounds
    return [(t.z, t.x, t.y) for t in mercantile.tiles(west, south, east, north, list(zooms))]


def build_tiles(
    features_3857: Sequence[MapFeature], addresses: Iterable[tuple[int, int, int]]
) -> Iterator[Tile]:
    """Encode the tiles at ``addresses`` that hold something; empty tiles are not yielded.

    Parameters
    ----------
    features_3857 : sequence of MapFeature
        Features in EPSG:3857 metres (:func:`to_web_mercator`).
    addresses : iterable of (z, x, y)
        XYZ tile addresses (the slippy-map scheme, y down from the north).
    """
    by_zoom: dict[int, list[tuple[int, int]]] = {}
    for z, x, y in addresses:
        by_zoom.setdefault(z, []).append((x, y))
    for z, tiles in sorted(by_zoom.items()):
        shown = [f for f in features_3857 if f.min_zoom <= z]
        if not shown:
            continue
        pixel_m = _tile_side_m(z) / EXTENT
        simplified = shapely.simplify(
            np.array([f.geometry for f in shown], dtype=object),
            tolerance=pixel_m / 2,
            preserve_topology=True,
        )
        tree = STRtree(simplified)
        for x, y in sorted(tiles):
            tile = _tile(z, x, y, shown, simplified, tree)
            if tile is not None:
                yield tile


def _tile_side_m(z: int) -> float:
    bounds = mercantile.xy_bounds(0, 0, z)
    return float(bounds.right - bounds.left)


def _tile(
    z: int, x: int, y: int, shown: Sequence[MapFeature], simplified: np.ndarray, tree: STRtree
) -> Tile | None:
    left, bottom, right, top = buffered_bounds(z, x, y)
    hits = sorted(tree.query(shapely.box(left, bottom, right, top)))
    if not hits:
        return None
    data = encode_tile(
        z,
        x,
        y,
        (
            (
                shown[int(i)].layer,
                simplified[int(i)],
                dict(shown[int(i)].properties),
                shown[int(i)].id,
            )
            for i in hits
        ),
    )
    return None if data is None else Tile(z, x, y, data)


def buffered_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The tile's (left, bottom, right, top) in EPSG:3857 metres, grown by :data:`BUFFER`."""
    left, bottom, right, top = mercantile.xy_bounds(x, y, z)
    margin = (right - left) * BUFFER / EXTENT
    return left - margin, bottom - margin, right + margin, top + margin


def encode_tile(
    z: int,
    x: int,
    y: int,
    items: Iterable[tuple[str, shapely.Geometry, dict[str, object], int | None]],
) -> bytes | None:
    """One tile's MVT bytes from ``(layer, geometry in EPSG:3857, properties, id)`` items;
    None when nothing is left inside it.

    The one encoder of the product's tiles (base map and data on SpatiaLite): each geometry
    is clipped to the tile plus :data:`BUFFER`, kept to its own dimension, quantised to the
    tile's 4096 grid and repaired when quantising folds it. An ``id`` of None is left out.
    """
    left, bottom, right, top = buffered_bounds(z, x, y)
    rows = list(items)
    if not rows:
        return None
    clipped = shapely.clip_by_rect(
        np.array([r[1] for r in rows], dtype=object), left, bottom, right, top
    )
    layers: dict[str, list[dict[str, object]]] = {}
    for (layer, original, properties, feature_id), clipped_geometry in zip(
        rows, clipped, strict=True
    ):
        geometry = _parts_like(clipped_geometry, int(shapely.get_dimensions(original)))
        if geometry is None:
            continue
        item: dict[str, object] = {"geometry": geometry, "properties": properties}
        if feature_id is not None:
            item["id"] = feature_id
        layers.setdefault(layer, []).append(item)
    if not layers:
        return None
    return bytes(
        mapbox_vector_tile.encode(
            [{"name": name, "features": found} for name, found in layers.items()],
            default_options={
                "quantize_bounds": mercantile.xy_bounds(x, y, z),
                "extents": EXTENT,
                "on_invalid_geometry": _make_valid,
            },
        )
    )


def _parts_like(geometry: shapely.Geometry, dimension: int) -> shapely.Geometry | None:
    """The parts of ``geometry`` of ``dimension`` (0 points, 1 lines, 2 polygons), or None.

    Clipping a polygon along a tile edge can leave a collection (a polygon and a sliver line);
    a vector tile feature has one geometry type.
    """
    if geometry.is_empty:
        return None
    if geometry.geom_type != "GeometryCollection" and shapely.get_dimensions(geometry) == dimension:
        return geometry
    parts = [
        p
        for p in shapely.get_parts(geometry)
        if not p.is_empty and shapely.get_dimensions(p) == dimension
    ]
    flat = [q for p in parts for q in shapely.get_parts(p)]
    if not flat:
        return None
    if len(flat) == 1:
        return flat[0]
    kind = {0: shapely.MultiPoint, 1: shapely.MultiLineString, 2: shapely.MultiPolygon}
    return kind[dimension](flat)


def _make_valid(geometry: shapely.Geometry) -> shapely.Geometry | None:
    # Quantising to the tile grid can fold a tiny ring onto itself: repair, or drop it.
    return _parts_like(shapely.make_valid(geometry), int(shapely.get_dimensions(geometry)))


__all__ = [
    "BUFFER",
    "EXTENT",
    "Tile",
    "buffered_bounds",
    "build_tiles",
    "encode_tile",
    "tile_addresses",
    "to_web_mercator",
]
