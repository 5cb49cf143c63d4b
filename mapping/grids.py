"""Task grids over an event's zone, and the states of a grid square (pure).

A grid is made of squares of a chosen side in metres, laid out in the zone's metric CRS
(Lambert-93 in metropolitan France, the UTM zone elsewhere — :func:`mapping.crs.metric_crs_for`),
so a "100 m square" is 100 m on the ground, not 0.001°. Only the squares that touch the zone
are kept: their union covers the zone.

A square moves to map → being mapped → done → validated. "Being mapped" carries a lock with an
expiry: a team that walked away does not block the square forever; once the lock expires the
square counts as "to map" again.

>>> cells = square_grid(box(5.9302, 45.5653, 5.9336, 45.5667), size_m=100)
>>> len(cells), cells[0].label
(8, 'B1')
"""

from __future__ import annotations

import datetime as dt
import math
import string
from dataclasses import dataclass
from enum import StrEnum

import pyproj
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import transform

from mapping.crs import metric_crs_for

MIN_SIZE_M = 20.0
MAX_SIZE_M = 5000.0
MAX_CELLS = 2500


class GridError(ValueError):
    """The grid asked for is not possible (size out of range, too many squares)."""


class CellState(StrEnum):
    """Where a square of the task grid stands."""

    TO_MAP = "to_map"
    BEING_MAPPED = "being_mapped"
    DONE = "done"
    VALIDATED = "validated"


# Allowed moves; "to_map" from anywhere is the organiser's reset.
TRANSITIONS: dict[CellState, frozenset[CellState]] = {
    CellState.TO_MAP: frozenset({CellState.BEING_MAPPED, CellState.DONE}),
    CellState.BEING_MAPPED: frozenset({CellState.TO_MAP, CellState.DONE}),
    CellState.DONE: frozenset({CellState.VALIDATED, CellState.TO_MAP, CellState.BEING_MAPPED}),
    CellState.VALIDATED: frozenset({CellState.TO_MAP}),
}


@dataclass(frozen=True)
class GridCell:
    """One square: its row and column (0-based), label, WGS84 polygon and metric polygon."""

    row: int
    col: int
    polygon: Polygon
    metric_polygon: Polygon

    @property
    def label(self) -> str:
        """Spreadsheet-like label: column letters then row number (``A1``, ``AB12``)."""
        return f"{column_letters(self.col)}{self.row + 1}"


def column_letters(col: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def transformers(zone: BaseGeometry) -> tuple[pyproj.Transformer, pyproj.Transformer, str]:
    """WGS84 → metric and metric → WGS84 transformers for a zone, and the metric CRS."""
    centre = zone.centroid
    crs = metric_crs_for(centre.x, centre.y)
    forward = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    backward = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return forward, backward, crs


def square_grid(zone: BaseGeometry, *, size_m: float) -> list[GridCell]:
    """Squares of side ``size_m`` metres covering ``zone`` (WGS84 lon/lat).

    Parameters
    ----------
    zone : shapely geometry
        The event's zone in WGS84 (lon, lat degrees).
    size_m : float
        Side of a square in metres of the zone's metric CRS, from 20 m to 5 km.

    Returns
    -------
    list of GridCell
        Row-major from the north-west corner (row 0 is northernmost); only squares that
        intersect the zone. Their union covers the zone.
    """
    if not (math.isfinite(size_m) and MIN_SIZE_M <= size_m <= MAX_SIZE_M):
        msg = f"The square size must be between {MIN_SIZE_M:.0f} m and {MAX_SIZE_M:.0f} m."
        raise GridError(msg)
    forward, backward, _crs = transformers(zone)
    metric_zone = transform(forward.transform, zone)
    minx, miny, maxx, maxy = metric_zone.bounds
    # Anchor on multiples of the size: regenerating the grid gives the same squares.
    x0, y1 = math.floor(minx / size_m) * size_m, math.ceil(maxy / size_m) * size_m
    cols = max(1, math.ceil((maxx - x0) / size_m))
    rows = max(1, math.ceil((y1 - miny) / size_m))
    if rows * cols > MAX_CELLS:
        msg = (f"{rows * cols} squares of {size_m:.0f} m would be needed; at most {MAX_CELLS}: "
               f"choose larger squares.")
        raise GridError(msg)
    cells = []
    for row in range(rows):
        for col in range(cols):
            square = box(x0 + col * size_m, y1 - (row + 1) * size_m,
                         x0 + (col + 1) * size_m, y1 - row * size_m)
            if square.intersects(metric_zone) and not square.touches(metric_zone):
                cells.append(GridCell(row=row, col=col,
                                      polygon=transform(backward.transform, square),
                                      metric_polygon=square))
    return cells


def effective_state(state: str, locked_until: dt.datetime | None, now: dt.datetime) -> CellState:
    """The state a square really is in: an expired "being mapped" lock is "to map" again."""
    current = CellState(state)
    if current is CellState.BEING_MAPPED and (locked_until is None or locked_until <= now):
        return CellState.TO_MAP
    return current


def lock_is_held(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a lock ending at ``locked_until`` still holds at ``now``."""
    return locked_until is not None and locked_until > now


def check_cell_transition(current: CellState, target: str) -> CellState:
    """The target state if the move is allowed; GridError otherwise."""
    try:
        wanted = CellState(target)
    except ValueError:
        msg = f"Unknown square state {target!r}; expected: {', '.join(CellState)}."
        raise GridError(msg) from None
    if wanted not in TRANSITIONS[current]:
        msg = f"A square cannot go from {current.value} to {wanted.value}."
        raise GridError(msg)
    return wanted
