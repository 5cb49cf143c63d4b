"""What every importer parses a file into (pure): sensors, readings, perceived answers, errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mapping.errors import N_

# Readings carrying one of these flags are kept in the database but left out of the overlay,
# which says so with this reason: NoiseCapture's own test/indoor tags, and physically
# impossible rows (LAeq below LA90). docs/acoustics.md §3.4.
LEFT_OUT_FLAGS = {
    "test": N_("tagged “test” in NoiseCapture: a trial recording, not a measurement of the place"),
    "indoor": N_("tagged “indoor” in NoiseCapture: measured inside, not the level outdoors"),
    "laeq_below_la90": N_("LAeq below LA90: physically impossible, a corrupted recording"),
}
EXCLUDED_FLAGS = frozenset(LEFT_OUT_FLAGS)
# Plausible range of a sound level measured outdoors by a phone or a MEMS sensor, dB(A).
LEVEL_RANGE_DB = (0.0, 160.0)
# Plausible range of a particulate concentration (PM2.5, PM10), µg/m³.
CONCENTRATION_RANGE = (0.0, 10000.0)
# Earliest plausible reading: digital sound level meters and phones log after this.
EARLIEST_READING = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
# Longest integration period of one reading, s (a day: an hourly or daily station value).
MAX_DURATION_S = 86400.0


@dataclass(frozen=True)
class SensorRecord:
    """A sensor as a file describes it; ``code`` is its natural, stable identifier."""

    code: str
    deployment: str  # "fixed" | "mobile" | "spot"
    source: str  # "noisecapture" | "dnms" | "station" | "lasso"
    name: str = ""
    lon: float | None = None  # WGS84 degrees; None for a mobile track
    lat: float | None = None
    metadata: dict[str, object] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # other codes that find it (a track file's own uuid)


@dataclass(frozen=True)
class ReadingRecord:
    """One value over ``duration_s`` seconds starting at ``measured_at`` (timezone-aware)."""

    sensor_code: str
    measured_at: dt.datetime
    duration_s: float
    quantity: str  # "LAeq", "LA90"…
    value: float
    unit: str  # "dB(A)"…
    lon: float | None = None  # the reading's own point (mobile tracks), WGS84 degrees
    lat: float | None = None
    accuracy_m: float | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class PerceivedRecord:
    """A perceived-noise answer to bring in as a nuisance report.

    ``key`` is stable across re-imports (the report's id derives from it); ``group`` names
    the contributor the answer is attributed to; ``intensity`` is on the 1–5 report scale.
    """

    key: str
    group: str
    lon: float
    lat: float
    observed_at: dt.datetime
    intensity: int
    sources: tuple[str, ...]
    comment: str


@dataclass(frozen=True)
class RowError:
    """A row (or file) left out, and why; ``row`` counts from 1, 0 for the whole file."""

    file: str
    row: int
    reason: str


@dataclass
class Parsed:
    """Everything one file holds, plus what was refused (``errors``) or noticed (``notes``).

    Small formats fill ``sensors`` and ``readings`` at once. Large ones (station CSV, DNMS)
    leave them empty and set ``stream``: batches of readings read as the file is, each
    bringing the sensors it meets first; ``sensors``, ``errors``, ``notes`` and ``rows`` grow
    while it is consumed (a consumer may empty ``errors`` as it goes, to bound memory).
    """

    format: str
    sensors: list[SensorRecord] = field(default_factory=list)
    readings: list[ReadingRecord] = field(default_factory=list)
    perceived: list[PerceivedRecord] = field(default_factory=list)
    # Soundscape survey answers (layers.importers.soundscape_csv.SoundscapeRecord).
    soundscape: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read, good or bad
    stream: Iterator[ReadingBatch] | None = None

    def batches(self) -> Iterator[ReadingBatch]:
        """Every reading of the file, in batches of at most :data:`BATCH_ROWS`."""
        if self.stream is not None:
            yield from self.stream
            return
        for start in range(0, len(self.readings), BATCH_ROWS):
            yield ReadingBatch.of(self.readings[start:start + BATCH_ROWS],
                                  sensors=tuple(self.sensors) if start == 0 else ())
        if not self.readings and self.sensors:
            yield ReadingBatch.of([], sensors=tuple(self.sensors))

    def all_readings(self) -> list[ReadingRecord]:
        """Every reading as records (tests and small files: this holds them all)."""
        return [r for batch in self.batches() for r in batch.records()]


# Readings stored per batch: memory stays bounded whatever the file's size (issue 9).
BATCH_ROWS = 100_000


@dataclass(frozen=True)
class ReadingBatch:
    """Readings as columns, and the sensors first met in them (stored before them).

    ``frame`` has the columns of :data:`BATCH_COLUMNS`: ``sensor_code`` (str),
    ``measured_at`` (``datetime64[us, UTC]``, start of the period), ``duration_s`` (s),
    ``quantity``, ``value``, ``unit``, ``lon``/``lat`` (WGS84 degrees, NaN: no point of its
    own), ``accuracy_m`` (m, NaN: unknown) and ``flags`` (a tuple of str per reading).
    """

    frame: pd.DataFrame
    sensors: tuple[SensorRecord, ...] = ()

    @classmethod
    def of(cls, records: Sequence[ReadingRecord], sensors: tuple[SensorRecord, ...] = ()
           ) -> ReadingBatch:
        """A batch of reading records."""
        nan = float("nan")
        frame = pd.DataFrame({
            "sensor_code": pd.Series([r.sensor_code for r in records], dtype=object),
            "measured_at": pd.to_datetime([r.measured_at for r in records], utc=True).as_unit("us"),
            "duration_s": np.array([r.duration_s for r in records], dtype=np.float64),
            "quantity": pd.Series([r.quantity for r in records], dtype=object),
            "value": np.array([r.value for r in records], dtype=np.float64),
            "unit": pd.Series([r.unit for r in records], dtype=object),
            "lon": np.array([nan if r.lon is None else r.lon for r in records], dtype=np.float64),
            "lat": np.array([nan if r.lat is None else r.lat for r in records], dtype=np.float64),
            "accuracy_m": np.array([nan if r.accuracy_m is None else r.accuracy_m
                                    for r in records], dtype=np.float64),
            "flags": pd.Series([tuple(r.flags) for r in records], dtype=object),
        })
        return cls(frame, sensors)

    def __len__(self) -> int:
        return len(self.frame)

    def records(self) -> list[ReadingRecord]:
        """The batch as reading records (slow: tests and small files)."""
        def opt(v: float) -> float | None:
            return None if v != v else float(v)
        return [ReadingRecord(code, t.to_pydatetime(), float(d), q, float(v), u, opt(x), opt(y),
                              opt(a), tuple(f))
                for code, t, d, q, v, u, x, y, a, f in self.frame[list(BATCH_COLUMNS)].itertuples(
                    index=False, name=None)]


BATCH_COLUMNS = ("sensor_code", "measured_at", "duration_s", "quantity", "value", "unit", "lon",
                 "lat", "accuracy_m", "flags")


class ImportFormatError(ValueError):
    """The file cannot be read at all in the format asked (or detected)."""


def parse_number(raw: object) -> float:
    """A number from JSON or text, accepting a decimal comma (``"72,94"`` → 72.94).

    Raises ``ValueError`` on anything else (empty, text, a list or object, NaN, infinity,
    an integer too large for a float).

    >>> parse_number("72,94"), parse_number(3)
    (72.94, 3.0)
    """
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        msg = f"not a number: {raw!r}"[:200]
        raise ValueError(msg)
    try:
        value = float(raw.strip().replace(",", ".")) if isinstance(raw, str) else float(raw)
    except OverflowError:
        msg = "not a finite number: too large"
        raise ValueError(msg) from None
    if value != value or value in (float("inf"), float("-inf")):
        msg = f"not a finite number: {raw!r}"
        raise ValueError(msg)
    return value


def check_lon_lat(lon: float, lat: float) -> str | None:
    """Why a WGS84 position is absurd, or None when it is plausible.

    >>> check_lon_lat(0.0, 0.0)
    'position (0, 0): no GPS fix'
    """
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        return f"coordinates out of range: lon {lon}, lat {lat}"
    if lon == 0.0 and lat == 0.0:
        return "position (0, 0): no GPS fix"
    return None


def check_duration(duration_s: float) -> str | None:
    """Why an integration period (s) is impossible, or None: it must be in (0, one day].

    Longer periods would dominate every duration-weighted energetic mean.

    >>> check_duration(0.0)
    'duration_s 0.0 s outside (0, 86400]'
    """
    if not 0.0 < duration_s <= MAX_DURATION_S:
        return f"duration_s {duration_s} s outside (0, {MAX_DURATION_S:.0f}]"
    return None


def check_level(value: float) -> str | None:
    """Why a sound level in dB(A) is implausible, or None."""
    low, high = LEVEL_RANGE_DB
    if not low <= value <= high:
        return f"level {value} dB(A) outside [{low:.0f}, {high:.0f}]"
    return None


def check_concentration(value: float) -> str | None:
    """Why a particulate concentration in µg/m³ is impossible, or None."""
    low, high = CONCENTRATION_RANGE
    if not low <= value <= high:
        return f"concentration {value} µg/m³ outside [{low:.0f}, {high:.0f}]"
    return None


def check_time(moment: dt.datetime, *, latest: dt.datetime) -> str | None:
    """Why a reading's (timezone-aware) start is implausible: before 1990 or after ``latest``."""
    if not EARLIEST_READING <= moment <= latest:
        return (f"time {moment.isoformat()} outside [{EARLIEST_READING:%Y-%m-%d}, "
                f"{latest.isoformat(timespec='seconds')}]")
    return None
