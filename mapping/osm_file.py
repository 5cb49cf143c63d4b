"""Minimal reading of an OSM XML 0.6 file: its bounds and its tagged nodes (pure).

The full OSM context (street network, existing features) is ``layers.osm_context``'s job;
this is what the demo and zone set-up need. Parsed with defusedxml: no DTD, no entities.
"""

from __future__ import annotations

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
