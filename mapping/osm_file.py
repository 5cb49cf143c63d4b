"""The one OSM file reader of the product: every format, streamed, bounded (pure).

``.osm``, ``.osm.gz``, ``.osm.bz2`` and ``.osm.pbf`` are read with pyosmium (libosmium's
bindings: XML through expat with entities refused, PBF natively, node locations kept in its
own index, multipolygons assembled by its area manager). Every user — ``import_osm``, the
conflation, the field sheets, the overlay's street segments, the base map — gets the same
:class:`Element`.

Bounded (an import must never run the server out of memory or time): compressed XML is
decompressed here, counting the bytes actually produced, into a temporary file refused past
``max_bytes``; every file is refused past ``max_elements`` elements (libosmium itself caps a
PBF block at 32 MiB once inflated). Extracts are often clipped at a box: ways keep the nodes
the file holds (missing ones are listed without version or position) and relations the
members it holds; :class:`ReadReport` counts what was missing. Negative ids (new objects of a
JOSM review file) are not located: run ``osmium renumber`` first.
Data read here is © OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

import bz2
import gzip
import tempfile
from array import array
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import shapely
from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from mapping.errors import N_, InvalidInput
from mapping.osm_areas import way_geometry

# (node id, version, lon, lat); version and position are None for a node the file lacks.
WayNode = tuple[int, int | None, float | None, float | None]
# (member type "node"/"way"/"relation", ref, role)
Member = tuple[str, int, str]
# Tags that say who made an element, not what it is: alone, they leave it "untagged".
METADATA_KEYS = frozenset({"created_by", "source", "odbl", "odbl:note", "attribution"})
SUFFIXES = (".osm", ".osm.gz", ".osm.bz2", ".osm.pbf")
CHUNK_BYTES = 1 << 20
MEMBER_TYPES = {"n": "node", "w": "way", "r": "relation"}

NOT_OSM = N_("{name}: not an OSM file (expected .osm, .osm.gz, .osm.bz2 or .osm.pbf).")
UNREADABLE = N_("{name} cannot be read as OSM data: {reason}")
TOO_MANY_BYTES = N_("{name} expands to more than {maximum:,} bytes once decompressed: refused "
                    "(limit max_bytes).")
TOO_MANY_ELEMENTS = N_("{name} holds more than {maximum:,} OSM elements: refused "
                       "(limit max_elements).")


class OsmFileError(InvalidInput):
    """The file cannot be read as OSM data (unknown format, malformed, DTD or entities)."""


class OsmLimitError(OsmFileError):
    """The file is past a limit; ``limit`` names it (``max_bytes`` or ``max_elements``)."""

    def __init__(self, template: str, *, limit: str, **params: Any) -> None:
        super().__init__(template, field="path", **params)
        self.limit = limit


@dataclass(frozen=True)
class OsmLimits:
    """How much one read may take: decompressed bytes and elements (nodes+ways+relations)."""

    max_bytes: int = 1 << 30
    max_elements: int = 20_000_000


@dataclass
class ReadReport:
    """What a read saw: counts by type, what was missing, the file's bounds (W, S, E, N)."""

    nodes: int = 0
    ways: int = 0
    relations: int = 0
    ways_missing_nodes: int = 0
    relations_missing_members: int = 0
    bytes_read: int = 0
    bounds: tuple[float, float, float, float] | None = None

    @property
    def elements(self) -> int:
        """Every element read, tagged or not."""
        return self.nodes + self.ways + self.relations


@dataclass(frozen=True)
class Element:
    """An OSM node, way or relation as read, with its geometry (WGS84 lon/lat degrees).

    ``geometry`` is a Point (nodes; relations that are not areas: the centroid of the members
    present), a LineString or MultiLineString (ways: the runs of present nodes), a Polygon
    (closed complete ways whose tags make an area) or a MultiPolygon (complete multipolygon
    and boundary relations). ``nodes`` lists a way's nodes, ``members`` a relation's members;
    ``complete`` is False when some of them are missing from the file.
    """

    type: str
    id: int
    version: int
    tags: Mapping[str, str]
    geometry: BaseGeometry
    nodes: tuple[WayNode, ...] = ()
    members: tuple[Member, ...] = ()
    complete: bool = True

    @cached_property
    def point(self) -> Point:
        """The representative point: the node, a point inside the area or on the line."""
        geometry = self.geometry
        return geometry if isinstance(geometry, Point) else geometry.representative_point()

    @property
    def lon(self) -> float:
        """Longitude of the representative point (degrees)."""
        return float(self.point.x)

    @property
    def lat(self) -> float:
        """Latitude of the representative point (degrees)."""
        return float(self.point.y)


def is_tagged(tags: Mapping[str, str]) -> bool:
    """True when ``tags`` say what the element is (not only who made it)."""
    return any(key not in METADATA_KEYS for key in tags)


def check_suffix(path: Path) -> None:
    """Refuse a file whose name is not one of :data:`SUFFIXES` (before any byte is read)."""
    if not path.name.lower().endswith(SUFFIXES):
        raise OsmFileError(NOT_OSM, field="path", name=path.name)


@contextmanager
def _plain(path: Path, limits: OsmLimits, report: ReadReport) -> Iterator[Path]:
    """``path`` itself, or its decompressed copy in a temporary file, within ``max_bytes``."""
    check_suffix(path)
    name = path.name.lower()
    opener: Callable[..., Any] | None = (gzip.open if name.endswith(".gz")
                                         else bz2.open if name.endswith(".bz2") else None)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise OsmFileError(UNREADABLE, field="path", name=path.name,
                           reason=error.strerror or str(error)) from error
    if size > limits.max_bytes:
        raise OsmLimitError(TOO_MANY_BYTES, limit="max_bytes", name=path.name,
                            maximum=limits.max_bytes)
    if opener is None:
        report.bytes_read = size
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="cartoparty-osm-") as tmp:
        target = Path(tmp) / "extract.osm"
        produced = 0
        try:
            with opener(path, "rb") as source, target.open("wb") as out:
                # Read a bounded chunk at a time: the bytes produced are counted, not trusted
                # from a header, so a 10 MB file of whitespace stops at max_bytes.
                while chunk := source.read(CHUNK_BYTES):
                    produced += len(chunk)
                    if produced > limits.max_bytes:
                        raise OsmLimitError(TOO_MANY_BYTES, limit="max_bytes", name=path.name,
                                            maximum=limits.max_bytes)
                    out.write(chunk)
        except (OSError, EOFError, ValueError) as error:
            if isinstance(error, OsmFileError):
                raise
            raise OsmFileError(UNREADABLE, field="path", name=path.name,
                               reason=str(error)) from error
        report.bytes_read = produced
        yield target


class _NodeVersions:
    """Node id → version for every node read, in two numpy arrays (16 bytes a node)."""

    def __init__(self) -> None:
        self._ids = array("q")
        self._versions = array("q")
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, node_id: int, version: int) -> None:
        self._ids.append(node_id)
        self._versions.append(version)

    def lookup(self, refs: list[int]) -> list[int | None]:
        """The version of each ref, None for a node the file does not hold."""
        if self._sorted is None:
            ids = np.frombuffer(self._ids, dtype=np.int64)
            order = np.argsort(ids, kind="stable")
            self._sorted = ids[order], np.frombuffer(self._versions, dtype=np.int64)[order]
        ids, versions = self._sorted
        if not len(ids):
            return [None] * len(refs)
        wanted = np.asarray(refs, dtype=np.int64)
        at = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
        found = ids[at] == wanted
        return [int(v) if ok else None for v, ok in zip(versions[at].tolist(), found.tolist(),
                                                        strict=True)]


def read_elements(
    path: Path, *, limits: OsmLimits | None = None, report: ReadReport | None = None,
    wanted: Callable[[Mapping[str, str]], bool] = is_tagged,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Element]:
    """Every element of the OSM file ``path`` whose tags are ``wanted``, streamed.

    Parameters
    ----------
    path : Path
        ``.osm``, ``.osm.gz``, ``.osm.bz2`` or ``.osm.pbf``; nodes before ways before
        relations (the order of every OSM tool's output).
    limits : OsmLimits, optional
        Decompressed bytes and element count past which the file is refused
        (:class:`OsmLimitError`).
    report : ReadReport, optional
        Filled while reading: counts, missing references, bounds.
    wanted : callable
        Tags → keep the element? Default: tagged elements (:func:`is_tagged`).
    progress : callable, optional
        Called with the number of elements read so far, every 10,000 elements.

    Yields
    ------
    Element
        Nodes and ways in file order, then relations (multipolygons are assembled only once
        their member ways are read). Elements with no position at all are left out.
    """
    limits = limits or OsmLimits()
    report = report if report is not None else ReadReport()
    with _plain(path, limits, report) as plain:
        try:
            yield from _read(plain, path.name, limits, report, wanted, progress)
        except RuntimeError as error:  # libosmium: malformed XML, entities, broken PBF
            raise OsmFileError(UNREADABLE, field="path", name=path.name,
                               reason=str(error)) from error


RelationRow = tuple[int, int, dict[str, str], tuple[Member, ...], bool]


class _Pass:
    """One pass over a file: what later elements need of earlier ones (versions, ids)."""

    def __init__(self, report: ReadReport, wanted: Callable[[Mapping[str, str]], bool]) -> None:
        self.report, self.wanted = report, wanted
        self.versions = _NodeVersions()
        self.way_ids: set[int] = set()
        self.relation_ids: set[int] = set()
        # Where a relation that is not an area is drawn: the centres of its member ways.
        self.way_centres: dict[int, tuple[float, float]] = {}
        self.relations: list[RelationRow] = []
        self.areas: dict[int, BaseGeometry] = {}

    def node(self, obj: osmium.osm.Node) -> Element | None:
        self.report.nodes += 1
        self.versions.add(obj.id, obj.version)
        if not obj.tags or not obj.location.valid():
            return None
        tags = dict(obj.tags)
        if not self.wanted(tags):
            return None
        return Element("node", obj.id, obj.version, tags,
                       Point(obj.location.lon, obj.location.lat))

    def way(self, obj: osmium.osm.Way) -> Element | None:
        self.report.ways += 1
        self.way_ids.add(obj.id)
        refs = [n.ref for n in obj.nodes]
        coords = [(n.location.lon, n.location.lat) if n.location.valid() else None
                  for n in obj.nodes]
        present = [c for c in coords if c is not None]
        complete = len(present) == len(coords)
        if not complete:
            self.report.ways_missing_nodes += 1
        if present:
            self.way_centres[obj.id] = (sum(c[0] for c in present) / len(present),
                                        sum(c[1] for c in present) / len(present))
        tags = dict(obj.tags)
        if not tags or not self.wanted(tags):
            return None
        geometry = way_geometry(coords, tags)
        if geometry is None:
            return None
        nodes: tuple[WayNode, ...] = tuple(
            (ref, version, coord[0], coord[1]) if coord is not None else (ref, version, None, None)
            for ref, version, coord in zip(refs, self.versions.lookup(refs), coords, strict=True))
        return Element("way", obj.id, obj.version, tags, geometry, nodes=nodes, complete=complete)

    def relation(self, obj: osmium.osm.Relation) -> None:
        self.report.relations += 1
        members = tuple((MEMBER_TYPES[m.type], m.ref, m.role) for m in obj.members)
        node_refs = [ref for kind, ref, _role in members if kind == "node"]
        complete = (all(v is not None for v in self.versions.lookup(node_refs))
                    and all(ref in self.way_ids for kind, ref, _ in members if kind == "way")
                    and all(ref in self.relation_ids for kind, ref, _ in members
                            if kind == "relation"))
        if not complete:
            self.report.relations_missing_members += 1
        self.relation_ids.add(obj.id)
        tags = dict(obj.tags)
        if tags and self.wanted(tags):
            self.relations.append((obj.id, obj.version, tags, members, complete))


def _read(plain: Path, name: str, limits: OsmLimits, report: ReadReport,
          wanted: Callable[[Mapping[str, str]], bool],
          progress: Callable[[int], None] | None) -> Iterator[Element]:
    processor = osmium.FileProcessor(str(plain)).with_areas()
    box = processor.header.box()
    if box.valid():
        report.bounds = (box.bottom_left.lon, box.bottom_left.lat,
                         box.top_right.lon, box.top_right.lat)
    state = _Pass(report, wanted)
    wkb = osmium.geom.WKBFactory()
    for obj in processor:
        if isinstance(obj, osmium.osm.Area):
            if not obj.from_way() and obj.orig_id() in state.relation_ids:
                state.areas[obj.orig_id()] = shapely.from_wkb(wkb.create_multipolygon(obj))
            continue
        count = report.elements + 1
        if count > limits.max_elements:
            raise OsmLimitError(TOO_MANY_ELEMENTS, limit="max_elements", name=name,
                                maximum=limits.max_elements)
        if progress is not None and count % 10_000 == 0:
            progress(count)
        found = None
        if isinstance(obj, osmium.osm.Node):
            found = state.node(obj)
        elif isinstance(obj, osmium.osm.Way):
            found = state.way(obj)
        elif isinstance(obj, osmium.osm.Relation):
            state.relation(obj)
        if found is not None:
            yield found
    locations = processor.node_location_storage

    def position(member_type: str, ref: int) -> tuple[float, float] | None:
        if member_type == "way":
            return state.way_centres.get(ref)
        if member_type == "node" and locations is not None:
            try:
                location = locations.get(ref)
            except KeyError:
                return None
            return (location.lon, location.lat) if location.valid() else None
        return None

    # Relations last: libosmium hands their assembled areas over after the relation itself.
    yield from _relations(state.relations, state.areas, position)


def _relations(relations: list[RelationRow], areas: Mapping[int, BaseGeometry],
               position: Callable[[str, int], tuple[float, float] | None]) -> Iterator[Element]:
    for osm_id, version, tags, members, complete in relations:
        geometry = areas.get(osm_id)
        if geometry is None or geometry.is_empty:
            # Not an area, or one the extract clips: drawn at the centroid of what is there.
            points = [p for t, ref, _ in members if (p := position(t, ref)) is not None]
            if not points:
                continue
            geometry = MultiPoint(points).centroid
        yield Element("relation", osm_id, version, tags, geometry, members=members,
                      complete=complete)


def read_bounds(path: Path) -> tuple[float, float, float, float]:
    """The bounds the file declares, as (west, south, east, north) in WGS84 degrees."""
    report = ReadReport()
    with _plain(path, OsmLimits(), report) as plain:
        try:
            box = osmium.FileProcessor(str(plain)).header.box()
        except RuntimeError as error:
            raise OsmFileError(UNREADABLE, field="path", name=path.name,
                               reason=str(error)) from error
    if not box.valid():
        msg = f"{path} has no <bounds> element."
        raise OsmFileError(msg, field="path")
    return (box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat)


def tagged_nodes(path: Path) -> list[Element]:
    """Every node of the file that carries at least one tag."""
    return [e for e in read_elements(path, wanted=bool) if e.type == "node"]


__all__ = ["Element", "Member", "OsmFileError", "OsmLimitError", "OsmLimits", "ReadReport",
           "WayNode", "check_suffix", "is_tagged", "read_bounds", "read_elements",
           "tagged_nodes", "way_geometry"]
