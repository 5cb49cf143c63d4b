"""Importing measurement files: parse (pure importers), then store in batches, idempotently.

Memory stays bounded whatever the file's size: readings come and go a batch at a time
(``ReadingBatch``, 100,000 rows), and refused rows are kept up to :data:`MAX_KEPT_ERRORS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import numpy as np
import shapely
from django.contrib.gis.geos import Point
from django.db import transaction
from tqdm import tqdm

from layers.importers import (
    ImportFormatError,
    ImportLimits,
    Parsed,
    ReadingBatch,
    RowError,
    SensorRecord,
    parse_file,
)
from layers.models import MeasurementImport, Sensor, SensorAlias
from layers.services.imported_reports import REPORT_NAMESPACE, report_id, reports_store
from layers.services.reading_store import store_readings
from layers.services.soundscape_import import survey_prepare, survey_reports_store
from mapping.models import Event

__all__ = ["REPORT_NAMESPACE", "ImportSummary", "measurements_import", "report_id"]

NEED_EVENT = "perceived answers need an event: give --event SLUG"
MAX_KEPT_ERRORS = 100_000  # refused rows listed; past this they are only counted


@dataclass
class ImportSummary:
    """What an import read, stored, found already stored, and refused (row by row)."""

    files: int = 0
    rows: int = 0
    sensors_new: int = 0
    readings_read: int = 0
    readings_new: int = 0
    readings_outside: int = 0
    reports_new: int = 0
    reports_existing: int = 0
    answers_outside: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_not_kept: int = 0
    notes: list[str] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)

    @property
    def readings_existing(self) -> int:
        """Readings of the files that were already stored (a re-import)."""
        return self.readings_read - self.readings_new

    @property
    def refused(self) -> int:
        """Rows (or files) refused, listed or not."""
        return len(self.errors) + self.errors_not_kept

    def keep_errors(self, errors: list[RowError]) -> None:
        """Add refused rows, listing at most :data:`MAX_KEPT_ERRORS`; empties ``errors``."""
        room = max(MAX_KEPT_ERRORS - len(self.errors), 0)
        self.errors.extend(errors[:room])
        self.errors_not_kept += max(len(errors) - room, 0)
        errors.clear()

    def lines(self) -> list[str]:
        """A human summary, one line each."""
        return [
            f"files: {self.files} ({', '.join(f'{k} {v}' for k, v in self.formats.items())})",
            f"rows read: {self.rows}, refused: {self.refused}",
            f"sensors new: {self.sensors_new}",
            f"readings: {self.readings_read} valid, {self.readings_new} new, "
            f"{self.readings_existing} already stored",
            *([f"readings outside the event's zone or window: {self.readings_outside} (stored, "
               "not shown in this event)"] if self.readings_outside else []),
            f"reports: {self.reports_new} new, {self.reports_existing} already stored",
            *([f"survey answers outside the event's zone or window: {self.answers_outside} "
               "(listed below, not reports of this event)"] if self.answers_outside else []),
        ]


def _point(lon: float | None, lat: float | None) -> Point | None:
    return None if lon is None or lat is None else Point(lon, lat, srid=4326)


def _sensors(records: Sequence[SensorRecord]) -> tuple[dict[str, Sensor], int]:
    """The sensors of ``records``, found by code or alias, created when new; and how many
    were created. Aliases a file brings are added to a sensor found again. A few queries
    for the whole batch, whatever its number of sensors."""
    if not records:
        return {}, 0
    names = {r.code for r in records} | {a for r in records for a in r.aliases}
    by_name = {s.code: s for s in Sensor.objects.filter(code__in=names)}
    for alias in SensorAlias.objects.filter(alias__in=names).select_related("sensor"):
        by_name.setdefault(alias.alias, alias.sensor)
    found: dict[str, Sensor] = {}
    fresh = []
    for record in records:
        sensor = next((by_name[n] for n in (record.code, *record.aliases) if n in by_name), None)
        if sensor is None:
            sensor = Sensor(code=record.code, deployment=record.deployment, source=record.source,
                            name=record.name, location=_point(record.lon, record.lat),
                            metadata=record.metadata)
            fresh.append(sensor)
            by_name[record.code] = sensor
        found[record.code] = sensor
    Sensor.objects.bulk_create(fresh)
    if any(r.aliases for r in records):
        taken = set(SensorAlias.objects.filter(alias__in=names).values_list("alias", flat=True))
        taken |= set(Sensor.objects.filter(code__in=names).values_list("code", flat=True))
        SensorAlias.objects.bulk_create([
            SensorAlias(sensor=found[r.code], alias=a) for r in records for a in r.aliases
            if a not in taken])
    return found, len(fresh)


class _Outside:
    """Counts a file's readings outside an event's zone or window, batch by batch.

    A reading is inside when it starts in the window and its point — its own, else its
    sensor's — lies in the zone; a track's second without GPS fix is inside when it is in
    the window and its track has a located reading inside (as far as read).
    """

    def __init__(self, event: Event) -> None:
        self.zone = shapely.from_wkb(bytes(event.zone.wkb))
        shapely.prepare(self.zone)
        self.start = np.datetime64(event.starts_at.astimezone(dt.UTC).replace(tzinfo=None), "us")
        self.end = np.datetime64(event.ends_at.astimezone(dt.UTC).replace(tzinfo=None), "us")
        self.places: dict[str, tuple[float, float]] = {}
        self.tracks_inside: set[str] = set()
        self.count = 0

    def add(self, batch: ReadingBatch) -> None:
        for sensor in batch.sensors:
            if sensor.lon is not None and sensor.lat is not None:
                self.places[sensor.code] = (sensor.lon, sensor.lat)
        frame = batch.frame
        if not len(frame):
            return
        codes = frame["sensor_code"].to_numpy()
        starts = frame["measured_at"].array.as_unit("us").tz_convert(None).to_numpy()
        in_window = (starts >= self.start) & (starts < self.end)
        lon, lat = frame["lon"].to_numpy().copy(), frame["lat"].to_numpy().copy()
        own = ~np.isnan(lon)
        for i in np.flatnonzero(~own):  # a fixed sensor's readings: its place
            lon[i], lat[i] = self.places.get(codes[i], (np.nan, np.nan))
        placed = ~np.isnan(lon)
        in_zone = np.zeros(len(frame), dtype=bool)
        in_zone[placed] = shapely.intersects_xy(self.zone, lon[placed], lat[placed])
        self.tracks_inside.update(codes[own & in_window & in_zone].tolist())
        unplaced_inside = ~placed & np.isin(codes, list(self.tracks_inside))
        self.count += int((~(in_window & (in_zone | unplaced_inside))).sum())


_DONE = object()


def _read_ahead(parsed: Parsed) -> Iterator[tuple[ReadingBatch, list[RowError]]]:
    """The file's batches, each with the rows it refused, parsed one batch ahead in a thread.

    While the database stores a batch (the call waits on the server and releases the GIL),
    the next one is parsed: the two cores of a laptop work at once. The queue holds one
    batch, so memory stays bounded. Only pure parsing runs in the thread, never the ORM.
    """
    ready: queue.Queue[object] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in parsed.batches():
                errors, parsed.errors = parsed.errors, []  # the generator's thread: no race
                if stop.is_set():
                    return
                ready.put((batch, errors))
            ready.put((None, parsed.errors))
        except BaseException as exc:  # re-raised in the consumer
            ready.put(exc)
        ready.put(_DONE)

    thread = threading.Thread(target=produce, name="measurement-parser", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            batch, errors = cast("tuple[Any, list[Any]]", item)
            if batch is None:
                parsed.errors = errors
                continue
            yield batch, errors
    finally:
        stop.set()
        while thread.is_alive():  # stopped early: let the parser finish its batch
            try:
                ready.get(timeout=0.1)
            except queue.Empty:
                continue


def _file_sha256(path: Path) -> str:
    """The digest of the file as given (its bytes on disk), for its provenance record."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _import_file(path: Path, parsed: Parsed, event: Event | None, summary: ImportSummary,
                 progress: IO[str] | None) -> None:
    """Store one parsed file's sensors and readings, all or nothing, with its provenance."""
    outside = _Outside(event) if event is not None else None
    sensors: dict[str, Sensor] = {}
    read = new = refused = 0
    with tqdm(desc=path.name, unit="reading", file=progress, disable=progress is None,
              leave=False) as bar, transaction.atomic():
        for batch, errors in _read_ahead(parsed):
            found, created = _sensors(batch.sensors)
            sensors.update(found)
            summary.sensors_new += created
            ids = np.array([sensors[c].pk for c in batch.frame["sensor_code"]], dtype=np.int64)
            new += store_readings(batch.frame, ids)
            read += len(batch)
            if outside is not None:
                outside.add(batch)
            refused += len(errors)
            summary.keep_errors(errors)
            bar.update(len(batch))
        refused += len(parsed.errors)
        record = MeasurementImport.objects.create(
            event=event, file_name=path.name[:255], file_sha256=_file_sha256(path),
            format=parsed.format, readings_new=new, readings_existing=read - new,
            rows_refused=refused)
        record.sensors.set(sensors.values())
    summary.readings_read += read
    summary.readings_new += new
    summary.readings_outside += outside.count if outside is not None else 0


def measurements_import(
    *, paths: Sequence[Path], fmt: str | None = None, event: Event | None = None,
    progress: IO[str] | None = None, limits: ImportLimits | None = None,
) -> ImportSummary:
    """Import measurement files (and perceived answers when the format has them), recording
    each file's provenance (:class:`layers.models.MeasurementImport`) for ``event``."""
    summary = ImportSummary()
    limits = limits or ImportLimits()
    for raw in paths:
        path = Path(raw)
        try:
            parsed = parse_file(path, fmt, limits)
            survey = survey_prepare(parsed, event, path.name) if parsed.soundscape else None
            _import_file(path, parsed, event, summary, progress)
        except ImportFormatError as exc:  # the whole file: nothing of it was stored
            summary.keep_errors([RowError(path.name, 0, str(exc))])
            continue
        summary.files += 1
        summary.formats[parsed.format] = summary.formats.get(parsed.format, 0) + 1
        summary.rows += parsed.rows
        summary.notes.extend(parsed.notes)
        summary.keep_errors(parsed.errors)
        if survey is not None:
            summary.answers_outside += survey.outside
            if event is None:
                summary.keep_errors([RowError(
                    path.name, 0, f"{len(survey.answers)} survey answers: {NEED_EVENT}")])
            else:
                survey_errors: list[RowError] = []
                made, kept = survey_reports_store(survey.answers, event, path.name,
                                                  survey_errors)
                summary.reports_new += made
                summary.reports_existing += kept
                summary.keep_errors(survey_errors)
        if parsed.perceived:
            if event is None:
                summary.keep_errors([RowError(path.name, 0,
                                              f"{len(parsed.perceived)} {NEED_EVENT}")])
            else:
                errors: list[RowError] = []
                made, kept = reports_store(parsed.perceived, event, path.name, errors)
                summary.reports_new += made
                summary.reports_existing += kept
                summary.keep_errors(errors)
    return summary
