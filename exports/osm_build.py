"""Feature records → OSM primitives with JOSM's id rules, streamed through temp files (pure).

New objects get negative ids per type in creation order (-1, -2, …); writers emit nodes, then
ways, then relations, and within each type the new ones first, so ``osmium check-refs`` and
JOSM accept the file. New primitives are rendered as soon as they exist and spooled to
temporary files, so memory stays flat however many features an event holds; only the few
edited existing elements (corrections) are kept in memory, to be sorted by id.

Polygons: a simple ring becomes a closed way carrying the tags; holes, several outer rings or
a ring over :data:`MAX_WAY_NODES` nodes become a ``type=multipolygon`` relation carrying the
tags, with untagged member ways (tags on the outer way are iD's deprecated
``old_multipolygon``). Lines over the limit are split into ways sharing their end nodes.
Edits of existing elements keep OSM's geometry and *merge* tags: a ``modify`` replaces every
tag, so the element's current tags must be carried over.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO

import numpy as np
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from exports.records import ContextElement, FeatureRecord

MAX_WAY_NODES = 2000  # API capabilities <waynodes maximum="2000"/>


@dataclass
class Primitive:
    """One OSM node, way or relation about to be written.

    ``refs`` are a way's node ids; ``members`` a relation's ``(type, ref, role)``; ``action`` is
    ``""`` (new or untouched context) or ``"modify"``; ``version`` is ``None`` for new ones.
    """

    type: str
    id: int
    tags: Mapping[str, str] = field(default_factory=dict)
    lon: float = 0.0
    lat: float = 0.0
    refs: tuple[int, ...] = ()
    members: tuple[tuple[str, int, str], ...] = ()
    version: int | None = None
    action: str = ""


Renderer = Callable[[Primitive], str]
#: A renderer may carry ``bare_node``: a format string of (id, lat, lon) for untagged new
#: nodes, the bulk of any file; it skips building a Primitive per way node.


def _rounded(coords: object) -> np.ndarray:
    """(n, 2) lon/lat rounded to 7 decimals, no consecutive repeats (JOSM DuplicatedWayNodes)."""
    array = np.round(np.asarray(coords, dtype=float)[:, :2], 7)
    if len(array) > 1:
        keep = np.ones(len(array), dtype=bool)
        keep[1:] = np.any(array[1:] != array[:-1], axis=1)
        array = array[keep]
    return array


def chunks(refs: list[int], size: int = MAX_WAY_NODES) -> list[list[int]]:
    """Split a node list into consecutive pieces of at most ``size`` nodes sharing end nodes.

    >>> chunks([1, 2, 3, 4, 5], 3)
    [[1, 2, 3], [3, 4, 5]]
    """
    if len(refs) <= size:
        return [refs]
    pieces, start = [], 0
    while start < len(refs) - 1:
        pieces.append(refs[start:start + size])
        start += size - 1
    return pieces


def needs_relation(geometry: BaseGeometry) -> bool:
    """Whether an areal geometry must be written as a multipolygon relation."""
    if isinstance(geometry, MultiPolygon):
        return len(geometry.geoms) > 1 or needs_relation(geometry.geoms[0])
    if isinstance(geometry, Polygon):
        ring_nodes = len(_rounded(geometry.exterior.coords))
        return bool(geometry.interiors) or ring_nodes > MAX_WAY_NODES
    return False


class OsmPlan:
    """Collects primitives from feature records; new ones are rendered to spool files."""

    def __init__(self, *, render: Renderer, context: Mapping[tuple[str, int], ContextElement]):
        self.render = render
        self.context = context
        self.counts = {"node": 0, "way": 0, "relation": 0}
        # Closed by close(), which every writer calls in a finally block.
        self.spools: dict[str, IO[str]] = {
            kind: tempfile.SpooledTemporaryFile(  # noqa: SIM115
                max_size=4 << 20, mode="w+", encoding="utf-8")
            for kind in self.counts
        }
        self.existing_nodes: dict[int, Primitive] = {}
        self.existing_ways: dict[int, Primitive] = {}
        self.bounds = [180.0, 90.0, -180.0, -90.0]  # west, south, east, north
        self.features_written = 0

    # -- allocation ---------------------------------------------------------------------------
    def _new(self, primitive: Primitive) -> int:
        self.counts[primitive.type] += 1
        primitive.id = -self.counts[primitive.type]
        self.spools[primitive.type].write(self.render(primitive))
        return primitive.id

    def _extend(self, lon: float, lat: float) -> None:
        b = self.bounds
        b[0], b[1], b[2], b[3] = min(b[0], lon), min(b[1], lat), max(b[2], lon), max(b[3], lat)

    def _node(self, lon: float, lat: float, tags: Mapping[str, str] | None = None) -> int:
        self._extend(lon, lat)
        return self._new(Primitive("node", 0, tags or {}, lon, lat))

    def _ring_refs(self, coords: np.ndarray) -> list[int]:
        closed = len(coords) > 2 and bool((coords[0] == coords[-1]).all())
        points = coords[:-1] if closed else coords
        template = getattr(self.render, "bare_node", None)
        if template is None:
            refs = [self._node(x, y) for x, y in points.tolist()]
        else:
            first = self.counts["node"] + 1
            self.counts["node"] += len(points)
            refs = list(range(-first, -first - len(points), -1))
            (west, south), (east, north) = points.min(axis=0), points.max(axis=0)
            self._extend(west, south)
            self._extend(east, north)
            self.spools["node"].write("".join(
                template.format(ref, y, x)
                for ref, (x, y) in zip(refs, points.tolist(), strict=True)))
        return [*refs, refs[0]] if closed else refs

    def _ways(self, refs: list[int], tags: Mapping[str, str]) -> list[int]:
        return [self._new(Primitive("way", 0, tags, refs=tuple(piece))) for piece in chunks(refs)]

    # -- features -----------------------------------------------------------------------------
    def add(self, record: FeatureRecord) -> None:
        """Plan one feature; validation has already refused what cannot be written."""
        self.features_written += 1
        if record.osm_id:
            self._modify(record)
            return
        geometry, tags = record.geometry, dict(record.tags)
        if isinstance(geometry, Point):
            self._node(round(geometry.x, 7), round(geometry.y, 7), tags)
        elif isinstance(geometry, LineString):
            self._ways(self._ring_refs(_rounded(geometry.coords)), tags)
        elif isinstance(geometry, Polygon) and not needs_relation(geometry):
            self._ways(self._ring_refs(_rounded(geometry.exterior.coords)), tags)
        else:
            polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
            members: list[tuple[str, int, str]] = []
            for polygon in polygons:
                for role, ring in [("outer", polygon.exterior)] + [
                    ("inner", r) for r in polygon.interiors
                ]:
                    for way_id in self._ways(self._ring_refs(_rounded(ring.coords)), {}):
                        members.append(("way", way_id, role))
            self._new(Primitive("relation", 0, {"type": "multipolygon", **tags},
                                members=tuple(members)))

    def _modify(self, record: FeatureRecord) -> None:
        element = self.context[(record.osm_type, int(record.osm_id or 0))]
        tags = {**element.tags, **record.tags}
        if element.type == "node":
            self._extend(element.lon, element.lat)
            self.existing_nodes[element.id] = Primitive(
                "node", element.id, tags, element.lon, element.lat, version=element.version,
                action="modify")
            return
        for node_id, version, lon, lat in element.nodes:
            if node_id not in self.existing_nodes:
                assert version is not None
                assert lon is not None
                assert lat is not None
                self._extend(lon, lat)
                self.existing_nodes[node_id] = Primitive("node", node_id, {}, lon, lat,
                                                         version=version)
        self.existing_ways[element.id] = Primitive(
            "way", element.id, tags, refs=tuple(n[0] for n in element.nodes),
            version=element.version, action="modify")

    # -- output -------------------------------------------------------------------------------
    def copy_new(self, kind: str, stream: IO[str]) -> None:
        """Copy the spooled new primitives of ``kind`` (in creation order) to ``stream``."""
        spool = self.spools[kind]
        spool.seek(0)
        shutil.copyfileobj(spool, stream, 1 << 20)

    def existing(self, kind: str, *, modified_only: bool = False) -> Iterator[Primitive]:
        """Edited (and, for ways' untouched nodes, carried) existing primitives by id."""
        table = self.existing_nodes if kind == "node" else self.existing_ways
        for key in sorted(table):
            if not modified_only or table[key].action == "modify":
                yield table[key]

    def close(self) -> None:
        """Delete the spool files."""
        for spool in self.spools.values():
            spool.close()

    @property
    def has_data(self) -> bool:
        """Whether anything at all was planned (``<bounds>`` needs at least one node)."""
        return self.bounds[0] <= self.bounds[2]
