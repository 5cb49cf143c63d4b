"""Soundscape survey CSVs (ISO/TS 12913-2 answers beside on-the-spot levels), pure.

Format: docs/acoustics.md §8.6. One row per answer: a site, a record id, coordinates when
the survey has them, the eight perceived affective attributes (1–5), perceived loudness and
overall quality (1–5), the LAeq (and other levels) recorded on the spot, and the time. Our
own column names are accepted, and those of the International Soundscape Database / SSID
protocol exports (``LocationID``, ``RecordID``, ``GroupID``, ``start_time``, ``latitude``,
``loud``, ``Overall``, ``RecordingLength``, ``LAeq_L(A)(dB(SPL))``…).

The parser keeps answers as :class:`SoundscapeRecord`; where they are placed (their own
coordinates, or the event's site of that name) is decided by the import service, which then
turns the recordings into spot sensors with :func:`survey_measurements`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from layers.importers.limits import ImportLimits
from layers.importers.records import (
    ImportFormatError,
    Parsed,
    ReadingRecord,
    RowError,
    SensorRecord,
    check_duration,
    check_level,
    check_lon_lat,
    parse_number,
)
from mapping.soundscape import PAQ_ATTRIBUTES, SoundscapeInvalid, check_scale

DEFAULT_LIMITS = ImportLimits()
# A recording without a stated duration: one minute, flagged ``duration_estimated``.
DEFAULT_RECORDING_S = 60.0
MAX_KEY = 60

# Column of each field: our name first, then the ISD / SSID export's. Matched without case.
COLUMNS: dict[str, tuple[str, ...]] = {
    "site": ("site_id", "site", "locationid", "location_id"),
    "record": ("record_id", "recordid"),
    "recording": ("recording_id", "groupid", "group_id"),
    "participant": ("participant", "participant_id"),
    "time": ("time", "start", "start_time", "observed_at"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "longitude"),
    **{name: (name, f"paq{i}") for i, name in enumerate(PAQ_ATTRIBUTES, start=1)},
    "loudness": ("loudness", "loud", "perceived_loudness", "perceived_loud"),
    "overall": ("overall", "overall_quality"),
    "recording_s": ("recording_s", "recordinglength", "duration_s"),
    "laeq_db": ("laeq_db", "laeq", "laeq_l(a)(db(spl))"),
    "la10_db": ("la10_db",),
    "la50_db": ("la50_db",),
    "la90_db": ("la90_db",),
}
LEVELS = {"laeq_db": "LAeq", "la10_db": "LA10", "la50_db": "LA50", "la90_db": "LA90"}
# Day-first times without offset, as the ISD writes them ("02/05/2019 11:40").
DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


@dataclass(frozen=True)
class SoundscapeRecord:
    """One answer of a soundscape survey.

    ``paq`` holds the eight attributes (None: unanswered); ``observed_at`` is aware, or
    naive when the file gave a local time without offset (the service reads it in the
    event's time zone); ``recording`` names the recording the answer stood beside (several
    answers may share one), ``levels`` its quantities (``LAeq``…, dB(A)).
    """

    row: int
    site: str
    record_id: str
    recording: str
    group: str
    observed_at: dt.datetime
    lon: float | None
    lat: float | None
    paq: tuple[int | None, ...]
    loudness: int | None
    overall: int | None
    levels: dict[str, float]
    recording_s: float | None

    @property
    def key(self) -> str:
        """Stable across re-imports: the report's id derives from it."""
        return f"soundscape:{self.site}:{self.record_id}"

    @property
    def sensor_code(self) -> str:
        """The spot sensor of the recording beside the answer."""
        return f"soundscape:{self.site or '-'}:{self.recording}"


def is_soundscape_header(header: Sequence[str]) -> bool:
    """Whether a CSV header names the eight attributes (our names or PAQ1…PAQ8)."""
    names = {h.strip().lower() for h in header}
    return all(any(c in names for c in COLUMNS[a]) for a in PAQ_ATTRIBUTES)


def parse_time(raw: str) -> dt.datetime:
    """ISO 8601 (with offset, or local without), or the ISD's day-first ``DD/MM/YYYY HH:MM``
    (local); ValueError otherwise.

    >>> parse_time("2024-06-21T18:00:00+02:00").utcoffset()
    datetime.timedelta(seconds=7200)
    >>> parse_time("02/05/2019 11:40")
    datetime.datetime(2019, 5, 2, 11, 40)
    """
    text = raw.strip()
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in DAY_FIRST:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    msg = f"time {raw!r} is neither ISO 8601 nor DD/MM/YYYY HH:MM"
    raise ValueError(msg)


def _columns(header: Sequence[str]) -> dict[str, int]:
    lower = [h.strip().lower() for h in header]
    found = {}
    for field_name, names in COLUMNS.items():
        for name in names:
            if name in lower:
                found[field_name] = lower.index(name)
                break
    return found


def _text(row: Sequence[str], cols: dict[str, int], name: str) -> str:
    i = cols.get(name)
    return row[i].strip() if i is not None and i < len(row) else ""


def _number(row: Sequence[str], cols: dict[str, int], name: str) -> float | None:
    raw = _text(row, cols, name)
    if not raw:
        return None
    value = parse_number(raw)
    if not math.isfinite(value):
        msg = f"{name} {raw!r} is not a number"
        raise ValueError(msg)
    return value


def _scale(row: Sequence[str], cols: dict[str, int], name: str) -> int | None:
    value = _number(row, cols, name)
    return None if value is None else check_scale(value, name)


def _row(number: int, row: Sequence[str], cols: dict[str, int]) -> SoundscapeRecord:
    """One answer; ValueError (the reason) when the row cannot be kept."""
    record_id = _text(row, cols, "record")
    if not record_id:
        msg = "no record id"
        raise ValueError(msg)
    site = _text(row, cols, "site")
    if len(record_id) > MAX_KEY or len(site) > MAX_KEY:
        msg = f"site and record id have at most {MAX_KEY} characters"
        raise ValueError(msg)
    raw_time = _text(row, cols, "time")
    if not raw_time:
        msg = f"record {record_id}: no time"
        raise ValueError(msg)
    when = parse_time(raw_time)
    lon, lat = _number(row, cols, "lon"), _number(row, cols, "lat")
    if (lon is None) != (lat is None):
        msg = f"record {record_id}: give both lat and lon, or neither"
        raise ValueError(msg)
    if lon is not None and lat is not None and (reason := check_lon_lat(lon, lat)):
        raise ValueError(f"record {record_id}: {reason}")
    if lon is None and not site:
        msg = f"record {record_id}: neither coordinates nor a site"
        raise ValueError(msg)
    try:
        paq = tuple(_scale(row, cols, name) for name in PAQ_ATTRIBUTES)
        loudness = _scale(row, cols, "loudness")
        overall = _scale(row, cols, "overall")
    except SoundscapeInvalid as exc:
        raise ValueError(f"record {record_id}: {exc}") from None
    if all(v is None for v in paq):
        msg = f"record {record_id}: none of the eight attributes is answered"
        raise ValueError(msg)
    levels = {}
    for column, quantity in LEVELS.items():
        value = _number(row, cols, column)
        if value is not None:
            if reason := check_level(value):
                raise ValueError(f"record {record_id}: {column} {reason}")
            levels[quantity] = value
    seconds = _number(row, cols, "recording_s")
    if seconds is not None and (reason := check_duration(seconds)):
        raise ValueError(f"record {record_id}: recording_s {reason}")
    recording = _text(row, cols, "recording") or f"{raw_time}"
    group = _text(row, cols, "participant") or recording
    return SoundscapeRecord(
        row=number,
        site=site,
        record_id=record_id,
        recording=recording,
        group=f"Survey {site or 'point'} {group}"[:40],
        observed_at=when,
        lon=lon,
        lat=lat,
        paq=paq,
        loudness=loudness,
        overall=overall,
        levels=levels,
        recording_s=seconds,
    )


def parse_soundscape(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> Parsed:
    """Parse a survey CSV into :class:`SoundscapeRecord` (``Parsed.soundscape``) and row errors.

    Rows refused, each with its number and reason: no record id or time, a value off the
    1–5 scale, implausible levels or coordinates, no place (neither coordinates nor a site),
    no attribute answered (e.g. a lockdown recording without respondent). Noted: answers
    whose end comes before their start (the start is kept), repeated record ids (the first
    is kept).
    """
    limits.check_in_memory(path)  # read whole: a survey is small
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None or not is_soundscape_header(header):
        msg = (
            f"{path.name}: not a soundscape survey (needs the eight attributes "
            f"{', '.join(PAQ_ATTRIBUTES)} as columns)"
        )
        raise ImportFormatError(msg)
    cols = _columns(header)
    if "record" not in cols or "time" not in cols:
        msg = f"{path.name}: a soundscape survey needs record_id and time columns"
        raise ImportFormatError(msg)
    parsed = Parsed(format="soundscape")
    seen: set[str] = set()
    end_col = next((i for i, h in enumerate(header) if h.strip().lower() == "end_time"), None)
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        parsed.rows += 1
        try:
            record = _row(number, row, cols)
        except ValueError as exc:
            parsed.errors.append(RowError(path.name, number, str(exc)))
            continue
        if record.key in seen:
            parsed.errors.append(
                RowError(path.name, number, f"record {record.record_id}: repeated, first kept")
            )
            continue
        seen.add(record.key)
        if end_col is not None and end_col < len(row) and row[end_col].strip():
            try:
                if parse_time(row[end_col]) < record.observed_at:
                    parsed.notes.append(
                        f"{path.name} row {number} (record {record.record_id}):"
                        " end_time before start_time; start kept"
                    )
            except (ValueError, TypeError):
                pass
        parsed.soundscape.append(record)
    return parsed


def localised(record: SoundscapeRecord, zone: ZoneInfo) -> SoundscapeRecord:
    """``record`` with a naive time read in ``zone`` (DST-aware), UTC."""
    when = record.observed_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return replace(record, observed_at=when.astimezone(dt.UTC))


def placed(record: SoundscapeRecord, lon: float, lat: float) -> SoundscapeRecord:
    """``record`` at the place of its site."""
    return replace(record, lon=lon, lat=lat)


def survey_measurements(
    records: Sequence[SoundscapeRecord],
) -> tuple[list[SensorRecord], list[ReadingRecord]]:
    """The spot sensors and readings of the recordings beside placed, aware ``records``: one
    sensor per recording (at its first answer's place), its levels at its earliest answer's
    time, over ``recording_s`` (else :data:`DEFAULT_RECORDING_S`, flag ``duration_estimated``)."""
    firsts: dict[str, SoundscapeRecord] = {}
    for record in records:
        if not record.levels or record.lon is None or record.observed_at.tzinfo is None:
            continue
        known = firsts.get(record.sensor_code)
        if known is None or record.observed_at < known.observed_at:
            firsts[record.sensor_code] = record
    sensors: list[Any] = []
    readings: list[Any] = []
    for code, record in firsts.items():
        seconds = record.recording_s or DEFAULT_RECORDING_S
        flags = () if record.recording_s else ("duration_estimated",)
        sensors.append(
            SensorRecord(
                code=code,
                deployment="spot",
                source="soundscape",
                name=f"{record.site} {record.recording}".strip(),
                lon=record.lon,
                lat=record.lat,
                metadata={"recording_s": seconds, "survey_site": record.site},
            )
        )
        readings.extend(
            ReadingRecord(
                code,
                record.observed_at,
                seconds,
                quantity,
                value,
                "dB(A)",
                record.lon,
                record.lat,
                None,
                flags,
            )
            for quantity, value in record.levels.items()
        )
    return sensors, readings
