"""Sensor.Community DNMS CSV files, streamed, and what every CSV importer shares (pure).

DNMS archive files (``archive.sensor.community/…_laerm_sensor_<id>.csv``, ``;``-separated):
the columns are :data:`DNMS_COLUMNS` (documented in docs/acoustics.md §8.2); ``.csv.gz``
files are read through gzip. The generic station CSV is :mod:`layers.importers.station_csv`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from layers.importers.limits import ImportLimits, chunks, open_binary
from layers.importers.records import (
    BATCH_ROWS,
    ImportFormatError,
    Parsed,
    ReadingBatch,
    ReadingRecord,
    RowError,
    SensorRecord,
    check_level,
    check_lon_lat,
    parse_number,
)

DNMS_COLUMNS = ("sensor_id", "sensor_type", "location", "lat", "lon", "timestamp", "noise_LAeq",
                "noise_LA_min", "noise_LA_max")
DNMS_OPTIONAL = {"noise_LA_min": "LAmin", "noise_LA_max": "LAmax"}
# airRohr firmware's default polling interval, s: the duration of a lone DNMS row.
DNMS_DEFAULT_INTERVAL_S = 145.0
DEFAULT_LIMITS = ImportLimits()
UNITS = {"dB(A)": ("LAeq", "LAmin", "LAmax", "LA10", "LA50", "LA90"),
         "µg/m³": ("PM2.5", "PM10"), "ug/m3": ("PM2.5", "PM10")}


def _encoding(path: Path, limits: ImportLimits) -> str:
    """``utf-8-sig`` when the whole file is UTF-8, else ``cp1252`` (Excel's "CSV" in France),
    or ``latin-1`` when even cp1252 cannot decode it (it decodes any byte)."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in chunks(path, limits):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def csv_rows(path: Path, delimiter: str, parsed: Parsed, limits: ImportLimits,
             ) -> tuple[list[str], Iterator[list[str]]]:
    """Header and data rows, streamed; a file that is not UTF-8 is read as cp1252 with a
    note, a ``.gz`` file through gzip (both bounded by ``limits``)."""
    limits.check_file(path)
    encoding = _encoding(path, limits)
    if encoding != "utf-8-sig":
        parsed.notes.append(f"{path.name}: not UTF-8, read as {encoding}")

    def lines() -> Iterator[list[str]]:
        with io.TextIOWrapper(open_binary(path, limits), encoding=encoding, newline="") as text:
            yield from csv.reader(text, delimiter=delimiter)

    reader = lines()
    try:
        header = next(reader, None)
    except csv.Error as exc:
        msg = f"{path.name}: not a CSV ({exc})"
        raise ImportFormatError(msg) from None
    if header is None:
        msg = f"{path.name}: empty file"
        raise ImportFormatError(msg)
    return [h.strip() for h in header], reader


def _no_nul(row: list[str]) -> list[str]:
    if any("\x00" in cell for cell in row):
        msg = "NUL byte in the row"
        raise ValueError(msg)
    return row


def _utc(raw: str, *, naive_is_utc: bool) -> dt.datetime:
    moment = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        if not naive_is_utc:
            msg = f"time {raw!r} has no UTC offset"
            raise ValueError(msg)
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past datetime.max in UTC
        msg = f"time {raw!r} out of range"
        raise ValueError(msg) from None


def _median(counts: Counter[float]) -> float | None:
    """The median of values given as counts (the lower middle value for an even total)."""
    total = sum(counts.values())
    if not total:
        return None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if 2 * seen >= total:
            return value
    return None  # pragma: no cover — the loop always returns


def _dnms_row(row: list[str], col: dict[str, int]) -> tuple[str, dt.datetime, float, float,
                                                             dict[str, float]]:
    """(sensor id, interval end UTC, lon, lat, {quantity: dB(A)}) of a DNMS row; ValueError
    or IndexError when unreadable."""
    sensor_id = _no_nul(row)[col["sensor_id"]].strip()
    lat, lon = parse_number(row[col["lat"]]), parse_number(row[col["lon"]])
    end = _utc(row[col["timestamp"]], naive_is_utc=True)
    values = {"LAeq": parse_number(row[col["noise_LAeq"]])}
    for column, quantity in DNMS_OPTIONAL.items():
        try:
            values[quantity] = parse_number(row[col[column]])
        except (IndexError, ValueError):
            continue
    return sensor_id, end, lon, lat, values


def _usual_gaps(path: Path, limits: ImportLimits, col: dict[str, int]) -> dict[str, float]:
    """First pass: each sensor's median gap between rows (s), from counts of gaps, so that
    memory does not grow with the file."""
    gaps: dict[str, Counter[float]] = {}
    previous: dict[str, dt.datetime] = {}
    _, reader = csv_rows(path, ";", Parsed(format="dnms"), limits)
    for row in reader:
        try:
            sensor_id, end, *_ = _dnms_row(row, col)
        except (IndexError, ValueError):
            continue
        if sensor_id in previous and end > previous[sensor_id]:
            gaps.setdefault(sensor_id, Counter())[(end - previous[sensor_id]).total_seconds()] += 1
        previous[sensor_id] = end
    return {sid: usual for sid, counts in gaps.items() if (usual := _median(counts))}


def parse_dnms(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> Parsed:
    """Parse a Sensor.Community ``…_laerm_sensor_<id>.csv`` (``;``-separated) file, streamed.

    Each row is the LAeq over the polling interval ending at ``timestamp`` (ISO 8601 without
    offset, read as UTC). The interval is the gap to the sensor's previous row, rows being
    in time order per sensor as the archive writes them; the first row, a row after a gap
    longer than twice the sensor's median gap, and a row going back in time get the median
    gap (or :data:`DNMS_DEFAULT_INTERVAL_S` for a lone row) and the flag
    ``duration_estimated``. A repeated time is refused. Readings: LAeq (and LAmin/LAmax when
    present), dB(A), ``measured_at`` = interval start. One fixed sensor per ``sensor_id``,
    code ``dnms:<id>``, placed at its first valid row. Two passes over the file (the median
    gap first); readings come in batches (:attr:`Parsed.stream`).
    """
    parsed = Parsed(format="dnms")
    header, _ = csv_rows(path, ";", parsed, limits)
    missing = [c for c in DNMS_COLUMNS if c not in header]
    if missing:
        msg = f"{path.name}: not a DNMS CSV, missing column(s) {', '.join(missing)}"
        raise ImportFormatError(msg)
    col = {name: header.index(name) for name in header}
    usual = _usual_gaps(path, limits, col)
    parsed.stream = _dnms_batches(path, limits, col, usual, parsed)
    return parsed


def _dnms_batches(path: Path, limits: ImportLimits, col: dict[str, int],
                  usual: dict[str, float], parsed: Parsed) -> Iterator[ReadingBatch]:
    _, reader = csv_rows(path, ";", Parsed(format="dnms"), limits)
    previous: dict[str, dt.datetime] = {}
    records: list[ReadingRecord] = []
    new_sensors: list[SensorRecord] = []
    for number, row in enumerate(reader, start=1):
        parsed.rows += 1
        try:
            sensor_id, end, lon, lat, values = _dnms_row(row, col)
        except (IndexError, ValueError) as exc:
            parsed.errors.append(RowError(path.name, number, f"unreadable row: {exc}"))
            continue
        reason = (check_lon_lat(lon, lat) or check_level(values["LAeq"])
                  or (None if sensor_id else "no sensor_id"))
        if reason:
            parsed.errors.append(RowError(path.name, number, reason))
            continue
        code = f"dnms:{sensor_id}"
        if sensor_id not in previous:
            sensor = SensorRecord(code=code, deployment="fixed", source="dnms",
                                  name=f"DNMS {sensor_id}", lon=lon, lat=lat,
                                  metadata={"file": path.name})
            parsed.sensors.append(sensor)
            new_sensors.append(sensor)
        before = previous.get(sensor_id)
        gap = None if before is None else (end - before).total_seconds()
        if gap == 0:
            parsed.errors.append(RowError(path.name, number, f"time {end.isoformat()} repeated"))
            continue
        typical = usual.get(sensor_id, DNMS_DEFAULT_INTERVAL_S)
        estimated = gap is None or gap < 0 or gap > 2 * typical
        duration = typical if estimated else float(gap)  # type: ignore[arg-type]
        previous[sensor_id] = end
        start = end - dt.timedelta(seconds=duration)
        flags = ("duration_estimated",) if estimated else ()
        records.extend(ReadingRecord(code, start, duration, quantity, value, "dB(A)", flags=flags)
                       for quantity, value in values.items())
        if len(records) >= BATCH_ROWS:
            yield ReadingBatch.of(records, tuple(new_sensors))
            records, new_sensors = [], []
    if records or new_sensors:
        yield ReadingBatch.of(records, tuple(new_sensors))
