"""Stations pushing readings over HTTP: one API key per sensor, batches, idempotent."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.dateparse import parse_datetime

from layers.importers.records import check_level, check_lon_lat, parse_number
from layers.models import UNIT_OF, Measurement, Quantity, Sensor
from mapping.errors import InvalidInput, NotAllowed

MAX_BATCH = 5000
BAD_KEY = "Unknown sensor or wrong API key."
NOT_A_LIST = "readings must be a non-empty list of objects."


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def sensor_issue_key(*, sensor: Sensor) -> str:
    """Give ``sensor`` a new API key (the old one stops working); returns it, shown once."""
    key = secrets.token_urlsafe(32)
    sensor.api_key_digest = _digest(key)
    sensor.save(update_fields=["api_key_digest"])
    return key


def sensor_register(
    *, code: str, kind: str = "fixed", lon: float | None = None, lat: float | None = None,
    name: str = "", event: Any = None,
) -> Sensor:
    """Create (or find) a sensor that pushes its readings through the API."""
    if kind not in Sensor.Kind.values:
        msg = f"kind must be one of {', '.join(Sensor.Kind.values)}."
        raise InvalidInput(msg, field="kind")
    location = None
    if lon is not None and lat is not None:
        reason = check_lon_lat(lon, lat)
        if reason:
            raise InvalidInput(reason, field="location")
        location = Point(lon, lat, srid=4326)
    elif kind != Sensor.Kind.MOBILE:
        msg = "A fixed sensor needs lon and lat."
        raise InvalidInput(msg, field="location")
    sensor, _ = Sensor.objects.get_or_create(code=code, defaults={
        "kind": kind, "source": Sensor.Source.API, "name": name or code, "location": location,
        "event": event})
    return sensor


def sensor_authenticate(*, code: str, api_key: str) -> Sensor:
    """The sensor ``code`` if ``api_key`` is its key; NotAllowed otherwise (same message)."""
    sensor = Sensor.objects.filter(code=code).first()
    expected = sensor.api_key_digest if sensor is not None else ""
    if not (api_key and expected and hmac.compare_digest(_digest(api_key), expected)):
        raise NotAllowed(BAD_KEY)
    return sensor  # type: ignore[return-value]


def _reading(sensor: Sensor, raw: Any, index: int) -> Measurement:
    field = f"readings[{index}]"
    if not isinstance(raw, dict):
        msg = f"{field} must be an object."
        raise InvalidInput(msg, field=field)
    moment = parse_datetime(str(raw.get("measured_at", "")))
    if moment is None or moment.tzinfo is None:
        msg = f"{field}.measured_at must be ISO 8601 with a UTC offset."
        raise InvalidInput(msg, field=f"{field}.measured_at")
    quantity = raw.get("quantity", Quantity.LAEQ)
    if quantity not in Quantity.values:
        msg = f"{field}.quantity {quantity!r} unknown; known: {', '.join(Quantity.values)}."
        raise InvalidInput(msg, field=f"{field}.quantity")
    unit = raw.get("unit", UNIT_OF[quantity])
    try:
        value, duration = parse_number(raw.get("value")), parse_number(raw.get("duration_s"))
    except ValueError:
        msg = f"{field}: value and duration_s must be finite numbers."
        raise InvalidInput(msg, field=field) from None
    reason = None if unit == UNIT_OF[quantity] else f"unit must be {UNIT_OF[quantity]}"
    reason = reason or (None if duration > 0 else "duration_s must be > 0")
    reason = reason or (check_level(value) if unit == "dB(A)" else None)
    location = None
    if raw.get("lon") is not None or raw.get("lat") is not None:
        try:
            lon, lat = parse_number(raw.get("lon")), parse_number(raw.get("lat"))
        except ValueError:
            lon = lat = float("nan")
        reason = reason or check_lon_lat(lon, lat) or (
            "lon and lat must be numbers" if lon != lon or lat != lat else None)
        location = Point(lon, lat, srid=4326)
    elif sensor.kind == Sensor.Kind.MOBILE:
        reason = reason or "a mobile sensor's readings need lon and lat"
    if reason:
        msg = f"{field}: {reason}."
        raise InvalidInput(msg, field=field)
    return Measurement(sensor=sensor, measured_at=moment.astimezone(dt.UTC), duration_s=duration,
                       quantity=quantity, value=value, unit=unit, location=location, flags=[])


@transaction.atomic
def readings_ingest(*, code: str, api_key: str, readings: Any) -> tuple[int, int]:
    """Store a batch pushed by a sensor; all or nothing. Returns (new, already stored)."""
    sensor = sensor_authenticate(code=code, api_key=api_key)
    if not isinstance(readings, list) or not readings:
        raise InvalidInput(NOT_A_LIST, field="readings")
    if len(readings) > MAX_BATCH:
        msg = f"At most {MAX_BATCH} readings per request; got {len(readings)}."
        raise InvalidInput(msg, field="readings")
    rows = [_reading(sensor, raw, i) for i, raw in enumerate(readings)]
    before = Measurement.objects.filter(sensor=sensor).count()
    Measurement.objects.bulk_create(rows, ignore_conflicts=True)
    new = Measurement.objects.filter(sensor=sensor).count() - before
    return new, len(rows) - new
