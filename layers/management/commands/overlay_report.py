"""``cartoparty overlay_report SLUG --output report.html [--osm streets.osm]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from layers import analysis
from mapping import selectors
from mapping.errors import CartopartyError


class Command(BaseCommand):
    help = "Write a self-contained HTML report of the perceived × measured overlay."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--osm", type=Path, help="an .osm file of the zone: street segments")
        parser.add_argument("--cell-m", dest="cell_m", default=100)
        parser.add_argument("--grid", default="square")
        parser.add_argument("--radius-m", dest="radius_m", default=50)
        parser.add_argument("--window-s", dest="window_s", default=900)
        parser.add_argument("--resamples", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            event = selectors.event_by_slug(options["slug"])
            html = analysis.report_html(
                event, analysis.parse_request(options), tile_url=settings.BASEMAP_TILE_URL,
                attribution=settings.BASEMAP_ATTRIBUTION, osm_path=options["osm"],
                resamples=options["resamples"])
        except CartopartyError as exc:
            raise CommandError(exc.message) from None
        options["output"].write_text(html, encoding="utf-8")
        self.stdout.write(f"wrote {options['output']} ({len(html) // 1024} kB)")
