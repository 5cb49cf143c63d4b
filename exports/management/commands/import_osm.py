"""``cartoparty import_osm PATH --event SLUG``: load an OSM extract as the event's context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from exports.services import osm_context_import
from mapping.errors import CartopartyError
from mapping.osm_file import OsmLimitError, OsmLimits
from mapping.selectors import event_by_slug

HOW_TO_RAISE = {
    "max_bytes": "pass --max-bytes N or set OSM_MAX_BYTES (bytes once decompressed)",
    "max_elements": "pass --max-elements N or set OSM_MAX_ELEMENTS",
}
THEME_NAMES = {"streets": "streets and railways", "buildings": "buildings", "water": "water",
               "landuse": "land use and parks", "addresses": "addresses",
               "other": "other tagged elements"}


class Command(BaseCommand):
    help = ("Load every tagged element (streets, buildings, water, land use, addresses, "
            "existing features) of an .osm, .osm.gz, .osm.bz2 or .osm.pbf extract, offline, "
            "as the event's OSM context. Replaces the previous one; safe to run again.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--event", required=True, help="The event's slug.")
        parser.add_argument("--max-bytes", type=int, default=settings.OSM_MAX_BYTES,
                            help="Refuse a file larger than this once decompressed (bytes).")
        parser.add_argument("--max-elements", type=int, default=settings.OSM_MAX_ELEMENTS,
                            help="Refuse a file holding more elements than this.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        limits = OsmLimits(max_bytes=options["max_bytes"], max_elements=options["max_elements"])
        # A bar on a terminal only (tqdm disables itself when stderr is not one).
        with tqdm(desc=f"Reading {path.name}", unit=" elements", file=self.stderr,
                  disable=None, mininterval=0.5) as bar:
            def progress(count: int) -> None:
                bar.update(count - bar.n)

            try:
                summary = osm_context_import(event=event_by_slug(options["event"]), path=path,
                                             limits=limits, progress=progress)
            except OsmLimitError as error:
                raise CommandError(f"{error.message} To allow it, {HOW_TO_RAISE[error.limit]}."
                                   ) from error
            except CartopartyError as error:
                raise CommandError(error.message) from error
        report = summary.report
        self.stdout.write(f"Read {path.name}: {report.nodes} nodes, {report.ways} ways, "
                          f"{report.relations} relations.")
        self.stdout.write(f"Kept {summary.kept} tagged OSM elements (© OpenStreetMap "
                          "contributors, ODbL 1.0):")
        for theme, count in summary.by_theme.items():
            self.stdout.write(f"  {THEME_NAMES[theme]}: {count}")
        if summary.by_preset:
            self.stdout.write("Of the preset kinds (for conflation):")
            for preset_id, count in summary.by_preset.items():
                self.stdout.write(f"  {preset_id}: {count}")
        self.stdout.write(
            f"Missing from the extract (clipped at its edge): {report.ways_missing_nodes} ways "
            f"with missing nodes, {report.relations_missing_members} relations with missing "
            "members — kept with what the file holds.")
        if summary.basemap is not None:
            basemap = summary.basemap
            self.stdout.write(f"Base map: {basemap.tiles} vector tiles, z{basemap.min_zoom}–"
                              f"{basemap.max_zoom}, served at /tiles/{basemap.event.slug}/"
                              "basemap.json.")
