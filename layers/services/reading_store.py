"""Storing a batch of readings fast and idempotently: ``COPY`` on PostGIS, multi-row inserts
on SpatiaLite; the natural key (sensor, start, quantity) makes re-imports store nothing new.

The ORM's ``bulk_create`` spends ~200 µs a row building and preparing model instances
(bench/README.md). Here a batch goes from its numpy columns to the database in one pass:
on PostgreSQL a binary ``COPY`` into a temporary table, then one ``INSERT … SELECT`` that
builds the points (plain when every reading is new, ``ON CONFLICT DO NOTHING`` otherwise); on SQLite
``executemany`` of 90-row ``INSERT … ON CONFLICT DO NOTHING`` with ``MakePoint``. Values
are written as Django writes them (SQLite datetimes as ``str`` of naive UTC, JSON lists as
``json.dumps``), so readings pushed through the ORM and imported ones share one key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from django.db import IntegrityError, connection, transaction
from django.db.models import Field

from layers.models import Measurement

ROWS_PER_INSERT = 90  # 900 parameters: under SQLite's historical limit of 999
TEMPORARY = "cp_readings_incoming"
COLUMNS = ("sensor_id", "measured_at", "duration_s", "quantity", "value", "unit", "location",
           "accuracy_m", "flags")


def _flags_json(flags: pd.Series) -> list[str]:
    """Each reading's flags as JSON text, encoded once per distinct flag tuple."""
    cache: dict[tuple[str, ...], str] = {}
    return [cache.get(f) or cache.setdefault(f, json.dumps(list(f))) for f in flags]


def _none_for_nan(values: np.ndarray) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(name: str) -> str:
    field = Measurement._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        msg = f"Measurement.{name} is not a column"
        raise TypeError(msg)
    return field.column


def _table() -> tuple[str, str]:
    meta = Measurement._meta
    columns = ", ".join(_quoted(_column(c)) for c in COLUMNS)
    return _quoted(meta.db_table), columns


def _sensor_key_immediate(cursor: Any) -> None:
    """Check the readings' foreign key to their sensor row by row as they are inserted.

    Django declares foreign keys ``DEFERRABLE INITIALLY DEFERRED``: a million readings then
    queue a million checks replayed at commit, which cost more than checking each at once
    (bench/README.md). For this transaction only; the schema is unchanged."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
        "AND condeferrable", [Measurement._meta.db_table])
    for (name,) in cursor.fetchall():
        cursor.execute(f"SET CONSTRAINTS {_quoted(name)} IMMEDIATE")


def _store_postgis(frame: pd.DataFrame, sensor_ids: np.ndarray) -> int:
    micros = frame["measured_at"].array.as_unit("us").asi8  # µs since 1970, UTC: exact
    table, columns = _table()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg 3: COPY is not part of the DB-API
        _sensor_key_immediate(cursor)
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {TEMPORARY} (sensor_id int8, micros int8, "
            "duration_s float8, quantity text, value float8, unit text, lon float8, lat float8, "
            "accuracy_m float8, flags text) ON COMMIT DROP")
        rows = zip(sensor_ids.tolist(), micros.tolist(), frame["duration_s"].tolist(),
                   frame["quantity"].tolist(), frame["value"].tolist(), frame["unit"].tolist(),
                   _none_for_nan(frame["lon"].to_numpy()), _none_for_nan(frame["lat"].to_numpy()),
                   _none_for_nan(frame["accuracy_m"].to_numpy()), _flags_json(frame["flags"]),
                   strict=True)
        with cursor.copy(f"COPY {TEMPORARY} FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int8", "float8", "text", "float8", "text", "float8",
                            "float8", "float8", "text"])
            for row in rows:
                copy.write_row(row)
        insert = (
            f"INSERT INTO {table} ({columns}) SELECT sensor_id, "
            "timestamptz 'epoch' + micros * interval '1 microsecond', duration_s, quantity, "
            "value, unit, CASE WHEN lon IS NULL THEN NULL "
            "ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END, accuracy_m, flags::jsonb "
            f"FROM {TEMPORARY}")
        # New readings (a first import): a plain insert, 2-3 times faster than ON CONFLICT's
        # speculative one. Any reading already stored (a re-import, an overlap) makes it
        # fail at once on the natural key; the batch then goes again, skipping those.
        try:
            with transaction.atomic():
                wrapper.execute(insert)  # Django's cursor: a unique violation is IntegrityError
        except IntegrityError:
            wrapper.execute(f"{insert} ON CONFLICT DO NOTHING")
        stored = wrapper.rowcount
        cursor.execute(f"TRUNCATE {TEMPORARY}")
    return int(stored)


def _sqlite_times(frame: pd.DataFrame) -> list[str]:
    """``str(datetime)`` of each naive UTC start, as Django's SQLite backend writes them."""
    stamps = frame["measured_at"].array.as_unit("us").tz_convert(None)
    seconds = np.char.replace(np.datetime_as_string(stamps.to_numpy(), unit="s"), "T", " ")
    micros = (stamps.asi8 % 1_000_000).tolist()
    return [s if not us else f"{s}.{us:06d}" for s, us in zip(seconds.tolist(), micros,
                                                               strict=True)]


def _insert_sql(rows: int) -> str:
    table, columns = _table()
    one = "(%s, %s, %s, %s, %s, %s, MakePoint(%s, %s, 4326), %s, %s)"
    return (f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * rows)} "
            "ON CONFLICT DO NOTHING")


def _store_spatialite(frame: pd.DataFrame, sensor_ids: np.ndarray) -> int:
    rows = list(zip(sensor_ids.tolist(), _sqlite_times(frame), frame["duration_s"].tolist(),
                    frame["quantity"].tolist(), frame["value"].tolist(), frame["unit"].tolist(),
                    _none_for_nan(frame["lon"].to_numpy()), _none_for_nan(frame["lat"].to_numpy()),
                    _none_for_nan(frame["accuracy_m"].to_numpy()), _flags_json(frame["flags"]),
                    strict=True))
    whole = len(rows) - len(rows) % ROWS_PER_INSERT
    stored = 0
    with connection.cursor() as cursor:
        if whole:
            cursor.executemany(_insert_sql(ROWS_PER_INSERT), [
                [v for row in rows[i:i + ROWS_PER_INSERT] for v in row]
                for i in range(0, whole, ROWS_PER_INSERT)])
            stored += cursor.rowcount
        if whole < len(rows):
            cursor.execute(_insert_sql(len(rows) - whole), [v for row in rows[whole:] for v in row])
            stored += cursor.rowcount
    return stored


def store_readings(frame: pd.DataFrame, sensor_ids: np.ndarray) -> int:
    """Store a batch (:class:`layers.importers.records.ReadingBatch` columns) of the sensors
    ``sensor_ids`` (primary keys, one per row); returns how many were new. Call it inside
    a transaction."""
    if not len(frame):
        return 0
    store: Callable[[pd.DataFrame, np.ndarray], int] = (
        _store_postgis if connection.vendor == "postgresql" else _store_spatialite)
    return store(frame, sensor_ids)
