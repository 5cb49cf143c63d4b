"""Sensor.Community DNMS daily CSV and Cartoparty's generic station CSV (pure).

Generic station CSV (README "Measurements"): UTF-8, comma-separated, decimal point, one row
per interval, columns ``station_id, start, duration_s, lat, lon`` and either ``laeq_db`` (with
optional ``la_min_db, la_max_db, la10_db, la50_db, la90_db``) or ``quantity, value, unit``.
``start`` is ISO 8601 **with** its UTC offset. Natural key: station + start + quantity.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import statistics
from collections.abc import Iterator
from pathlib import Path

from layers.importers.records import (
    ImportFormatError,
    Parsed,
    ReadingRecord,
    RowError,
    SensorRecord,
    check_concentration,
    check_duration,
    check_level,
    check_lon_lat,
    parse_number,
)

DNMS_COLUMNS = ("sensor_id", "sensor_type", "location", "lat", "lon", "timestamp", "noise_LAeq",
                "noise_LA_min", "noise_LA_max")
DNMS_OPTIONAL = {"noise_LA_min": "LAmin", "noise_LA_max": "LAmax"}
# airRohr firmware's default polling interval, s: the duration of a lone DNMS row.
DNMS_DEFAULT_INTERVAL_S = 145.0
STATION_OPTIONAL = {"la_min_db": "LAmin", "la_max_db": "LAmax", "la10_db": "LA10",
                    "la50_db": "LA50", "la90_db": "LA90"}
UNITS = {"dB(A)": ("LAeq", "LAmin", "LAmax", "LA10", "LA50", "LA90"),
         "µg/m³": ("PM2.5", "PM10"), "ug/m3": ("PM2.5", "PM10")}
MAX_CSV_BYTES = 512 * 1024 * 1024


def _encoding(path: Path) -> str:
    """``utf-8-sig`` when the whole file is UTF-8, else ``cp1252`` (Excel's "CSV" in France),
    or ``latin-1`` when even cp1252 cannot decode it (it decodes any byte)."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _rows(path: Path, delimiter: str, parsed: Parsed) -> tuple[list[str], Iterator[list[str]]]:
    """Header and data rows; a file that is not UTF-8 is read as cp1252 with a note."""
    if path.stat().st_size > MAX_CSV_BYTES:
        msg = f"{path.name}: larger than {MAX_CSV_BYTES} bytes: split it"
        raise ImportFormatError(msg)
    encoding = _encoding(path)
    if encoding != "utf-8-sig":
        parsed.notes.append(f"{path.name}: not UTF-8, read as {encoding}")

    def lines() -> Iterator[list[str]]:
        with path.open(encoding=encoding, newline="") as handle:
            yield from csv.reader(handle, delimiter=delimiter)

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


def parse_dnms(path: Path) -> Parsed:
    """Parse a Sensor.Community ``…_laerm_sensor_<id>.csv`` (``;``-separated) file.

    Each row is the LAeq over the polling interval ending at ``timestamp`` (ISO 8601 without
    offset, read as UTC). The interval is the gap to the previous row; the first row, and a
    row after a gap longer than twice the median gap, get the median gap (or
    :data:`DNMS_DEFAULT_INTERVAL_S` for a lone row) and the flag ``duration_estimated``.
    Readings: LAeq (and LAmin/LAmax when present), dB(A), ``measured_at`` = interval start.
    One fixed sensor per ``sensor_id``, code ``dnms:<id>``, placed at its first valid row.
    """
    parsed = Parsed(format="dnms")
    header, reader = _rows(path, ";", parsed)
    missing = [c for c in DNMS_COLUMNS if c not in header]
    if missing:
        msg = f"{path.name}: not a DNMS CSV, missing column(s) {', '.join(missing)}"
        raise ImportFormatError(msg)
    col = {name: header.index(name) for name in header}
    good: list[tuple[int, str, dt.datetime, float, float, dict[str, float]]] = []
    for number, row in enumerate(reader, start=1):
        parsed.rows += 1
        try:
            sensor_id = _no_nul(row)[col["sensor_id"]].strip()
            lat, lon = parse_number(row[col["lat"]]), parse_number(row[col["lon"]])
            end = _utc(row[col["timestamp"]], naive_is_utc=True)
            laeq = parse_number(row[col["noise_LAeq"]])
        except (IndexError, ValueError) as exc:
            parsed.errors.append(RowError(path.name, number, f"unreadable row: {exc}"))
            continue
        reason = check_lon_lat(lon, lat) or check_level(laeq) or (None if sensor_id else "no sensor_id")
        if reason:
            parsed.errors.append(RowError(path.name, number, reason))
            continue
        extra = {}
        for column, quantity in DNMS_OPTIONAL.items():
            try:
                extra[quantity] = parse_number(row[col[column]])
            except (IndexError, ValueError):
                continue
        good.append((number, sensor_id, end, lon, lat, {"LAeq": laeq, **extra}))
    good.sort(key=lambda g: (g[1], g[2]))
    for sensor_id in dict.fromkeys(g[1] for g in good):
        rows = [g for g in good if g[1] == sensor_id]
        gaps = [(b[2] - a[2]).total_seconds() for a, b in zip(rows, rows[1:], strict=False)]
        usual = statistics.median([g for g in gaps if g > 0]) if any(g > 0 for g in gaps) else DNMS_DEFAULT_INTERVAL_S
        code = f"dnms:{sensor_id}"
        parsed.sensors.append(SensorRecord(code=code, deployment="fixed", source="dnms",
                                           name=f"DNMS {sensor_id}", lon=rows[0][3], lat=rows[0][4],
                                           metadata={"file": path.name}))
        previous: dt.datetime | None = None
        for number, _sid, end, _lon, _lat, values in rows:
            gap = None if previous is None else (end - previous).total_seconds()
            if gap == 0:
                parsed.errors.append(RowError(path.name, number, f"time {end.isoformat()} repeated"))
                continue
            estimated = gap is None or gap > 2 * usual
            duration = usual if estimated else float(gap)  # type: ignore[arg-type]
            previous = end
            start = end - dt.timedelta(seconds=duration)
            flags = ("duration_estimated",) if estimated else ()
            for quantity, value in values.items():
                parsed.readings.append(ReadingRecord(code, start, duration, quantity, value,
                                                     "dB(A)", flags=flags))
    return parsed


def parse_station_csv(path: Path) -> Parsed:
    """Parse the generic station CSV (module docstring) into fixed sensors and readings.

    Returns fixed sensors coded ``station:<station_id>`` placed at their first valid row and
    one reading per row and quantity; refused rows (missing or unreadable column, time without
    offset, duration ≤ 0, implausible level, unknown unit) are ``errors`` with their 1-based
    data row number.
    """
    parsed = Parsed(format="station")
    header, reader = _rows(path, ",", parsed)
    required = ["station_id", "start", "duration_s", "lat", "lon"]
    long_form = "laeq_db" not in header
    required += ["quantity", "value", "unit"] if long_form else ["laeq_db"]
    missing = [c for c in required if c not in header]
    if missing:
        msg = f"{path.name}: missing column(s) {', '.join(missing)} (see README, station CSV)"
        raise ImportFormatError(msg)
    col = {name: header.index(name) for name in header}
    placed: dict[str, tuple[float, float]] = {}
    for number, row in enumerate(reader, start=1):
        parsed.rows += 1
        try:
            station = _no_nul(row)[col["station_id"]].strip()
            start = _utc(row[col["start"]], naive_is_utc=False)
            duration = parse_number(row[col["duration_s"]])
            lat, lon = parse_number(row[col["lat"]]), parse_number(row[col["lon"]])
            if long_form:
                values = {row[col["quantity"]].strip(): parse_number(row[col["value"]])}
                unit = row[col["unit"]].strip()
            else:
                values, unit = {"LAeq": parse_number(row[col["laeq_db"]])}, "dB(A)"
                for column, quantity in STATION_OPTIONAL.items():
                    if column in col and row[col[column]].strip():
                        values[quantity] = parse_number(row[col[column]])
        except (IndexError, ValueError) as exc:
            parsed.errors.append(RowError(path.name, number, f"unreadable row: {exc}"))
            continue
        quantity = next(iter(values))
        reason = (None if station else "no station_id") or check_lon_lat(lon, lat) or (
            check_duration(duration)) or (
            None if quantity in UNITS.get(unit, ()) else f"unit {unit!r} does not fit {quantity!r}")
        if reason is None:
            check = check_level if unit == "dB(A)" else check_concentration
            reason = next(filter(None, (check(v) for v in values.values())), None)
        if reason:
            parsed.errors.append(RowError(path.name, number, reason))
            continue
        placed.setdefault(station, (lon, lat))
        code = f"station:{station}"
        unit = "µg/m³" if unit == "ug/m3" else unit
        for q, value in values.items():
            parsed.readings.append(ReadingRecord(code, start, duration, q, value, unit))
    parsed.sensors = [SensorRecord(code=f"station:{s}", deployment="fixed", source="station", name=s,
                                   lon=lon, lat=lat, metadata={"file": path.name})
                      for s, (lon, lat) in placed.items()]
    return parsed
