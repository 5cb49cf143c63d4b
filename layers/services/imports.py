"""Importing measurement files: parse (pure importers), then store idempotently."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import shapely
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from tqdm import tqdm

from layers.importers import (
    ImportFormatError,
    Parsed,
    PerceivedRecord,
    ReadingRecord,
    RowError,
    SensorRecord,
    parse_file,
)
from layers.models import Measurement, MeasurementImport, Sensor, SensorAlias
from layers.selectors.sensors import sensor_by_code
from mapping.errors import CartopartyError
from mapping.models import Channel, Contributor, Event, NuisanceReport
from mapping.services.contributions import Author
from mapping.services.reports import report_submit

BATCH = 5000
READING_FIELDS = ("sensor", "measured_at", "duration_s", "quantity", "value", "unit",
                  "location", "accuracy_m", "flags")
ROWS_PER_INSERT = 100  # 900 parameters: under SQLite's historical limit of 999
# Report ids derive from the importer's stable keys: the same file twice stores one report.
REPORT_NAMESPACE = uuid.UUID("5b0f3c1e-1a0e-4c55-9c3e-6c61727470a1")
NEED_EVENT = "perceived answers need an event: give --event SLUG"


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
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)

    @property
    def readings_existing(self) -> int:
        """Readings of the files that were already stored (a re-import)."""
        return self.readings_read - self.readings_new

    def lines(self) -> list[str]:
        """A human summary, one line each."""
        return [
            f"files: {self.files} ({', '.join(f'{k} {v}' for k, v in self.formats.items())})",
            f"rows read: {self.rows}, refused: {len(self.errors)}",
            f"sensors new: {self.sensors_new}",
            f"readings: {self.readings_read} valid, {self.readings_new} new, "
            f"{self.readings_existing} already stored",
            *([f"readings outside the event's zone or window: {self.readings_outside} (stored, "
               "not shown in this event)"] if self.readings_outside else []),
            f"reports: {self.reports_new} new, {self.reports_existing} already stored",
        ]


def _point(lon: float | None, lat: float | None) -> Point | None:
    return None if lon is None or lat is None else Point(lon, lat, srid=4326)


def _sensors(records: Iterable[SensorRecord]) -> tuple[dict[str, Sensor], int]:
    """The sensors of ``records``, found by code or alias, created when new; and how many
    were created. Aliases a file brings are added to a sensor found again."""
    found: dict[str, Sensor] = {}
    new = 0
    for record in records:
        sensor = sensor_by_code(record.code) or next(
            filter(None, map(sensor_by_code, record.aliases)), None)
        if sensor is None:
            sensor = Sensor.objects.create(
                code=record.code, deployment=record.deployment, source=record.source,
                name=record.name, location=_point(record.lon, record.lat),
                metadata=record.metadata)
            new += 1
        known = {sensor.code, *sensor.aliases.values_list("alias", flat=True)}
        for alias in {record.code, *record.aliases} - known:
            if sensor_by_code(alias) is None:
                SensorAlias.objects.create(sensor=sensor, alias=alias)
        found[record.code] = sensor
    return found, new


def _insert_sql(rows: int) -> str:
    """``INSERT … VALUES (…) × rows ON CONFLICT DO NOTHING`` (SQLite ≥ 3.24 and PostgreSQL):
    the natural key (sensor, measured_at, quantity) makes re-imports store nothing new."""
    meta = Measurement._meta
    fields = [meta.get_field(name) for name in READING_FIELDS]
    quote = connection.ops.quote_name
    marks = [connection.ops.get_geom_placeholder(f, None, None) if f.name == "location" else "%s"
             for f in fields]
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["(" + ", ".join(marks) + ")"] * rows)
    return (f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} "
            "ON CONFLICT DO NOTHING")


def _store_readings(
    readings: Sequence[ReadingRecord], sensors: dict[str, Sensor], bar: tqdm
) -> int:
    # The ORM's bulk_create spends ~200 µs a row building and preparing model instances
    # (bench/README.md): values are prepared here with each field's own adapter instead,
    # once per distinct flag list and point, and sent with executemany.
    ids = [s.pk for s in sensors.values()]
    before = Measurement.objects.filter(sensor_id__in=ids).count()
    meta = Measurement._meta
    prep_time = meta.get_field("measured_at").get_db_prep_save
    prep_flags = meta.get_field("flags").get_db_prep_save
    prep_point = meta.get_field("location").get_db_prep_save
    sensor_pk = {code: sensor.pk for code, sensor in sensors.items()}
    flags_cache: dict[tuple[str, ...], object] = {}
    sql = _insert_sql(ROWS_PER_INSERT)
    with connection.cursor() as cursor:
        for start in range(0, len(readings), BATCH):
            chunk = readings[start:start + BATCH]
            rows = []
            for r in chunk:
                flags = flags_cache.get(r.flags)
                if flags is None:
                    flags = flags_cache[r.flags] = prep_flags(list(r.flags), connection)
                point = None if r.lon is None else prep_point(_point(r.lon, r.lat), connection)
                rows.append((sensor_pk[r.sensor_code], prep_time(r.measured_at, connection),
                             r.duration_s, r.quantity, r.value, r.unit, point, r.accuracy_m,
                             flags))
            whole = len(rows) - len(rows) % ROWS_PER_INSERT
            cursor.executemany(sql, [
                [v for row in rows[i:i + ROWS_PER_INSERT] for v in row]
                for i in range(0, whole, ROWS_PER_INSERT)])
            if whole < len(rows):
                cursor.execute(_insert_sql(len(rows) - whole),
                               [v for row in rows[whole:] for v in row])
            bar.update(len(chunk))
    return Measurement.objects.filter(sensor_id__in=ids).count() - before


def _contributor(event: Event, pseudonym: str) -> Contributor:
    # Imported answers have no participant secret: store digests of random, discarded keys.
    pseudonym = pseudonym[:Contributor._meta.get_field("pseudonym").max_length]
    contributor = Contributor.objects.filter(event=event, pseudonym=pseudonym).first()
    if contributor is None:
        contributor = Contributor.objects.create(
            event=event, pseudonym=pseudonym,
            token_digest=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            follow_digest=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            terms_version="import",
        )
    return contributor


def report_id(event: Event, key: str) -> uuid.UUID:
    """The id of the report an importer makes from ``key`` for ``event``: stable, so the
    same file twice stores one report, and different per event, so the same survey can be
    brought into several events."""
    return uuid.uuid5(REPORT_NAMESPACE, f"event:{event.pk}:{key}")


def _report_ids(perceived: Sequence[PerceivedRecord], event: Event) -> list[uuid.UUID]:
    """Ids of the records' reports. Reports imported before ids were per event kept the
    event-less id (``uuid5(namespace, key)``): those found in this event keep it, so that
    re-importing stays idempotent."""
    legacy = {record.key: uuid.uuid5(REPORT_NAMESPACE, record.key) for record in perceived}
    kept = set(NuisanceReport.objects.filter(event=event, pk__in=list(legacy.values()))
               .values_list("pk", flat=True))
    return [legacy[r.key] if legacy[r.key] in kept else report_id(event, r.key)
            for r in perceived]


def _store_reports(
    perceived: Sequence[PerceivedRecord], event: Event, file: str, summary: ImportSummary
) -> None:
    authors: dict[str, Author] = {}
    for number, (record, report) in enumerate(
            zip(perceived, _report_ids(perceived, event), strict=True), start=1):
        if record.group not in authors:
            authors[record.group] = Author(contributor=_contributor(event, record.group),
                                           entered_by=None, channel=Channel.IMPORT)
        try:
            _, created = report_submit(
                event=event, author=authors[record.group],
                geometry={"type": "Point", "coordinates": [record.lon, record.lat]},
                category="noise", intensity=record.intensity, sources=list(record.sources),
                observed_at=record.observed_at, comment=record.comment,
                contribution_id=report,
            )
        except CartopartyError as exc:
            summary.errors.append(RowError(file, number, f"{record.key}: {exc.message}"))
            continue
        if created:
            summary.reports_new += 1
        else:
            summary.reports_existing += 1


def _outside(parsed: Parsed, event: Event) -> int:
    """How many of the file's readings fall outside ``event``'s zone or window (they are
    stored all the same, and serve the events they fall in)."""
    zone = shapely.from_wkb(bytes(event.zone.wkb))
    places = {s.code: (s.lon, s.lat) for s in parsed.sensors}
    located = {r.sensor_code for r in parsed.readings if r.lon is not None and
               r.measured_at >= event.starts_at and r.measured_at < event.ends_at and
               zone.intersects(shapely.Point(r.lon, r.lat))}
    count = 0
    for r in parsed.readings:
        lon, lat = (r.lon, r.lat) if r.lon is not None else places.get(r.sensor_code, (None, None))
        inside = event.starts_at <= r.measured_at < event.ends_at and (
            zone.intersects(shapely.Point(lon, lat)) if lon is not None
            else r.sensor_code in located)
        count += not inside
    return count


def measurements_import(
    *, paths: Sequence[Path], fmt: str | None = None, event: Event | None = None,
    progress: IO[str] | None = None,
) -> ImportSummary:
    """Import measurement files (and perceived answers when the format has them), recording
    each file's provenance (:class:`layers.models.MeasurementImport`) for ``event``."""
    summary = ImportSummary()
    for path in paths:
        try:
            parsed: Parsed = parse_file(Path(path), fmt)
        except ImportFormatError as exc:
            summary.errors.append(RowError(Path(path).name, 0, str(exc)))
            continue
        summary.files += 1
        summary.formats[parsed.format] = summary.formats.get(parsed.format, 0) + 1
        summary.rows += parsed.rows
        summary.errors.extend(parsed.errors)
        summary.notes.extend(parsed.notes)
        summary.readings_read += len(parsed.readings)
        with tqdm(total=len(parsed.readings), desc=Path(path).name, unit="reading",
                  file=progress, disable=progress is None, leave=False) as bar:
            with transaction.atomic():
                sensors, new = _sensors(parsed.sensors)
                summary.sensors_new += new
                stored = _store_readings(parsed.readings, sensors, bar)
                summary.readings_new += stored
                record = MeasurementImport.objects.create(
                    event=event, file_name=Path(path).name[:255], format=parsed.format,
                    readings_new=stored, readings_existing=len(parsed.readings) - stored,
                    rows_refused=len(parsed.errors))
                record.sensors.set(sensors.values())
        if event is not None and parsed.readings:
            summary.readings_outside += _outside(parsed, event)
        if parsed.perceived:
            if event is None:
                summary.errors.append(RowError(Path(path).name, 0,
                                               f"{len(parsed.perceived)} {NEED_EVENT}"))
            else:
                _store_reports(parsed.perceived, event, Path(path).name, summary)
    return summary
