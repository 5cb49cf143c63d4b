"""Measurement file parsers (pure): one per format, and format detection."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from layers.importers.csv_formats import parse_dnms
from layers.importers.lasso import parse_lasso
from layers.importers.limits import ImportLimits, content_name, prefix
from layers.importers.noisecapture import parse_noisecapture
from layers.importers.records import (
    EXCLUDED_FLAGS,
    LEFT_OUT_FLAGS,
    ImportFormatError,
    Parsed,
    PerceivedRecord,
    ReadingBatch,
    ReadingRecord,
    RowError,
    SensorRecord,
)
from layers.importers.soundscape_csv import SoundscapeRecord, is_soundscape_header, parse_soundscape
from layers.importers.station_csv import parse_station_csv

__all__ = [
    "EXCLUDED_FLAGS", "FORMATS", "LEFT_OUT_FLAGS", "ImportFormatError", "ImportLimits", "Parsed",
    "PerceivedRecord", "ReadingBatch", "ReadingRecord", "RowError", "SensorRecord",
    "SoundscapeRecord", "detect_format", "parse_file",
]  # fmt: skip

FORMATS: dict[str, Callable[[Path, ImportLimits], Parsed]] = {
    "noisecapture": parse_noisecapture,
    "dnms": parse_dnms,
    "station": parse_station_csv,
    "lasso": parse_lasso,
    "soundscape": parse_soundscape,
}
# Keys of the LASSO survey's properties, as JSON text: its first feature shows them.
LASSO_KEYS = re.compile(rb'"(?:Leq|L90|Nois|PK)"\s*:')


DEFAULT_LIMITS = ImportLimits()


def detect_format(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> str:
    """The format of a file from its name and a bounded prefix of its content
    (:data:`layers.importers.limits.PREFIX_BYTES`); ImportFormatError if unknown."""
    name = content_name(path).lower()
    if name.endswith(".zip") and zipfile.is_zipfile(path):
        return "noisecapture"
    if name.endswith((".csv", ".geojson", ".json")):
        head = prefix(path, limits)
        if name.endswith(".csv"):
            header = head.split(b"\n", 1)[0].decode("utf-8", "replace")
            if "noise_LAeq" in header and ";" in header:
                return "dnms"
            if is_soundscape_header(next(csv.reader([header.lstrip("\ufeff")]), [])):
                return "soundscape"
            if "station_id" in header:
                return "station"
        elif len(set(LASSO_KEYS.findall(head))) == 4:
            return "lasso"
    msg = (f"{path.name}: format not recognised; give --format "
           f"({', '.join(FORMATS)})")
    raise ImportFormatError(msg)


def parse_file(path: Path, fmt: str | None = None, limits: ImportLimits = DEFAULT_LIMITS
               ) -> Parsed:
    """Parse ``path`` in format ``fmt`` (detected when None), within ``limits``."""
    if not path.is_file():
        msg = f"{path}: no such file"
        raise ImportFormatError(msg)
    fmt = fmt or detect_format(path, limits)
    if fmt not in FORMATS:
        msg = f"unknown format {fmt!r}; known: {', '.join(FORMATS)}"
        raise ImportFormatError(msg)
    return FORMATS[fmt](path, limits)
