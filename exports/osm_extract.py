"""Reading an OSM extract offline: the existing elements of the preset kinds (pure).

``.osm``, ``.osm.bz2`` and ``.osm.gz`` are parsed as a stream with defusedxml (no DTD, no
entities); ``.osm.pbf`` (and anything else) is first turned into XML on the fly by
``osmium cat`` (osmium-tool). Extracts are often clipped at a box: ways lose the nodes outside
it and relations most members. Such elements are kept with what is present (the location is
computed from the present nodes; missing way nodes are recorded without version/location, so
an export knows it cannot rewrite that way), and elements with nothing present are skipped.
"""

from __future__ import annotations

import bz2
import gzip
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

from exports.conflation import kind_of
from exports.records import ContextElement

NOT_OSM = "{path}: not an OSM file (expected .osm, .osm.bz2, .osm.gz or .osm.pbf)."


class ExtractError(ValueError):
    """The file cannot be read as an OSM extract."""


@dataclass(frozen=True)
class ExtractElement:
    """An element of a preset kind with its geometry (WGS84) and representative point."""

    element: ContextElement
    kind: str
    geometry: BaseGeometry


@contextmanager
def _xml_stream(path: Path) -> Iterator[IO[bytes]]:
    name = path.name.lower()
    if name.endswith(".osm"):
        with path.open("rb") as stream:
            yield stream
    elif name.endswith(".osm.bz2"):
        with bz2.open(path, "rb") as stream:
            yield stream
    elif name.endswith(".osm.gz"):
        with gzip.open(path, "rb") as stream:
            yield stream
    elif name.endswith(".pbf"):
        osmium = shutil.which("osmium")
        if osmium is None:
            msg = "Reading .osm.pbf needs osmium-tool (apt install osmium-tool)."
            raise ExtractError(msg)
        process = subprocess.Popen([osmium, "cat", "-f", "osm", "-o", "-", str(path)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None
        try:
            yield process.stdout
        finally:
            process.stdout.close()
            error = process.stderr.read().decode() if process.stderr else ""
            if process.wait() != 0:
                msg = f"osmium could not read {path}: {error.strip()}"
                raise ExtractError(msg)
    else:
        raise ExtractError(NOT_OSM.format(path=path))


def _way_geometry(coords: list[tuple[float, float]], closed: bool) -> BaseGeometry | None:
    if closed and len(coords) >= 4:
        polygon = Polygon(coords)
        if polygon.is_valid:
            return polygon
    if len(coords) >= 2:
        return LineString(coords)
    return Point(coords[0]) if coords else None


def read_extract(
    path: Path, presets: Mapping[str, Mapping[str, str]]
) -> Iterator[ExtractElement]:
    """Every node, way and relation of ``path`` whose tags match one of ``presets``.

    Parameters
    ----------
    path
        An OSM extract; nodes are expected before ways and ways before relations (the order
        of every OSM tool's output).
    presets
        Preset id → defining tags (see :func:`exports.conflation.kind_of`).
    """
    nodes: dict[int, tuple[int, float, float]] = {}
    way_refs: dict[int, tuple[int, ...]] = {}
    try:
        with _xml_stream(path) as stream:
            for _event, item in iterparse(stream, events=("end",)):
                if item.tag not in {"node", "way", "relation"}:
                    continue
                found = _element(item, nodes, way_refs, presets)
                item.clear()
                if found is not None:
                    yield found
    except (SyntaxError, DefusedXmlException) as error:  # malformed XML, DTD or entities
        msg = f"{path}: {error}"
        raise ExtractError(msg) from error


def _element(item, nodes, way_refs, presets) -> ExtractElement | None:  # type: ignore[no-untyped-def]
    osm_id, version = int(item.get("id")), int(item.get("version") or 1)
    tags = {tag.get("k"): tag.get("v") for tag in item.iter("tag")}
    if item.get("visible") == "false" or item.get("action") == "delete":
        return None
    if item.tag == "node":
        lon, lat = float(item.get("lon")), float(item.get("lat"))
        nodes[osm_id] = (version, lon, lat)
        kind = kind_of(tags, presets) if tags else ""
        if not kind:
            return None
        element = ContextElement("node", osm_id, version, tags, lon, lat)
        return ExtractElement(element, kind, Point(lon, lat))
    if item.tag == "way":
        refs = tuple(int(nd.get("ref")) for nd in item.iter("nd"))
        way_refs[osm_id] = refs
        kind = kind_of(tags, presets) if tags else ""
        if not kind:
            return None
        members = tuple((ref, *nodes[ref]) if ref in nodes else (ref, None, None, None)
                        for ref in refs)
        coords = [(n[2], n[3]) for n in members if n[1] is not None]
        complete = len(coords) == len(refs)
        geometry = _way_geometry(coords, complete and len(refs) > 1 and refs[0] == refs[-1])
        if geometry is None:
            return None
        point = geometry.representative_point()
        element = ContextElement("way", osm_id, version, tags, point.x, point.y, members)
        return ExtractElement(element, kind, geometry)
    kind = kind_of(tags, presets) if tags else ""
    if not kind:
        return None
    coords = []
    for member in item.iter("member"):
        ref = int(member.get("ref"))
        if member.get("type") == "node" and ref in nodes:
            coords.append(nodes[ref][1:])
        elif member.get("type") == "way":
            coords += [nodes[r][1:] for r in way_refs.get(ref, ()) if r in nodes]
    if not coords:
        return None
    point = MultiPoint(coords).centroid
    element = ContextElement("relation", osm_id, version, tags, point.x, point.y)
    return ExtractElement(element, kind, point)
