"""``cartoparty overlay_summary SLUG --output summary.html [--osm streets.osm] [--language fr]``.

The map draws the event's own OSM base map inside the page when its context was imported
(``import_osm``), as the API's summary does: the file opens without a network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from exports.selectors import document_basemap
from layers.management.overlay_options import add_overlay_arguments, overlay_parameters
from layers.selectors.overlay import overlay_summary_html
from mapping import selectors
from mapping.errors import CartopartyError


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
                    translate=translation.gettext, language=options["language"],
                    basemap=document_basemap(event=event))
        except CartopartyError as exc:
            raise CommandError(exc.message) from None
        options["output"].write_text(html, encoding="utf-8")
        self.stdout.write(f"wrote {options['output']} ({len(html) // 1024} kB)")
