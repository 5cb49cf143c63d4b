"""Minimal reading of an OSM XML 0.6 file: its bounds, tagged nodes and ways by key (pure).

The full OSM context (street network, existing features) is ``layers.osm_context``'s job;
this is what the demo and zone set-up need. Parsed with defusedxml: no DTD, no entities.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree


@dataclass(frozen=True)
class OsmNode:
    """An OSM node with tags: id, version, WGS84 position and tags."""

    id: int
    version: int
    lon: float
    lat: float
    tags: dict[str, str]


def read_bounds(path: Path) -> tuple[float, float, float, float]:
    """The ``<bounds>`` of the file as (west, south, east, north), WGS84 degrees."""
    bounds = ElementTree.parse(path).getroot().find("bounds")
    if bounds is None:
        msg = f"{path} has no <bounds> element."
        raise ValueError(msg)
    return (float(bounds.get("minlon")), float(bounds.get("minlat")),
            float(bounds.get("maxlon")), float(bounds.get("maxlat")))


def tagged_nodes(path: Path) -> list[OsmNode]:
    """Every node of the file that carries at least one tag."""
    nodes = []
    for element in ElementTree.parse(path).getroot().iter("node"):
        tags = {tag.get("k"): tag.get("v") for tag in element.iter("tag")}
        if tags:
            nodes.append(OsmNode(
                id=int(element.get("id")), version=int(element.get("version", "1")),
                lon=float(element.get("lon")), lat=float(element.get("lat")), tags=tags,
            ))
    return nodes


@dataclass(frozen=True)
class OsmWay:
    """An OSM way: id, tags and the WGS84 (lon, lat) of those of its nodes the file holds."""

    id: int
    tags: dict[str, str]
    coords: tuple[tuple[float, float], ...]

    @property
    def closed(self) -> bool:
        """True when the way ends where it starts (an area, for buildings and water)."""
        return len(self.coords) >= 4 and self.coords[0] == self.coords[-1]


def ways_with_keys(path: Path, keys: Iterable[str]) -> list[OsmWay]:
    """Every way of the file that carries at least one of ``keys`` (e.g. ``highway``).

    Parameters
    ----------
    path : Path
        An OSM XML 0.6 file, nodes before ways (the order of every OSM tool's output).
    keys : iterable of str
        Tag keys; a way carrying any of them is returned.

    Returns
    -------
    list of OsmWay
        In file order. Nodes the file lacks (a clipped extract) are left out of ``coords``;
        ways with fewer than two known nodes are dropped.
    """
    wanted = frozenset(keys)
    positions: dict[str, tuple[float, float]] = {}
    ways = []
    # Streamed, so an extract of a whole town does not need its tree in memory.
    for _event, element in ElementTree.iterparse(path, events=("end",)):
        if element.tag == "node":
            positions[element.get("id")] = (float(element.get("lon")), float(element.get("lat")))
            element.clear()
        elif element.tag == "way":
            tags = {tag.get("k"): tag.get("v") for tag in element.iter("tag")}
            if wanted.intersection(tags):
                coords = tuple(positions[ref.get("ref")] for ref in element.iter("nd")
                               if ref.get("ref") in positions)
                if len(coords) >= 2:
                    ways.append(OsmWay(id=int(element.get("id")), tags=tags, coords=coords))
            element.clear()
    return ways
