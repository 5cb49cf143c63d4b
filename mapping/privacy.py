"""Coarsening of nuisance reports for readers who are not officers (pure).

A report is often made from home: its exact place and time re-identify its author
(Ushahidi's ``location_precision``). Public readers get the place rounded to a grid of
``decimals`` decimal degrees (3 decimals ≈ 111 m north–south) and the time to the hour.

>>> coarsen_point(5.92345, 45.56789)
(5.923, 45.568)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

PUBLIC_DECIMALS = 3


def coarsen_point(
    lon: float, lat: float, *, decimals: int = PUBLIC_DECIMALS
) -> tuple[float, float]:
    """Round a WGS84 position to ``decimals`` decimal degrees."""
    return round(lon, decimals), round(lat, decimals)


def coarsen_geometry(geom: BaseGeometry, *, decimals: int = PUBLIC_DECIMALS) -> Point:
    """A report's public place: its centroid (or point), rounded."""
    centre = geom if geom.geom_type == "Point" else geom.centroid
    return Point(*coarsen_point(centre.x, centre.y, decimals=decimals))


def public_places_xy(geoms: Sequence[BaseGeometry]) -> list[tuple[float, float]]:
    """The public place of each geometry as (lon, lat): :func:`coarsen_geometry` for many at
    once (the centroids computed together; a point's centroid is the point itself)."""
    if not len(geoms):
        return []
    shapes = np.asarray(geoms, dtype=object)
    points = shapely.get_type_id(shapes) == shapely.GeometryType.POINT
    if not points.all():  # a point is its own centroid: only the others are computed
        shapes = shapes.copy()
        shapes[~points] = shapely.centroid(shapes[~points])
    centres = shapely.get_coordinates(shapes)
    if len(centres) != len(geoms):
        msg = "an empty geometry has no public place"
        raise ValueError(msg)
    return [(round(x, PUBLIC_DECIMALS), round(y, PUBLIC_DECIMALS))  # coarsen_point's rounding
            for x, y in centres.tolist()]


def coarsen_time(moment: dt.datetime | None) -> dt.datetime | None:
    """A report's public time: truncated to the hour."""
    return None if moment is None else moment.replace(minute=0, second=0, microsecond=0)


def public_time_bounds(start: dt.datetime | None, end: dt.datetime | None
                       ) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Bounds on exact times whose public time (:func:`coarsen_time`) lies in ``[start, end]``:
    ``(low, high)``, ``low`` included, ``high`` excluded, None where open.

    A time filter for public readers is decided on the hour they see: ``low`` is ``start``
    rounded up to the hour, ``high`` the hour after ``end``'s, so that no sequence of
    intervals tells the minute of a report.

    >>> at = dt.datetime(2026, 5, 1, 9, 10)
    >>> low, high = public_time_bounds(at, at + dt.timedelta(minutes=10))
    >>> low.isoformat(), high.isoformat()
    ('2026-05-01T10:00:00', '2026-05-01T10:00:00')
    """
    low = coarsen_time(start)
    if start is not None and low is not None and low < start:
        low += dt.timedelta(hours=1)
    top = coarsen_time(end)
    return low, (None if top is None else top + dt.timedelta(hours=1))


# --- What a reader sees of a report: the public view's rules ---------------------------------
# The selectors of ``mapping.selectors.readers`` apply them; views and serializers never do.

#: A coarsened place moves by at most half a grid step: queries for public readers are widened
#: by one step, then decided on the coarsened place.
PUBLIC_MARGIN_DEG = 10.0**-PUBLIC_DECIMALS
#: A report's comment is public once a moderator accepted it (it may hold personal details).
PUBLIC_COMMENT_STATUSES = frozenset({"accepted", "exported"})
#: Distances to a coarsened place are said to the nearest 10 m ("about 120 m"): a metre-exact
#: distance from several points would locate the report again (trilateration).
PUBLIC_DISTANCE_STEP_M = 10


def public_comment(comment: str, status: str) -> str | None:
    """The comment a public reader sees: ``None`` until the report is accepted."""
    return comment if status in PUBLIC_COMMENT_STATUSES else None


def public_distance_m(distance_m: float) -> int:
    """A distance in metres to a coarsened place, rounded to :data:`PUBLIC_DISTANCE_STEP_M`.

    >>> public_distance_m(124.9)
    120
    """
    return round(distance_m / PUBLIC_DISTANCE_STEP_M) * PUBLIC_DISTANCE_STEP_M


def widen_bounds(
    bounds: tuple[float, float, float, float], margin_deg: float
) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` WGS84 degrees grown by ``margin_deg``, clipped to the globe.

    >>> widen_bounds((5.9, 45.5, 6.0, 45.6), 0.001)
    (5.899, 45.499, 6.001, 45.601)
    """
    west, south, east, north = bounds
    return (max(west - margin_deg, -180.0), max(south - margin_deg, -90.0),
            min(east + margin_deg, 180.0), min(north + margin_deg, 90.0))


# === Public overlay grids (the perceived and measured cells of layers/) =====================
# Owned by the layers work; kept apart from the report coarsening above, which it relies on.
#
# A public cell is counted from the reports' *public* places (``coarsen_geometry``), never from
# exact ones: whatever the size, origin, bounding box or join window asked, the cells then
# depend only on what the public reports list already shows, so no combination of queries
# can place a report closer than its coarsening (a binary search on an exact-place grid used
# to find one to the metre in 94 requests). Sizes are a fixed set, each several public places
# wide, and a cell with fewer than MIN_PUBLIC_CONTRIBUTORS contributors is left out entirely
# (polygon too): a withheld figure on a drawn polygon still says "someone reported here".

PUBLIC_SQUARE_CELLS_M = (250, 500, 1000, 2000)
# H3 v4 average edge: res 7 1.4 km, res 8 531 m, res 9 174 m (0.105 km², about 12 public
# places).
PUBLIC_H3_RESOLUTIONS = (7, 8, 9)
MIN_PUBLIC_CONTRIBUTORS = 3


def public_grid_refusal(grid: str, *, cell_m: float, h3_resolution: int) -> str | None:
    """The parameter that makes a grid not public (``cell_m``, ``h3_resolution``), or None.

    >>> public_grid_refusal("square", cell_m=250.0, h3_resolution=9) is None
    True
    >>> public_grid_refusal("square", cell_m=250.5, h3_resolution=9)
    'cell_m'
    """
    if grid == "square" and cell_m not in PUBLIC_SQUARE_CELLS_M:
        return "cell_m"
    if grid == "h3" and h3_resolution not in PUBLIC_H3_RESOLUTIONS:
        return "h3_resolution"
    return None


def public_cell_shown(n_contributors: int) -> bool:
    """Whether a public cell is shown: no report at all (measurements only), or enough people."""
    return n_contributors == 0 or n_contributors >= MIN_PUBLIC_CONTRIBUTORS
