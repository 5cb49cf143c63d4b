"""Coordinate reference systems of OGC API – Features Part 2 (pure: pyproj and shapely).

Geometries are stored in WGS84 longitude/latitude, which is OGC's CRS84. A reader may ask
for another CRS by its URI (``crs=``) and give a bounding box in one (``bbox-crs=``).
Coordinates follow each CRS's own axis order, as Part 2 requires: EPSG:4326 is latitude,
longitude; CRS84 and EPSG:3857 are x, y; EPSG:2154 (Lambert-93) is easting, northing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import mapping, shape

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
#: The CRSs offered for every collection (plus the event's metric CRS when it is another one).
OFFERED = (CRS84, f"{EPSG}4326", f"{EPSG}3857", f"{EPSG}2154")
# Decimals written: degrees to about 1 cm, metres to the millimetre.
DEGREE_DECIMALS = 7
METRE_DECIMALS = 3


def uri_of(code: str) -> str:
    """``EPSG:2154`` → its OGC URI; ``OGC:CRS84`` → CRS84's.

    >>> uri_of("EPSG:2154")
    'http://www.opengis.net/def/crs/EPSG/0/2154'
    """
    authority, _, number = code.partition(":")
    return (
        CRS84
        if code.upper() == "OGC:CRS84"
        else f"{EPSG}{number}"
        if (authority.upper() == "EPSG")
        else code
    )


def offered(metric_crs: str = "") -> tuple[str, ...]:
    """The CRS URIs offered for an event whose metric CRS is ``metric_crs`` (``EPSG:nnnn``)."""
    extra = uri_of(metric_crs) if metric_crs else ""
    return OFFERED if not extra or extra in OFFERED else (*OFFERED, extra)


def known(uri: str, choices: Sequence[str]) -> str | None:
    """``uri`` as one of ``choices`` (OGC URIs, also as ``[EPSG:2154]`` safe CURIEs or
    ``EPSG:2154``), or None.

    >>> known("[EPSG:2154]", OFFERED)
    'http://www.opengis.net/def/crs/EPSG/0/2154'
    >>> known("http://www.opengis.net/def/crs/EPSG/0/9999", OFFERED) is None
    True
    """
    raw = uri.strip()
    if raw.startswith("[") and raw.endswith("]"):
        raw = raw[1:-1]
    if raw.startswith("https://"):
        raw = "http://" + raw[len("https://") :]
    if not raw.startswith("http://"):
        raw = uri_of(raw)
    return raw if raw in choices else None


@lru_cache(maxsize=16)
def _crs(uri: str) -> CRS:
    return CRS.from_user_input("OGC:CRS84" if uri == CRS84 else f"EPSG:{uri.rsplit('/', 1)[1]}")


@lru_cache(maxsize=32)
def _transformer(source: str, target: str) -> Transformer:
    # Authority axis order on both sides (always_xy=False): EPSG:4326 is latitude first.
    return Transformer.from_crs(_crs(source), _crs(target), always_xy=False)


def _decimals(uri: str) -> int:
    return DEGREE_DECIMALS if _crs(uri).is_geographic else METRE_DECIMALS


def geometry_to(geometry: dict[str, Any] | None, target: str) -> dict[str, Any] | None:
    """A GeoJSON geometry (CRS84) in ``target``'s coordinates and axis order."""
    if geometry is None or target == CRS84:
        return geometry
    transformer = _transformer(CRS84, target)
    decimals = _decimals(target)

    def project(coords: np.ndarray) -> np.ndarray:
        first, second = transformer.transform(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([first, second]), decimals)

    return dict(mapping(shapely.transform(shape(geometry), project)))


def item_in(item: dict[str, Any], target: str) -> dict[str, Any]:
    """A GeoJSON item (CRS84) with its geometry in ``target`` (itself when CRS84)."""
    if target == CRS84:
        return item
    return {**item, "geometry": geometry_to(item.get("geometry"), target)}


def bbox_to_crs84(bbox: Sequence[float], source: str) -> tuple[float, float, float, float]:
    """A box given in ``source`` (its axis order) → ``(west, south, east, north)`` in CRS84,
    the smallest box holding it (edges densified)."""
    if source == CRS84:
        west, south, east, north = bbox
        return west, south, east, north
    transformer = _transformer(source, CRS84)
    west, south, east, north = transformer.transform_bounds(*bbox, densify_pts=21)
    return west, south, east, north
