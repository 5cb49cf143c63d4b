"""What an overlay is asked for: grid, cell size, join radius and window, area (pure).

The API and the commands parse their own input (query string, options) into
:class:`OverlayParameters`; the ranges and the public rule are checked here, once. Public
readers (neither organisers nor officers) are held to the grids of ``mapping.privacy``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from layers.overlay import JoinParameters
from mapping.errors import N_, InvalidInput
from mapping.privacy import PUBLIC_H3_RESOLUTIONS, PUBLIC_SQUARE_CELLS_M, public_grid_refusal

GRIDS = ("square", "h3")
# (lowest, highest) accepted for each number, units in the names.
RANGES: dict[str, tuple[float, float]] = {
    "cell_m": (5.0, 5000.0), "h3_resolution": (6, 13), "radius_m": (0.0, 5000.0),
    "window_s": (0.0, 86400.0),
}
OFFICER_DEFAULTS = {"cell_m": 100.0, "h3_resolution": 10}
PUBLIC_DEFAULTS = {"cell_m": float(PUBLIC_SQUARE_CELLS_M[0]), "h3_resolution": 9}
OUT_OF_RANGE = N_("{name} must lie between {low:g} and {high:g}.")
NOT_PUBLIC = N_("{name} {value:g} is for this event's organisers and officers; the public may "
                "ask for {allowed}.")
BAD_GRID = N_("grid must be 'square' or 'h3'.")
BAD_BBOX = N_("bbox must be west,south,east,north in WGS84 degrees, west < east, south < north.")


@dataclass(frozen=True)
class OverlayParameters:
    """The overlay asked for.

    ``grid`` "square" (``cell_m`` metres in the event's metric CRS) or "h3"
    (``h3_resolution``); ``radius_m`` and ``window_s`` join a report to the readings within
    that distance (m) and half time window (s); ``bbox`` (west, south, east, north, WGS84
    degrees) keeps the cells that meet it, None for all. Invalid values raise
    :class:`mapping.errors.InvalidInput` naming the field.
    """

    grid: str = "square"
    cell_m: float = OFFICER_DEFAULTS["cell_m"]
    h3_resolution: int = int(OFFICER_DEFAULTS["h3_resolution"])
    radius_m: float = 50.0
    window_s: float = 900.0
    bbox: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if self.grid not in GRIDS:
            raise InvalidInput(BAD_GRID, field="grid")
        for name, (low, high) in RANGES.items():
            value = getattr(self, name)
            if not low <= value <= high:  # NaN fails too
                raise InvalidInput(OUT_OF_RANGE, field=name, name=name, low=low, high=high)
        if self.bbox is not None:
            west, south, east, north = self.bbox
            if not (all(map(math.isfinite, self.bbox)) and -180 <= west < east <= 180
                    and -90 <= south < north <= 90):
                raise InvalidInput(BAD_BBOX, field="bbox")

    @classmethod
    def for_reader(cls, given: dict[str, Any], *, exact: bool) -> OverlayParameters:
        """The parameters ``given`` (absent ones by default) for a reader who sees exact
        places (``exact``) or not: the public gets the public default sizes and is refused
        any other (:func:`mapping.privacy.public_grid_refusal`)."""
        params = cls(**{**(OFFICER_DEFAULTS if exact else PUBLIC_DEFAULTS), **given})
        if not exact:
            field = public_grid_refusal(params.grid, cell_m=params.cell_m,
                                        h3_resolution=params.h3_resolution)
            if field is not None:
                allowed = PUBLIC_SQUARE_CELLS_M if field == "cell_m" else PUBLIC_H3_RESOLUTIONS
                raise InvalidInput(NOT_PUBLIC, field=field, name=field,
                                   value=getattr(params, field),
                                   allowed=", ".join(map(str, allowed)))
        return params

    def join(self) -> JoinParameters:
        """The join parameters of :func:`layers.overlay.join_reports`."""
        return JoinParameters(radius_m=self.radius_m, window_s=self.window_s)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        out = asdict(self)
        out["bbox"] = list(self.bbox) if self.bbox is not None else None
        return out
