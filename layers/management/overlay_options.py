"""The overlay's parameters as command options, shared by ``overlay_stats`` and
``overlay_summary``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from layers.overlay_parameters import OverlayParameters


def add_overlay_arguments(parser: CommandParser) -> None:
    """The overlay's parameters as options (defaults: those of organisers and officers)."""
    defaults = OverlayParameters()
    parser.add_argument("slug")
    parser.add_argument("--grid", default=defaults.grid, choices=["square", "h3"])
    parser.add_argument("--cell-m", dest="cell_m", type=float, default=defaults.cell_m)
    parser.add_argument("--h3-resolution", dest="h3_resolution", type=int,
                        default=defaults.h3_resolution)
    parser.add_argument("--radius-m", dest="radius_m", type=float, default=defaults.radius_m)
    parser.add_argument("--window-s", dest="window_s", type=float, default=defaults.window_s)
    parser.add_argument("--resamples", type=int, default=2000)


def overlay_parameters(options: dict[str, Any]) -> OverlayParameters:
    """The parameters of the options of :func:`add_overlay_arguments`."""
    return OverlayParameters(grid=options["grid"], cell_m=options["cell_m"],
                             h3_resolution=options["h3_resolution"],
                             radius_m=options["radius_m"], window_s=options["window_s"])
