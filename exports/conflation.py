"""Matching contributions with existing OpenStreetMap elements (pure).

An element's *kind* is the tag preset it matches (``amenity/bench``); two objects of the same
kind a few metres apart are probably the same object on the ground (iD's 0.2 m ``close_nodes``
is far too tight for citizens' phones, so the default radius is 25 m).

>>> kind_of({"amenity": "bench", "backrest": "yes"}, {"amenity/bench": {"amenity": "bench"}})
'amenity/bench'
>>> round(distance_m(5.9320, 45.5660, 5.9320, 45.5661), 1)
11.1
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG), metres
DEFAULT_RADIUS_M = 25.0


def kind_of(tags: Mapping[str, str], presets: Mapping[str, Mapping[str, str]]) -> str:
    """The most specific preset whose tags all appear in ``tags``; ``""`` when none does.

    Parameters
    ----------
    tags
        OSM tags of the object.
    presets
        Preset id → the tags defining it (``{"amenity/recycling_container": {"amenity":
        "recycling", "recycling_type": "container"}}``).
    """
    best, best_size = "", 0
    for preset_id, preset_tags in presets.items():
        matches = preset_tags and all(tags.get(k) == v for k, v in preset_tags.items())
        if matches and len(preset_tags) > best_size:
            best, best_size = preset_id, len(preset_tags)
    return best


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres between two WGS84 positions in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bbox_around(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees enclosing a circle of ``radius_m`` metres."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


@dataclass(frozen=True)
class Candidate:
    """An existing OSM element near a contribution: ``distance_m`` in metres."""

    type: str
    id: int
    version: int
    tags: dict[str, str]
    lon: float
    lat: float
    distance_m: float

    def as_dict(self) -> dict[str, object]:
        """The candidate as the plain dict the API and pages show."""
        return {"type": self.type, "id": self.id, "version": self.version,
                "tags": dict(self.tags), "lon": self.lon, "lat": self.lat,
                "distance_m": round(self.distance_m, 2)}


def nearest_candidates(
    elements: Iterable[Candidate], *, lon: float, lat: float, radius_m: float
) -> list[Candidate]:
    """Elements within ``radius_m`` metres of (lon, lat), nearest first, with distances set.

    ``elements`` carry any ``distance_m``; it is recomputed here.
    """
    found = []
    for element in elements:
        d = distance_m(lon, lat, element.lon, element.lat)
        if d <= radius_m:
            found.append(Candidate(element.type, element.id, element.version, element.tags,
                                   element.lon, element.lat, d))
    found.sort(key=lambda c: (c.distance_m, c.type, c.id))
    return found


class CandidateIndex:
    """Existing elements bucketed by kind and by a grid of about ``cell_m`` metres.

    Built once per export from the (small) OSM context, then queried for every new point.
    """

    def __init__(self, elements: Iterable[tuple[str, Candidate]], *, cell_m: float = 50.0):
        self.cell_deg = math.degrees(cell_m / EARTH_RADIUS_M)
        self.cells: dict[tuple[str, int, int], list[Candidate]] = {}
        for kind, element in elements:
            if kind:
                cell = self._cell(kind, element.lon, element.lat)
                self.cells.setdefault(cell, []).append(element)

    def _cell(self, kind: str, lon: float, lat: float) -> tuple[str, int, int]:
        return kind, math.floor(lon / self.cell_deg), math.floor(lat / self.cell_deg)

    def near(self, *, kind: str, lon: float, lat: float, radius_m: float) -> list[Candidate]:
        """Elements of ``kind`` within ``radius_m`` (≤ ``cell_m`` × cos(lat)), nearest first."""
        if not kind:
            return []
        _, cx, cy = self._cell(kind, lon, lat)
        reach = 1 + int(radius_m / (self.cell_deg * EARTH_RADIUS_M * math.pi / 180
                                    * max(math.cos(math.radians(lat)), 0.1)))
        pool: list[Candidate] = []
        for dx in range(-reach, reach + 1):
            for dy in range(-reach, reach + 1):
                pool += self.cells.get((kind, cx + dx, cy + dy), [])
        return nearest_candidates(pool, lon=lon, lat=lat, radius_m=radius_m)
