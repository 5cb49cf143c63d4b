"""``cartoparty overlay_summary SLUG --output summary.html [--osm streets.osm] [--language fr]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from layers.overlay_parameters import OverlayParameters
from layers.selectors.overlay import overlay_summary_html
from mapping import selectors
from mapping.errors import CartopartyError


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


class Command(BaseCommand):
    help = ("Write the overlay summary of an event: one self-contained HTML page (map, scatter, "
            "statistics, what was left out, caveat).")

    def add_arguments(self, parser: CommandParser) -> None:
        add_overlay_arguments(parser)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--osm", type=Path, help="an .osm file of the zone: street segments")
        parser.add_argument("--language", default="en", choices=[c for c, _ in settings.LANGUAGES])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            event = selectors.event_by_slug(options["slug"])
            with translation.override(options["language"]):
                html = overlay_summary_html(
                    event=event, params=overlay_parameters(options),
                    tile_url=settings.BASEMAP_TILE_URL, attribution=settings.BASEMAP_ATTRIBUTION,
                    osm_path=options["osm"], resamples=options["resamples"],
                    translate=translation.gettext, language=options["language"])
        except CartopartyError as exc:
            raise CommandError(exc.message) from None
        options["output"].write_text(html, encoding="utf-8")
        self.stdout.write(f"wrote {options['output']} ({len(html) // 1024} kB)")
