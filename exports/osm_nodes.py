"""A batch of feature geometries → OSM node groups, in one numpy pass (pure).

The OSM writers spend their time on coordinates: every line and ring of a batch is read with
one ``shapely.get_coordinates`` call, rounded to OSM's 7 decimals, cleared of consecutive
repeats (JOSM's DuplicatedWayNodes) and laid out in creation order, so the writer only
formats text. Rounding is ``rint(x × 10⁷)``, numpy's ``round(x, 7)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

MAX_WAY_NODES = 2000  # API capabilities <waynodes maximum="2000"/>
SCALE = 10_000_000  # 7 decimals: 1e-7° ≈ 1.1 cm

POINT, LINE, CLOSED_WAY, RELATION = 0, 1, 2, 3
_SUPPORTED = (0, 1, 3, 6)  # shapely type ids: Point, LineString, Polygon, MultiPolygon


@dataclass(frozen=True)
class NodeGroups:
    """The nodes of a batch of features, grouped by point, line or ring, in creation order.

    Attributes
    ----------
    kind : ndarray of int, one per feature
        :data:`POINT`, :data:`LINE`, :data:`CLOSED_WAY` (a simple polygon) or
        :data:`RELATION` (holes, several parts, or a ring over :data:`MAX_WAY_NODES` nodes).
    feature, first, size, closed, outer : ndarrays, one per group
        The feature index in the batch; the index of the group's first node in
        ``lonlat``; its number of distinct nodes (a ring's closing node not repeated);
        whether it is a closed ring (its way repeats the first node); whether it is a line,
        a point or an outer ring (else an inner ring).
    scaled : ndarray of int64, shape (n, 2)
        WGS84 longitude, latitude in units of 1e-7 degree (rounded), in node creation order.
    """

    kind: np.ndarray
    feature: np.ndarray
    first: np.ndarray
    size: np.ndarray
    closed: np.ndarray
    outer: np.ndarray
    scaled: np.ndarray


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])`` without a loop.

    >>> _ranges(np.array([10, 0]), np.array([2, 3])).tolist()
    [10, 11, 0, 1, 2]
    """
    offsets = np.cumsum(lengths) - lengths
    ranges: np.ndarray = np.arange(int(lengths.sum())) + np.repeat(starts - offsets, lengths)
    return ranges


def ring_length(ring: BaseGeometry) -> int:
    """Coordinates of a ring or line once rounded to 7 decimals without consecutive repeats.

    >>> from shapely.geometry import LineString
    >>> ring_length(LineString([(0, 0), (0, 1e-9), (1, 1)]))
    2
    """
    scaled = np.rint(shapely.get_coordinates(ring) * SCALE)
    return 1 + int(np.any(scaled[1:] != scaled[:-1], axis=1).sum()) if len(scaled) else 0


def node_groups(geometries: list[BaseGeometry]) -> NodeGroups:
    """Flatten the geometries of a batch of new features (WGS84) into node groups.

    Parameters
    ----------
    geometries : list of shapely geometries
        Point, LineString, Polygon or MultiPolygon in EPSG:4326 (lon/lat degrees); anything
        else, or an empty geometry, raises ValueError.

    Returns
    -------
    NodeGroups
        Groups ordered by feature, then part, then ring (exterior first), as the nodes are
        numbered.
    """
    array = np.empty(len(geometries), dtype=object)
    array[:] = geometries
    types = shapely.get_type_id(array)
    if not np.isin(types, _SUPPORTED).all():
        msg = "OSM files take Point, LineString, Polygon and MultiPolygon geometries only."
        raise ValueError(msg)
    if shapely.is_empty(array).any():
        msg = "OSM files cannot hold an empty geometry."
        raise ValueError(msg)
    lines = np.flatnonzero(types == 1)
    areas = np.flatnonzero((types == 3) | (types == 6))
    points = np.flatnonzero(types == 0)
    parts, part_owner = shapely.get_parts(array[areas], return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    outer = np.ones(len(rings), dtype=bool)  # get_rings lists each exterior first
    outer[1:] = ring_part[1:] != ring_part[:-1]

    sequences = np.concatenate([array[lines], rings])
    coords, owner = shapely.get_coordinates(sequences, return_index=True)
    scaled = np.rint(coords * SCALE).astype(np.int64)
    keep = np.ones(len(scaled), dtype=bool)
    keep[1:] = np.any(scaled[1:] != scaled[:-1], axis=1) | (owner[1:] != owner[:-1])
    scaled, owner = scaled[keep], owner[keep]
    counts = np.bincount(owner, minlength=len(sequences))
    ends = np.cumsum(counts)
    starts = ends - counts
    closed = (counts > 2) & np.all(scaled[starts] == scaled[ends - 1], axis=1)

    kind = np.full(len(array), POINT)
    kind[lines] = LINE
    kind[areas] = CLOSED_WAY
    rings_per_part = np.bincount(ring_part, minlength=len(parts))
    heavy_part = (rings_per_part > 1) | (counts[len(lines):][outer] > MAX_WAY_NODES)
    heavy = np.bincount(part_owner, weights=heavy_part, minlength=len(areas)) > 0
    kind[areas[heavy | (types[areas] == 6)]] = RELATION

    feature = np.concatenate([lines, areas[part_owner[ring_part]], points])
    size = np.concatenate([counts - closed, np.ones(len(points), dtype=np.int64)])
    start = np.concatenate([starts, len(scaled) + np.arange(len(points))])
    order = np.argsort(feature, kind="stable")
    size = size[order]
    point_scaled = np.rint(shapely.get_coordinates(array[points]) * SCALE).astype(np.int64)
    every = np.concatenate([scaled, point_scaled])
    return NodeGroups(
        kind=kind, feature=feature[order], first=np.cumsum(size) - size, size=size,
        closed=np.concatenate([closed, np.zeros(len(points), dtype=bool)])[order],
        outer=np.concatenate([np.ones(len(lines), dtype=bool), outer,
                              np.ones(len(points), dtype=bool)])[order],
        scaled=every[_ranges(start[order], size)])
