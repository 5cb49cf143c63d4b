"""Coarsening of nuisance reports for readers who are not officers (pure).

A report is often made from home: its exact place and time re-identify its author
(Ushahidi's ``location_precision``). Public readers get the place rounded to a grid of
``decimals`` decimal degrees (3 decimals ≈ 111 m north–south) and the time to the hour.

>>> coarsen_point(5.92345, 45.56789)
(5.923, 45.568)
"""

from __future__ import annotations

import datetime as dt

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

PUBLIC_DECIMALS = 3


def coarsen_point(lon: float, lat: float, *, decimals: int = PUBLIC_DECIMALS) -> tuple[float, float]:
    """Round a WGS84 position to ``decimals`` decimal degrees."""
    return round(lon, decimals), round(lat, decimals)


def coarsen_geometry(geom: BaseGeometry, *, decimals: int = PUBLIC_DECIMALS) -> Point:
    """A report's public place: its centroid (or point), rounded."""
    centre = geom if geom.geom_type == "Point" else geom.centroid
    return Point(*coarsen_point(centre.x, centre.y, decimals=decimals))


def coarsen_time(moment: dt.datetime | None) -> dt.datetime | None:
    """A report's public time: truncated to the hour."""
    return None if moment is None else moment.replace(minute=0, second=0, microsecond=0)
