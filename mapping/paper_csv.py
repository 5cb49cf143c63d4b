"""Reading paper forms typed into a spreadsheet: decoding, columns, cell checks (pure).

The domain rules (category offered, inside the zone, tags) are the services'; this module
catches what only a spreadsheet produces: a Latin-1 file, a ``;`` separator, a decimal comma,
a missing column, a formula in a cell.

>>> decode(b"caf\\xe9")
('café', 'windows-1252')
>>> parse_number("45,566", "latitude")
45.566
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

COLUMNS = ("kind", "pseudonym", "latitude", "longitude", "category", "intensity", "sources",
           "observed_at", "comment", "preset", "tags", "consent_osm")
# The optional soundscape part of a noise report (ISO/TS 12913-2), one column a question
# (mapping/soundscape.py); left out of a row's id when empty, so earlier files keep theirs.
SOUNDSCAPE_COLUMNS = ("pleasant", "chaotic", "vibrant", "uneventful", "calm", "annoying",
                      "eventful", "monotonous", "loudness", "overall")
ALL_COLUMNS = COLUMNS + SOUNDSCAPE_COLUMNS
REQUIRED = ("kind", "pseudonym", "latitude", "longitude")
KINDS = {"report": "report", "nuisance": "report", "signalement": "report",
         "feature": "feature", "objet": "feature", "élément": "feature"}
YES = {"yes", "y", "oui", "o", "1", "true", "vrai", "x"}
NO = {"", "no", "n", "non", "0", "false", "faux"}
# A cell starting with one of these is run as a formula by spreadsheet software (CSV
# injection): refused rather than stored, since the row would export back into a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M",
                "%d/%m/%Y %Hh%M", "%d/%m/%Y")
MAX_ROWS = 5000
MAX_NAMED = 20  # unknown columns named in the message, at most


class CellError(ValueError):
    """A cell cannot be read; ``column`` says which."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class Sheet:
    """A decoded, split file: its encoding, header problems and data rows by line number."""

    encoding: str
    header_errors: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding used: UTF-8 (BOM or not), else Windows-1252.

    Spreadsheets on French Windows save "CSV" in Windows-1252 (a superset of Latin-1):
    accents are read right instead of refusing the file.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def split(text: str) -> Sheet:
    """Split a CSV text (``,``, ``;`` or tab separated) into rows keyed by column name."""
    sheet = Sheet(encoding="")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        sheet.header_errors.append("The file is empty.")
        return sheet
    except csv.Error as exc:  # a cell over csv's field size limit (128 KiB), an odd quote
        sheet.header_errors.append(f"Line 1 cannot be read as CSV: {exc}.")
        return sheet
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        sheet.header_errors.append(
            f"Missing column(s): {', '.join(missing)}. Expected columns: {', '.join(COLUMNS)}.")
    unknown = [h for h in header if h and h not in ALL_COLUMNS]
    if unknown:
        more = f" (and {len(unknown) - MAX_NAMED} more)" if len(unknown) > MAX_NAMED else ""
        sheet.header_errors.append(
            f"Unknown column(s): {', '.join(u[:40] for u in unknown[:MAX_NAMED])}{more}.")
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(sheet.rows) >= MAX_ROWS:
                sheet.header_errors.append(f"More than {MAX_ROWS} rows: split the file.")
                break
            row = {name: (values[i].strip() if i < len(values) else "")
                   for i, name in enumerate(header) if name}
            sheet.rows.append((reader.line_num, row))
    except csv.Error as exc:
        sheet.header_errors.append(f"Line {reader.line_num} cannot be read as CSV: {exc}.")
    if not sheet.rows and not sheet.header_errors:
        sheet.header_errors.append("The file has a header but no rows: nothing to import.")
    return sheet


def check_formula(row: dict[str, str]) -> None:
    """CellError for the first text cell that a spreadsheet would run as a formula."""
    for column, value in row.items():
        if column in ("latitude", "longitude"):
            continue  # numbers, may be negative; parse_number refuses formulas there
        if value.startswith(FORMULA_START):
            msg = f"{value[:20]!r} looks like a spreadsheet formula; type the value itself."
            raise CellError(column, msg)


def parse_number(raw: str, column: str) -> float:
    """A decimal number, with a point or a French decimal comma."""
    try:
        value = float(raw.replace(",", ".").replace(" ", ""))
    except ValueError:
        msg = f"{raw!r} is not a number."
        raise CellError(column, msg) from None
    if not math.isfinite(value):
        msg = f"{raw!r} is not a finite number."
        raise CellError(column, msg)
    return value


def parse_position(row: dict[str, str]) -> tuple[float, float]:
    """(longitude, latitude) in WGS84 degrees, with a hint when they look swapped."""
    lat = parse_number(row.get("latitude", ""), "latitude")
    lon = parse_number(row.get("longitude", ""), "longitude")
    if not -90 <= lat <= 90:
        msg = f"Latitude {lat} is out of range (-90 to 90): latitude and longitude swapped?"
        raise CellError("latitude", msg)
    if not -180 <= lon <= 180:
        msg = f"Longitude {lon} is out of range (-180 to 180)."
        raise CellError("longitude", msg)
    return lon, lat


def parse_kind(raw: str) -> str:
    """``report`` or ``feature`` (French words accepted)."""
    kind = KINDS.get(raw.strip().lower())
    if kind is None:
        msg = f"{raw!r}: kind must be 'report' (nuisance) or 'feature'."
        raise CellError("kind", msg)
    return kind


def parse_intensity(raw: str) -> int:
    """1 to 5."""
    if not re.fullmatch(r"[1-5]", raw.strip()):
        msg = f"{raw!r}: intensity is a whole number from 1 to 5."
        raise CellError("intensity", msg)
    return int(raw)


def parse_when(raw: str, time_zone: str) -> dt.datetime:
    """A local date and time (``2026-11-25 21:30`` or ``25/11/2026 21:30``) → aware datetime."""
    text = raw.strip()
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for fmt in DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        msg = f"{raw!r}: write the date and time as 2026-11-25 21:30 or 25/11/2026 21:30."
        raise CellError("observed_at", msg)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(time_zone))


def parse_list(raw: str) -> list[str]:
    """``road|works`` → ``["road", "works"]``."""
    return [part.strip() for part in re.split(r"[|/]", raw) if part.strip()]


def parse_tags(raw: str) -> dict[str, str]:
    """``amenity=bench|backrest=yes`` → a dict."""
    tags: dict[str, str] = {}
    for part in parse_list(raw):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            msg = f"{part!r}: tags are written key=value, separated by |."
            raise CellError("tags", msg)
        tags[key.strip()] = value.strip()
    return tags


def parse_yes(raw: str, column: str) -> bool:
    """yes/no in English or French."""
    value = raw.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    msg = f"{raw!r}: write yes or no."
    raise CellError(column, msg)


def parse_soundscape(row: dict[str, str]) -> dict[str, int] | None:
    """The soundscape answers of a row (each 1–5), None when every soundscape cell is empty.

    >>> parse_soundscape({"calm": "4", "pleasant": ""}) == {"calm": 4}
    True
    """
    answers = {}
    for column in SOUNDSCAPE_COLUMNS:
        raw = row.get(column, "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= 5:
            msg = f"{raw!r}: {column} is a whole number from 1 to 5."
            raise CellError(column, msg)
        answers[column] = int(raw)
    return answers or None


def template_csv() -> str:
    """The header of the template, ``;``-separated as French spreadsheets expect."""
    return ";".join(ALL_COLUMNS) + "\r\n"
