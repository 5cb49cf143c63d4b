"""Reads of sensors and measurements: what serves an event, per-sensor figures, frames.

A measurement belongs to no event. It serves an event when it starts within the event's
window and its place — its own point, else its sensor's — lies in the event's zone; a
mobile track's second without GPS fix serves the events its track serves in that window
(docs/acoustics.md §4.1). One measurement can therefore serve several events.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from django.db.models import Q, QuerySet
from shapely.geometry import shape

from layers import frames
from layers.importers.records import LEFT_OUT_FLAGS
from layers.models import Measurement, Quantity, Sensor
from layers.sensor_figures import SensorReadings, app_comparison, sensor_figures
from mapping.models import Event, NuisanceReport
from mapping.workflow import Status


def _wkb(geos: Any) -> bytes | None:
    return None if geos is None else bytes(geos.wkb)


def sensor_by_code(code: str) -> Sensor | None:
    """The sensor known by ``code`` or by one of its aliases (a track file's uuid)."""
    if "\x00" in code:  # PostgreSQL refuses NUL in text parameters: no sensor has one
        return None
    return Sensor.objects.filter(Q(code=code) | Q(aliases__alias=code)).distinct().first()


def _in_window(event: Event) -> Q:
    return Q(measured_at__gte=event.starts_at, measured_at__lt=event.ends_at)


def event_readings(*, event: Event, quantity: str = Quantity.LAEQ) -> QuerySet[Measurement]:
    """The readings of ``quantity`` that serve ``event`` (module docstring), any sensor."""
    window = _in_window(event)
    placed_tracks = Measurement.objects.filter(
        window, quantity=quantity, location__intersects=event.zone).values("sensor_id")
    place = (Q(location__intersects=event.zone)
             | Q(location__isnull=True, sensor__location__intersects=event.zone)
             | Q(location__isnull=True, sensor__location__isnull=True,
                 sensor_id__in=placed_tracks))
    return Measurement.objects.filter(window, place, quantity=quantity)


def event_sensors(*, event: Event) -> QuerySet[Sensor]:
    """The sensors with at least one LAeq reading serving ``event``."""
    ids = event_readings(event=event).values("sensor_id")
    return Sensor.objects.filter(pk__in=ids).prefetch_related("aliases").order_by("code")


def _readings_by_sensor(event: Event) -> dict[int, SensorReadings]:
    rows: dict[int, list[tuple[Any, ...]]] = {}
    for row in event_readings(event=event).order_by("sensor_id", "measured_at").values_list(
            "sensor_id", "measured_at", "duration_s", "value", "flags", "location",
            "sensor__location"):
        rows.setdefault(row[0], []).append(row)
    return {pk: SensorReadings(
        starts=[r[1] for r in mine], levels_db=np.array([r[3] for r in mine], dtype=float),
        durations_s=np.array([r[2] for r in mine], dtype=float),
        located=np.array([r[5] is not None or r[6] is not None for r in mine], dtype=bool),
        flags=[list(r[4] or ()) for r in mine]) for pk, mine in rows.items()}


def _left_out_reason(figures: dict[str, Any]) -> str | None:
    """The reason the overlay leaves this sensor out: every reading carries that flag."""
    return next((flag for flag in LEFT_OUT_FLAGS if flag in figures["flags"]), None)


def sensor_summaries(*, event: Event) -> list[dict[str, Any]]:
    """One dict per sensor serving ``event``: identity, figures over the event
    (:func:`layers.sensor_figures.sensor_figures`), NoiseCapture's own LAeq beside ours,
    ``left_out`` (the flag that keeps it out of the overlay, or None), ``geometry``
    (GeoJSON: a fixed sensor's point, a track's line through its located readings)."""
    readings = _readings_by_sensor(event)
    la90: dict[int, list[float]] = {}
    for pk, value in event_readings(event=event, quantity=Quantity.LA90).values_list(
            "sensor_id", "value"):
        la90.setdefault(pk, []).append(value)
    tracks: dict[int, list[list[float]]] = {}
    for pk, point in event_readings(event=event).filter(location__isnull=False).order_by(
            "sensor_id", "measured_at").values_list("sensor_id", "location"):
        if point is not None:
            tracks.setdefault(pk, []).append(list(point.coords))
    out = []
    for sensor in event_sensors(event=event):
        figures = sensor_figures(readings[sensor.pk])
        if sensor.deployment == Sensor.Deployment.MOBILE:
            coords = tracks.get(sensor.pk, [])
            geometry = ({"type": "LineString", "coordinates": coords} if len(coords) > 1 else
                        {"type": "Point", "coordinates": coords[0]} if coords else None)
        elif sensor.location is not None:
            geometry = {"type": "Point", "coordinates": list(sensor.location.coords)}
        else:  # a fixed station whose place was never given
            geometry = None
        out.append({
            "code": sensor.code, "aliases": sorted(a.alias for a in sensor.aliases.all()),
            "name": sensor.name, "kind": sensor.deployment, "source": sensor.source,
            **figures, **app_comparison(sensor.metadata),
            # Percentile levels are never averaged (docs/acoustics.md §2.2): one reported
            # LA90 is given as such, several are only counted.
            "la90_db_reported": _single(la90.get(sensor.pk, [])),
            "la90_readings": len(la90.get(sensor.pk, [])), "tags": sensor.metadata.get("tags", []),
            "left_out": _left_out_reason(figures) if _all_flagged(readings[sensor.pk]) else None,
            "geometry": geometry,
        })
    return out


def _single(values: list[float]) -> float | None:
    return round(values[0], 2) if len(values) == 1 else None


def _all_flagged(readings: SensorReadings) -> bool:
    return bool(readings.flags) and all(set(f) & set(LEFT_OUT_FLAGS) for f in readings.flags)


def sensors_collection(*, event: Event, translate: Callable[[str], str] = str) -> dict[str, Any]:
    """The sensors serving ``event`` as a GeoJSON FeatureCollection of those the overlay
    uses, and ``left_out``: those it leaves out, each with its reason explained (the same
    list the overlay gives, :func:`layers.frames.split_left_out`)."""
    summaries = sensor_summaries(event=event)
    _, left_out = frames.split_left_out(reading_table(reading_rows(event=event)))
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": s["code"], "geometry": s["geometry"],
                      "properties": {k: v for k, v in s.items() if k != "geometry"}}
                     for s in summaries if s["left_out"] is None],
        "left_out": [item.as_dict(translate) for item in left_out],
    }


def reading_rows(*, event: Event) -> list[tuple[Any, ...]]:
    """The LAeq readings serving ``event`` as the rows of :func:`layers.frames.readings_frame`
    (the reading's point, else its sensor's, as WKB; None for a second without GPS fix)."""
    return [(*r[:8], _wkb(r[8] if r[8] is not None else r[9]))
            for r in event_readings(event=event).values_list(
                "sensor_id", "sensor__code", "sensor__deployment", "measured_at", "duration_s",
                "value", "accuracy_m", "flags", "location", "sensor__location")]


def reading_table(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Every reading of ``rows``, placed or not, without geometry: to count what is left out."""
    return pd.DataFrame([r[:8] for r in rows], columns=list(frames.READING_COLUMNS))


def reports_frame(*, event: Event, public: bool, category: str = "noise") -> gpd.GeoDataFrame:
    """The event's reports of ``category`` (rejected and merged left out) as a frame: at
    their exact places and times, or their public ones (:func:`layers.frames.public_reports`)."""
    qs = NuisanceReport.objects.filter(event=event, category=category).filter(
        ~Q(status__in=[Status.REJECTED, Status.MERGED])).order_by("observed_at", "id")
    reports = frames.reports_frame((*r[:7], _wkb(r[7])) for r in qs.values_list(
        "id", "author_id", "category", "intensity", "sources", "observed_at", "observed_until",
        "geometry"))
    return frames.public_reports(reports) if public else reports


def measurement_summary(*, event: Event) -> gpd.GeoDataFrame:
    """One row per sensor serving the event, for GIS files (the GeoPackage ``measurements``
    layer), EPSG:4326.

    Columns: ``code``, ``name``, ``kind`` (fixed, mobile, spot), ``source``, ``readings``
    and ``readings_located`` (LAeq readings), ``seconds_measured``, ``first`` (start of the
    first period) and ``last`` (end of the last), UTC; ``laeq_db`` (every reading, energetic,
    ``layers.acoustics.laeq_db``), ``laeq_located_db`` (located readings), ``app_laeq_db``
    (NoiseCapture's own), ``l10_db``, ``l50_db``, ``l90_db`` (duration-weighted; empty below
    ``MIN_PERCENTILE_SAMPLES`` readings), all dB(A) to 0.01; ``left_out`` (why the overlay
    leaves the sensor out, empty when it does not). The geometry is a fixed sensor's point
    or a mobile track's line (a point with one located reading, empty with none).
    """
    summaries = sensor_summaries(event=event)

    def column(name: str, dtype: str) -> pd.Series:
        return pd.Series([s[name] for s in summaries], dtype=dtype)

    levels = ("laeq_db", "laeq_located_db", "app_laeq_db", "l10_db", "l50_db", "l90_db")
    return gpd.GeoDataFrame({
        **{name: column(name, "string") for name in ("code", "name", "kind", "source")},
        "readings": column("readings", "int64"),
        "readings_located": column("readings_located", "int64"),
        "seconds_measured": column("seconds_measured", "float64"),
        "first": pd.to_datetime([s["first"] for s in summaries], utc=True, format="ISO8601"),
        "last": pd.to_datetime([s["last"] for s in summaries], utc=True, format="ISO8601"),
        **{name: column(name, "float64") for name in levels},
        "left_out": column("left_out", "string"),
    }, geometry=[shape(s["geometry"]) if s["geometry"] else None for s in summaries],
        crs="EPSG:4326")

