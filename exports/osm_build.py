"""Feature records → OSM primitives with JOSM's id rules, streamed through temp files (pure).

New objects get negative ids per type in creation order (-1, -2, …); writers emit nodes, then
ways, then relations, and within each type the new ones first, so ``osmium check-refs`` and
JOSM accept the file. New primitives are rendered batch by batch (:data:`BATCH` features,
coordinates handled by :mod:`exports.osm_nodes` in numpy) and spooled to temporary files, so
memory stays flat however many features an event holds; only the few edited existing elements
(corrections) are kept in memory, to be sorted by id.

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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO

import numpy as np
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from exports.osm_nodes import MAX_WAY_NODES, POINT, RELATION, SCALE, node_groups, ring_length
from exports.records import ContextElement, FeatureRecord
from exports.xmltext import ascii_lines, digits, fixed7, tags_xml

BATCH = 1024  # new features planned together: bounds the memory of one batch (measured fastest)

__all__ = ["BATCH", "MAX_WAY_NODES", "Layout", "OsmPlan", "Primitive", "chunks",
           "needs_relation"]


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


class Layout:
    """How a writer lays out *new* primitives: indentation and attributes after the id.

    The templates give exactly what the writer's ``render(Primitive)`` gives: ``.osm`` uses
    ``Layout("  ")``, osmChange ``Layout("    ", ' version="0" changeset="1"')``.
    """

    def __init__(self, indent: str = "  ", extra: str = "") -> None:
        inner = indent + "  "
        self.tag_indent = inner
        self.node_id = f'{indent}<node id="-'  # new ids are negative
        self.node_lat = f'"{extra} lat="'
        self.node_close = f"{indent}</node>\n"
        self.nd_ref = f'{inner}<nd ref="-'
        self.way_open = f'{indent}<way id="{{}}"{extra}>\n'
        self.way_close = f"{indent}</way>\n"
        self.relation_open = f'{indent}<relation id="{{}}"{extra}>\n'
        self.member = f'{inner}<member type="way" ref="{{}}" role="{{}}"/>\n'
        self.relation_close = f"{indent}</relation>\n"


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
    """Whether an areal geometry is written as a multipolygon relation (not a closed way).

    Always for a MultiPolygon; for a Polygon with holes or a rounded ring over
    :data:`MAX_WAY_NODES` nodes.
    """
    if isinstance(geometry, MultiPolygon):
        return True
    if isinstance(geometry, Polygon):
        return bool(geometry.interiors) or ring_length(geometry.exterior) > MAX_WAY_NODES
    return False


class OsmPlan:
    """Collects primitives from feature records; new ones are rendered to spool files."""

    def __init__(self, *, render: Renderer, layout: Layout,
                 context: Mapping[tuple[str, int], ContextElement]) -> None:
        self.render = render
        self.layout = layout
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

    def _extend(self, lon: float, lat: float) -> None:
        b = self.bounds
        b[0], b[1], b[2], b[3] = min(b[0], lon), min(b[1], lat), max(b[2], lon), max(b[3], lat)

    # -- features -----------------------------------------------------------------------------
    def add(self, record: FeatureRecord) -> None:
        """Plan one feature; validation has already refused what cannot be written."""
        self.add_all([record])

    def add_all(self, records: Iterable[FeatureRecord]) -> None:
        """Plan features in creation order, :data:`BATCH` new ones at a time."""
        batch: list[FeatureRecord] = []
        for record in records:
            self.features_written += 1
            if record.osm_id:
                self._modify(record)
                continue
            batch.append(record)
            if len(batch) == BATCH:
                self._add_batch(batch)
                batch = []
        if batch:
            self._add_batch(batch)

    def _add_batch(self, records: list[FeatureRecord]) -> None:
        groups = node_groups([r.geometry for r in records])
        layout, scaled = self.layout, groups.scaled
        if len(scaled):
            (west, south), (east, north) = scaled.min(axis=0) / SCALE, scaled.max(axis=0) / SCALE
            self._extend(float(west), float(south))
            self._extend(float(east), float(north))
        first_id = self.counts["node"] + 1
        self.counts["node"] += len(scaled)
        # Text for every node and every <nd> of the batch at once; ways slice it by offset.
        ids = digits(np.arange(first_id, first_id + len(scaled), dtype=np.int64))
        node_text, node_ends = ascii_lines([
            layout.node_id, ids, layout.node_lat, fixed7(scaled[:, 1]), '" lon="',
            fixed7(scaled[:, 0]), '"/>\n'])
        nd_text, nd_ends = ascii_lines([layout.nd_ref, ids, '"/>\n'])
        node_ends, nd_ends = node_ends.tolist(), nd_ends.tolist()
        nd_starts = [0, *nd_ends[:-1]]
        nodes: list[str] = []
        done = 0  # node_text written up to this offset
        ways: list[str] = []
        relations: list[str] = []
        members: list[str] = []
        kinds, features = groups.kind.tolist(), groups.feature.tolist()
        rows = zip(features, groups.first.tolist(), groups.size.tolist(),
                   groups.closed.tolist(), groups.outer.tolist(), strict=True)
        for index, (feature, first, size, closed, outer) in enumerate(rows):
            kind, tags = kinds[feature], records[feature].tags
            if kind == POINT:  # the bare node line, opened up for its tags
                if tags:
                    start = node_ends[first - 1] if first else 0
                    nodes += [node_text[done:start], node_text[start:node_ends[first] - 3],
                              ">\n", tags_xml(tags, layout.tag_indent), layout.node_close]
                    done = node_ends[first]
                continue
            tag_lines = "" if kind == RELATION else tags_xml(tags, layout.tag_indent)
            if size + closed <= MAX_WAY_NODES:
                body = nd_text[nd_starts[first]:nd_ends[first + size - 1]]
                pieces = [body + nd_text[nd_starts[first]:nd_ends[first]] if closed else body]
            else:
                refs = [*range(first, first + size), first] if closed else list(
                    range(first, first + size))
                pieces = ["".join([nd_text[nd_starts[i]:nd_ends[i]] for i in piece])
                          for piece in chunks(refs)]
            for body in pieces:
                self.counts["way"] += 1
                way_id = -self.counts["way"]
                ways.append(f"{layout.way_open.format(way_id)}{body}{tag_lines}{layout.way_close}")
                if kind == RELATION:
                    members.append(layout.member.format(way_id, "outer" if outer else "inner"))
            if kind == RELATION and (index + 1 == len(features) or features[index + 1] != feature):
                self.counts["relation"] += 1
                relations.append(
                    layout.relation_open.format(-self.counts["relation"]) + "".join(members)
                    + tags_xml({"type": "multipolygon", **tags}, layout.tag_indent)
                    + layout.relation_close)
                members = []
        nodes.append(node_text[done:])
        self.spools["node"].write("".join(nodes))
        self.spools["way"].write("".join(ways))
        self.spools["relation"].write("".join(relations))

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
