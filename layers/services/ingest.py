"""Stations pushing readings over HTTP: one API key per sensor, batches, idempotent."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from layers.importers.records import (
    check_concentration,
    check_duration,
    check_level,
    check_lon_lat,
    check_time,
    parse_number,
)
from layers.models import UNIT_OF, Measurement, MeasurementImport, Quantity, Sensor
from layers.selectors.sensors import sensor_by_code
from mapping.errors import InvalidInput, NotAllowed
from mapping.models import Event

MAX_BATCH = 5000
# A station's clock may run a little ahead; readings later than this are refused.
FUTURE_SLACK = dt.timedelta(hours=1)
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
    *, code: str, deployment: str = "fixed", lon: float | None = None,
    lat: float | None = None, name: str = "", event: Event | None = None,
) -> Sensor:
    """Create (or find) a sensor that pushes its readings through the API; ``event`` is
    recorded as provenance only (its readings serve every event they fall in)."""
    if deployment not in Sensor.Deployment.values:
        msg = f"deployment must be one of {', '.join(Sensor.Deployment.values)}."
        raise InvalidInput(msg, field="deployment")
    location = None
    if lon is not None and lat is not None:
        reason = check_lon_lat(lon, lat)
        if reason:
            raise InvalidInput(reason, field="location")
        location = Point(lon, lat, srid=4326)
    elif deployment != Sensor.Deployment.MOBILE:
        msg = "A fixed sensor needs lon and lat."
        raise InvalidInput(msg, field="location")
    sensor = sensor_by_code(code)
    if sensor is None:
        sensor = Sensor.objects.create(code=code, deployment=deployment,
                                       source=Sensor.Source.API, name=name or code,
                                       location=location)
    if event is not None and not sensor.imports.filter(event=event, format="api").exists():
        MeasurementImport.objects.create(event=event, format="api").sensors.add(sensor)
    return sensor


def sensor_authenticate(*, code: str, api_key: str) -> Sensor:
    """The sensor ``code`` if ``api_key`` is its key; NotAllowed otherwise (same message)."""
    sensor = sensor_by_code(code)
    expected = sensor.api_key_digest if sensor is not None else ""
    if not (api_key and expected and hmac.compare_digest(_digest(api_key), expected)):
        raise NotAllowed(BAD_KEY)
    return sensor  # type: ignore[return-value]


def _moment(raw: dict[str, Any], field: str) -> dt.datetime:
    """The reading's start in UTC; ISO 8601 text with an offset, from 1990 to tomorrow."""
    text = raw.get("measured_at")
    try:
        moment = parse_datetime(text) if isinstance(text, str) and "\x00" not in text else None
        # Offsets beyond ±24 h (ValueError) or dates pushed past year 1-9999 (OverflowError).
        utc = moment.astimezone(dt.UTC) if moment is not None and moment.tzinfo else None
    except (ValueError, OverflowError):
        utc = None
    if utc is None:
        msg = f"{field}.measured_at must be ISO 8601 with a UTC offset."
        raise InvalidInput(msg, field=f"{field}.measured_at")
    reason = check_time(utc, latest=timezone.now() + FUTURE_SLACK)
    if reason:
        msg = f"{field}.measured_at: {reason}."
        raise InvalidInput(msg, field=f"{field}.measured_at")
    return utc


def _reading(sensor: Sensor, raw: Any, index: int) -> Measurement:
    field = f"readings[{index}]"
    if not isinstance(raw, dict):
        msg = f"{field} must be an object."
        raise InvalidInput(msg, field=field)
    moment = _moment(raw, field)
    quantity = raw.get("quantity", Quantity.LAEQ)
    if not isinstance(quantity, str) or quantity not in Quantity.values:
        msg = f"{field}.quantity {quantity!r} unknown; known: {', '.join(Quantity.values)}."
        raise InvalidInput(msg[:300], field=f"{field}.quantity")
    unit = raw.get("unit", UNIT_OF[quantity])
    try:
        value, duration = parse_number(raw.get("value")), parse_number(raw.get("duration_s"))
    except ValueError:
        msg = f"{field}: value and duration_s must be finite numbers."
        raise InvalidInput(msg, field=field) from None
    reason = None if unit == UNIT_OF[quantity] else f"unit must be {UNIT_OF[quantity]}"
    reason = reason or check_duration(duration)
    reason = reason or (check_level(value) if unit == "dB(A)" else check_concentration(value))
    location = None
    if raw.get("lon") is not None or raw.get("lat") is not None:
        try:
            lon, lat = parse_number(raw.get("lon")), parse_number(raw.get("lat"))
        except ValueError:
            reason = reason or "lon and lat must both be finite numbers"
        else:
            reason = reason or check_lon_lat(lon, lat)
            location = Point(lon, lat, srid=4326)
    elif sensor.deployment == Sensor.Deployment.MOBILE:
        reason = reason or "a mobile sensor's readings need lon and lat"
    if reason:
        msg = f"{field}: {reason}."
        raise InvalidInput(msg, field=field)
    return Measurement(sensor=sensor, measured_at=moment, duration_s=duration,
                       quantity=quantity, value=value, unit=unit, location=location, flags=[])


def _check_repeats(rows: list[Measurement]) -> None:
    """Two readings of one batch with the same time and quantity must be the same reading."""
    seen: dict[tuple[dt.datetime, str], tuple[int, Measurement]] = {}
    for index, row in enumerate(rows):
        key = (row.measured_at, row.quantity)
        if key not in seen:
            seen[key] = (index, row)
            continue
        first, other = seen[key]
        if (other.value, other.duration_s, other.location) != (row.value, row.duration_s,
                                                                row.location):
            msg = (f"readings[{index}] repeats the time and quantity of readings[{first}] "
                   "with another value.")
            raise InvalidInput(msg, field=f"readings[{index}].measured_at")


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
    _check_repeats(rows)
    before = Measurement.objects.filter(sensor=sensor).count()
    Measurement.objects.bulk_create(rows, ignore_conflicts=True)
    new = Measurement.objects.filter(sensor=sensor).count() - before
    return new, len(rows) - new
