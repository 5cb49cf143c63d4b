"""``cartoparty import_population FILE --event SLUG``: load an event's population grid."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from layers.services.population import population_import
from mapping import selectors
from mapping.errors import CartopartyError

SHOWN_ERRORS = 20


class Command(BaseCommand):
    help = ("Import a population grid for an event: INSEE Filosofi 200 m cells (CSV or "
            "GeoPackage, 2015 to 2021 spellings) or a generic grid (CSV or GeoPackage with a "
            "population column). Only cells in the event's zone are kept; re-importing a file "
            "stores nothing new.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--event", required=True, help="slug of the event")
        parser.add_argument("--crs", default="EPSG:4326",
                            help="CRS of a generic CSV's wkt column (default EPSG:4326)")
        parser.add_argument("--population-column", dest="population_column",
                            help="population column of a generic grid, if not 'population'")
        parser.add_argument("--attribution", default="",
                            help="credit line of a generic grid (INSEE's is written for you)")
        parser.add_argument("--replace", action="store_true",
                            help="remove the event's cells that this file does not hold")
        parser.add_argument("--errors", type=Path, help="write every refused row to this CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            event = selectors.event_by_slug(options["event"])
            summary = population_import(
                event=event, path=options["file"], crs=options["crs"],
                population_column=options["population_column"], replace=options["replace"],
                attribution=options["attribution"])
        except CartopartyError as exc:
            raise CommandError(exc.message) from None
        for line in summary.lines():
            self.stdout.write(line)
        for note in summary.notes:
            self.stdout.write(f"note: {note}")
        for error in summary.errors[:SHOWN_ERRORS]:
            self.stdout.write(f"refused: row {error.row}: {error.reason}")
        hidden = len(summary.errors) - SHOWN_ERRORS + summary.errors_not_listed
        if hidden > 0:
            self.stdout.write(f"… {hidden} more refused rows"
                              + ("" if options["errors"] else " (see --errors FILE)"))
        if options["errors"]:
            with options["errors"].open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["file", "row", "reason"])
                writer.writerows((e.file, e.row, e.reason) for e in summary.errors)
