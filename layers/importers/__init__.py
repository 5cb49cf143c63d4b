"""Measurement file parsers (pure): one per format, and format detection."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from layers.importers.csv_formats import parse_dnms, parse_station_csv
from layers.importers.lasso import is_lasso, parse_lasso
from layers.importers.noisecapture import parse_noisecapture
from layers.importers.records import (
    EXCLUDED_FLAGS,
    LEFT_OUT_FLAGS,
    ImportFormatError,
    Parsed,
    PerceivedRecord,
    ReadingRecord,
    RowError,
    SensorRecord,
)

__all__ = [
    "EXCLUDED_FLAGS", "FORMATS", "LEFT_OUT_FLAGS", "ImportFormatError", "Parsed", "PerceivedRecord",
    "ReadingRecord", "RowError", "SensorRecord", "detect_format", "parse_file",
]  # fmt: skip

FORMATS: dict[str, Callable[[Path], Parsed]] = {
    "noisecapture": parse_noisecapture,
    "dnms": parse_dnms,
    "station": parse_station_csv,
    "lasso": parse_lasso,
}


def detect_format(path: Path) -> str:
    """The format of a file from its name and first bytes; ImportFormatError if unknown."""
    suffix = path.suffix.lower()
    if suffix == ".zip" and zipfile.is_zipfile(path):
        return "noisecapture"
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
        if "noise_LAeq" in header and ";" in header:
            return "dnms"
        if "station_id" in header:
            return "station"
    if suffix in {".geojson", ".json"}:
        try:
            if is_lasso(json.loads(path.read_text(encoding="utf-8"))):
                return "lasso"
        except (ValueError, OSError):
            pass
    msg = (f"{path.name}: format not recognised; give --format "
           f"({', '.join(FORMATS)})")
    raise ImportFormatError(msg)


def parse_file(path: Path, fmt: str | None = None) -> Parsed:
    """Parse ``path`` in format ``fmt`` (detected when None)."""
    if not path.is_file():
        msg = f"{path}: no such file"
        raise ImportFormatError(msg)
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        msg = f"unknown format {fmt!r}; known: {', '.join(FORMATS)}"
        raise ImportFormatError(msg)
    return FORMATS[fmt](path)
