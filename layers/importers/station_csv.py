"""Cartoparty's generic station CSV, streamed and checked a batch at a time (pure).

Format (docs/acoustics.md §8.3): UTF-8, comma-separated, decimal point, one row per
interval; columns ``station_id, start, duration_s, lat, lon`` and either ``laeq_db`` (with
optional ``la_min_db, la_max_db, la10_db, la50_db, la90_db``) or ``quantity, value, unit``;
``start`` is ISO 8601 **with** its UTC offset. Natural key: station + start + quantity.

A million rows are read in seconds: each batch of rows is converted and checked as numpy
columns; only the rows a check refuses go through :func:`_row`, row by row, which gives
the same answer for any row (and the reason of a refusal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import islice
from operator import itemgetter
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from layers.importers.csv_formats import UNITS, _no_nul, _utc, csv_rows
from layers.importers.limits import ImportLimits
from layers.importers.records import (
    BATCH_ROWS,
    CONCENTRATION_RANGE,
    LEVEL_RANGE_DB,
    MAX_DURATION_S,
    ImportFormatError,
    Parsed,
    ReadingBatch,
    ReadingRecord,
    RowError,
    SensorRecord,
    check_concentration,
    check_duration,
    check_level,
    check_lon_lat,
    parse_number,
)

STATION_OPTIONAL = {"la_min_db": "LAmin", "la_max_db": "LAmax", "la10_db": "LA10",
                    "la50_db": "LA50", "la90_db": "LA90"}
REQUIRED = ("station_id", "start", "duration_s", "lat", "lon")
DEFAULT_LIMITS = ImportLimits()
LATEST = pd.Timestamp(dt.datetime.max.replace(tzinfo=dt.UTC))
UNIT_OF = {q: unit for unit, quantities in UNITS.items() if unit != "ug/m3" for q in quantities}


def _columns(path: Path, header: list[str]) -> tuple[dict[str, int], bool]:
    long_form = "laeq_db" not in header
    required = [*REQUIRED, *(("quantity", "value", "unit") if long_form else ("laeq_db",))]
    missing = [c for c in required if c not in header]
    if missing:
        msg = (f"{path.name}: missing column(s) {', '.join(missing)}; a station CSV has "
               f"{', '.join(REQUIRED)} and either laeq_db (dB(A)) or quantity, value, unit "
               "(docs/acoustics.md §8.3)")
        raise ImportFormatError(msg)
    return {name: header.index(name) for name in header}, long_form


def parse_station_csv(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> Parsed:
    """Parse the generic station CSV (module docstring), streamed in batches.

    Returns a :class:`Parsed` whose ``stream`` yields fixed sensors coded
    ``station:<station_id>`` (placed at their first valid row, with the batch that meets
    them) and one reading per row and quantity; refused rows (missing or unreadable column,
    time without offset, duration outside (0, 1 day], implausible level, unknown unit) are
    ``errors`` with their 1-based data row number. A ``.csv.gz`` file is read through gzip.
    """
    parsed = Parsed(format="station")
    header, reader = csv_rows(path, ",", parsed, limits)
    col, long_form = _columns(path, header)
    parsed.stream = _batches(path.name, reader, col, long_form, parsed)
    return parsed


def _batches(name: str, reader: Iterator[list[str]], col: dict[str, int], long_form: bool,
             parsed: Parsed) -> Iterator[ReadingBatch]:
    placed: set[str] = set()
    first_row = 1
    while rows := list(islice(reader, BATCH_ROWS)):
        parsed.rows += len(rows)
        frames, sensors = _batch(name, rows, first_row, col, long_form, parsed, placed)
        first_row += len(rows)
        parsed.sensors.extend(sensors)
        yield ReadingBatch(pd.concat(frames, ignore_index=True) if frames else
                           ReadingBatch.of([]).frame, tuple(sensors))


def _numbers(values: Sequence[str]) -> npt.NDArray[np.float64]:
    """Floats of text cells; NaN for an empty or unreadable one (checked again row by row,
    which also reads what this does not: decimal commas)."""
    try:
        return np.array(values, dtype=np.float64)  # every cell a number: numpy's C parser
    except ValueError:
        return np.array(pd.to_numeric(pd.Series(values, dtype=object), errors="coerce"
                                      ).to_numpy(dtype=np.float64, na_value=np.nan))


def _has_offset(texts: npt.NDArray[np.str_]) -> npt.NDArray[np.bool_]:
    """Whether each ISO 8601 text ends with ``Z`` or ``±HH:MM`` after a time of day (the
    documented forms; any other is decided row by row)."""
    last = np.strings.slice(texts, -1, None)
    sign = np.strings.slice(texts, -6, -5)
    colon = np.strings.slice(texts, -3, -2)
    timed = np.strings.find(texts, ":") > 10  # a time of day after the date
    offset = np.isin(last, ["Z", "z"]) | (np.isin(sign, ["+", "-"]) & (colon == ":"))
    return np.asarray(timed & offset, dtype=bool)


def _in(values: npt.NDArray[np.float64], low: float, high: float) -> npt.NDArray[np.bool_]:
    return (values >= low) & (values <= high)  # NaN is outside


def _batch(
    name: str, rows: list[list[str]], first_row: int, col: dict[str, int], long_form: bool,
    parsed: Parsed, placed: set[str],
) -> tuple[list[pd.DataFrame], list[SensorRecord]]:
    """The readings and newly met sensors of one batch of rows."""
    width = max(col.values()) + 1
    fast = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)) >= width
    full = rows if fast.all() else [r + [""] * (width - len(r)) for r in rows]
    cell = {c: list(map(itemgetter(i), full)) for c, i in col.items()}  # "": no cell
    for texts_of_column in cell.values():  # NUL: rare, refused with its reason row by row
        if "\x00" in "".join(texts_of_column):
            fast &= np.array(["\x00" not in v for v in texts_of_column])
    station = pd.Series(cell["station_id"], dtype=object).str.strip()
    lon, lat = _numbers(cell["lon"]), _numbers(cell["lat"])
    duration = _numbers(cell["duration_s"])
    texts = np.array(cell["start"], dtype=np.str_)
    start = pd.to_datetime(pd.Series(texts), format="ISO8601", utc=True,
                           errors="coerce").dt.as_unit("us")
    fast &= (station.str.len() > 0).to_numpy() & _has_offset(texts)
    fast &= start.notna().to_numpy() & (start <= LATEST).to_numpy()  # Python datetimes end there
    fast &= _in(lon, -180, 180) & _in(lat, -90, 90)
    fast &= ~((lon == 0) & (lat == 0)) & (duration > 0) & (duration <= MAX_DURATION_S)
    values: dict[str, npt.NDArray[np.float64]] = {}
    if long_form:
        quantity = pd.Series(cell["quantity"], dtype=object).str.strip()
        unit = pd.Series(cell["unit"], dtype=object).str.strip()
        value = _numbers(cell["value"])
        fits = np.array([UNIT_OF.get(q) == u for q, u in zip(quantity, unit, strict=True)])
        level = (unit == "dB(A)").to_numpy()
        fast &= fits & np.where(level, _in(value, *LEVEL_RANGE_DB),
                                _in(value, *CONCENTRATION_RANGE))
    else:
        values["LAeq"] = _numbers(cell["laeq_db"])
        fast &= _in(values["LAeq"], *LEVEL_RANGE_DB)
        for column, q in STATION_OPTIONAL.items():
            if column in col:
                values[q] = _numbers(cell[column])
                given = np.strings.str_len(np.strings.strip(np.array(cell[column],
                                                                     dtype=np.str_))) > 0
                fast &= ~given | _in(values[q], *LEVEL_RANGE_DB)
                values[q][~given] = np.nan
    good = np.flatnonzero(fast)
    frames: list[pd.DataFrame] = []
    codes = ("station:" + station).to_numpy(dtype=object)
    none = np.full(good.size, np.nan)  # a station's readings have no point of their own
    base = {"sensor_code": codes[good], "measured_at": start.array[good],
            "duration_s": duration[good], "lon": none, "lat": none, "accuracy_m": none}
    if long_form:
        frames.append(pd.DataFrame({**base, "quantity": quantity.to_numpy()[good],
                                    "value": value[good], "unit": unit.to_numpy()[good]}))
        frames[-1]["unit"] = frames[-1]["unit"].replace("ug/m3", "µg/m³")
    else:
        for q, v in values.items():
            keep = ~np.isnan(v[good])
            frames.append(pd.DataFrame({k: c[keep] for k, c in base.items()}
                                       | {"quantity": q, "value": v[good][keep],
                                          "unit": "dB(A)"}))
    # The first good row of each station in the batch (file order), where it is placed.
    names = station.to_numpy(dtype=object)
    _, first = np.unique(names[good].astype(str), return_index=True)
    places: dict[int, tuple[str, float, float]] = {
        int(i): (names[i], float(lon[i]), float(lat[i])) for i in good[first]}
    slow: list[ReadingRecord] = []
    for i in np.flatnonzero(~fast):
        number = first_row + int(i)
        try:
            found = _row(rows[i], col, long_form)
        except (IndexError, ValueError) as exc:
            parsed.errors.append(RowError(name, number, f"unreadable row: {exc}"))
            continue
        if isinstance(found, str):
            parsed.errors.append(RowError(name, number, found))
            continue
        sid, x, y, records = found
        places[int(i)] = (sid, x, y)
        slow.extend(records)
    if slow:
        frames.append(ReadingBatch.of(slow).frame)
    for frame in frames:
        frame["flags"] = [()] * len(frame)
    sensors = []
    for row in sorted(places):  # file order: a station is placed at its first valid row
        sid, x, y = places[row]
        if sid not in placed:
            placed.add(sid)
            sensors.append(SensorRecord(code=f"station:{sid}", deployment="fixed",
                                        source="station", name=sid, lon=x, lat=y,
                                        metadata={"file": name}))
    return [f for f in frames if len(f)], sensors


def _row(row: list[str], col: dict[str, int], long_form: bool,
         ) -> tuple[str, float, float, list[ReadingRecord]] | str:
    """One row the batch checks refused: its station, place and readings, or why it is
    refused (IndexError/ValueError when a cell is unreadable)."""
    station = _no_nul(row)[col["station_id"]].strip()
    start: dt.datetime = _utc(row[col["start"]], naive_is_utc=False)
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
    quantity = next(iter(values))
    reason = (None if station else "no station_id") or check_lon_lat(lon, lat) or (
        check_duration(duration)) or (
        None if quantity in UNITS.get(unit, ()) else f"unit {unit!r} does not fit {quantity!r}")
    if reason is None:
        check = check_level if unit == "dB(A)" else check_concentration
        reason = next(filter(None, (check(v) for v in values.values())), None)
    if reason:
        return reason
    unit = "µg/m³" if unit == "ug/m3" else unit
    code = f"station:{station}"
    return station, lon, lat, [ReadingRecord(code, start, duration, q, v, unit)
                               for q, v in values.items()]
