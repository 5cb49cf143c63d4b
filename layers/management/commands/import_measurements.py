"""``cartoparty import_measurements PATH… [--event SLUG] [--format …]``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from layers.importers import FORMATS, ImportLimits
from layers.importers.limits import MIB
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
    help = ("Import NoiseCapture track ZIPs, Sensor.Community DNMS CSVs, station CSVs (also "
            ".csv.gz), the LASSO survey GeoJSON or soundscape survey CSVs (ISO 12913, ISD/SSID "
            "columns); re-importing a file stores nothing new. "
            "Measurements serve every event whose zone and window they fall in; --event "
            "records which event they were imported for and brings perceived answers in.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--event", help="slug of the event imported for (provenance; "
                                            "perceived answers become its reports)")
        parser.add_argument("--format", choices=sorted(FORMATS), help="detected when omitted")
        parser.add_argument("--errors", type=Path, help="write every refused row to this CSV")
        defaults = ImportLimits()
        parser.add_argument("--max-file-mb", type=int, default=defaults.file_bytes // MIB,
                            help="largest file streamed (station CSV, DNMS), on disk or once "
                                 "a .gz is inflated")
        parser.add_argument("--max-in-memory-mb", type=int,
                            default=defaults.in_memory_bytes // MIB,
                            help="largest file read whole (a NoiseCapture ZIP inflated, a "
                                 "survey GeoJSON)")

    def handle(self, *args: Any, **options: Any) -> None:
        event = None
        if options["event"]:
            try:
                event = selectors.event_by_slug(options["event"])
            except NotFound as exc:
                raise CommandError(exc.message) from None
        limits = ImportLimits(file_bytes=options["max_file_mb"] * MIB,
                              in_memory_bytes=options["max_in_memory_mb"] * MIB)
        summary = measurements_import(paths=options["paths"], fmt=options["format"],
                                      event=event, progress=_Raw(self.stdout),  # type: ignore[arg-type]
                                      limits=limits)
        for line in summary.lines():
            self.stdout.write(line)
        for note in summary.notes[:SHOWN_ERRORS]:
            self.stdout.write(f"note: {note}")
        for error in summary.errors[:SHOWN_ERRORS]:
            self.stdout.write(f"refused: {error.file} row {error.row}: {error.reason}")
        if summary.refused > SHOWN_ERRORS:
            self.stdout.write(f"… {summary.refused - SHOWN_ERRORS} more refused rows"
                              + ("" if options["errors"] else " (see --errors FILE)"))
        if summary.errors_not_kept:
            self.stdout.write(f"({summary.errors_not_kept} refused rows past the first "
                              f"{len(summary.errors)} are counted, not listed)")
        if options["errors"]:
            with options["errors"].open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["file", "row", "reason"])
                writer.writerows((e.file, e.row, e.reason) for e in summary.errors)
        if summary.files == 0:
            msg = "No file could be read."
            raise CommandError(msg)
