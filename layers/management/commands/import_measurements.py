"""``cartoparty import_measurements PATH… [--event SLUG] [--format …]``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from layers.importers import FORMATS
from layers.services import measurements_import
from mapping import selectors
from mapping.errors import NotFound

SHOWN_ERRORS = 20


class _Raw:
    """The command's stdout for tqdm: no newline added to each carriage-return update."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()


class Command(BaseCommand):
    help = ("Import NoiseCapture track ZIPs, Sensor.Community DNMS CSVs, station CSVs or the "
            "LASSO survey GeoJSON; re-importing a file stores nothing new.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--event", help="slug of the event the sensors (and reports) join")
        parser.add_argument("--format", choices=sorted(FORMATS), help="detected when omitted")
        parser.add_argument("--errors", type=Path, help="write every refused row to this CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        event = None
        if options["event"]:
            try:
                event = selectors.event_by_slug(options["event"])
            except NotFound as exc:
                raise CommandError(exc.message) from None
        summary = measurements_import(paths=options["paths"], fmt=options["format"],
                                      event=event, progress=_Raw(self.stdout))  # type: ignore[arg-type]
        for line in summary.lines():
            self.stdout.write(line)
        for note in summary.notes[:SHOWN_ERRORS]:
            self.stdout.write(f"note: {note}")
        for error in summary.errors[:SHOWN_ERRORS]:
            self.stdout.write(f"refused: {error.file} row {error.row}: {error.reason}")
        if len(summary.errors) > SHOWN_ERRORS:
            self.stdout.write(f"… {len(summary.errors) - SHOWN_ERRORS} more refused rows"
                              + ("" if options["errors"] else " (see --errors FILE)"))
        if options["errors"]:
            with options["errors"].open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["file", "row", "reason"])
                writer.writerows((e.file, e.row, e.reason) for e in summary.errors)
        if summary.files == 0:
            msg = "No file could be read."
            raise CommandError(msg)
