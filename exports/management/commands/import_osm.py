"""``cartoparty import_osm PATH --event SLUG``: load an OSM extract as the event's context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports.services import osm_context_import
from mapping.errors import CartopartyError
from mapping.selectors import event_by_slug


class Command(BaseCommand):
    help = ("Load the existing OSM elements of the preset kinds from an .osm, .osm.bz2 or "
            ".osm.pbf extract (offline). Replaces the event's previous OSM context.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--event", required=True, help="The event's slug.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = osm_context_import(event=event_by_slug(options["event"]),
                                         path=options["path"])
        except CartopartyError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{summary.total} OSM elements loaded (© OpenStreetMap contributors, "
                          "ODbL 1.0):")
        for kind, count in summary.by_kind.items():
            self.stdout.write(f"  {kind}: {count}")
