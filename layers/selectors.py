"""Reads of the layers app: an event's sensors with their figures, and analysis frames."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
from django.db.models import Q, QuerySet

from layers import frames
from layers.acoustics import laeq_db, percentile_level_db
from layers.models import Measurement, Quantity, Sensor
from mapping.models import Event, NuisanceReport
from mapping.workflow import Status

# Below this many samples percentile levels mean little (docs/acoustics.md §2.3).
MIN_PERCENTILE_SAMPLES = 30


def _wkb(geos: Any) -> bytes | None:
    return None if geos is None else bytes(geos.wkb)


def sensors_of_event(*, event: Event) -> QuerySet[Sensor]:
    """Sensors attached to the event."""
    return Sensor.objects.filter(event=event).order_by("code")


def _readings(event: Event, quantity: str = Quantity.LAEQ) -> QuerySet[Measurement]:
    return Measurement.objects.filter(sensor__event=event, quantity=quantity)


def sensor_features(*, event: Event) -> list[dict[str, Any]]:
    """GeoJSON Features of the event's sensors with count, first/last time, LAeq, L10/50/90."""
    rows: dict[int, list[tuple[Any, ...]]] = {}
    for row in _readings(event).order_by("sensor_id", "measured_at").values_list(
        "sensor_id", "measured_at", "duration_s", "value", "location", "flags"
    ):
        rows.setdefault(row[0], []).append(row)
    la90 = dict(_readings(event, Quantity.LA90).values_list("sensor_id", "value"))
    features = []
    for sensor in sensors_of_event(event=event):
        mine = rows.get(sensor.pk, [])
        if sensor.kind == Sensor.Kind.MOBILE:
            coords = [list(r[4].coords) for r in mine if r[4] is not None]
            geometry = ({"type": "LineString", "coordinates": coords} if len(coords) > 1 else
                        {"type": "Point", "coordinates": coords[0]} if coords else None)
        else:
            geometry = {"type": "Point", "coordinates": list(sensor.location.coords)}
        levels = np.array([r[3] for r in mine], dtype=float)
        durations = np.array([r[2] for r in mine], dtype=float)
        enough = len(mine) >= MIN_PERCENTILE_SAMPLES
        pct = {f"l{n}_db": (round(percentile_level_db(levels, n, durations), 1) if enough else None)
               for n in (10, 50, 90)}
        features.append({"type": "Feature", "id": sensor.code, "geometry": geometry, "properties": {
            "code": sensor.code, "name": sensor.name, "kind": sensor.kind, "source": sensor.source,
            "readings": len(mine), "seconds_measured": float(durations.sum()),
            "first": mine[0][1].isoformat() if mine else None,
            "last": mine[-1][1].isoformat() if mine else None,
            "laeq_db": round(laeq_db(levels, durations), 1) if mine else None,
            **pct, "percentiles_note": None if enough else
            f"fewer than {MIN_PERCENTILE_SAMPLES} samples: L10/L50/L90 not given",
            "la90_db_reported": la90.get(sensor.pk),
            "flags": sorted({f for r in mine for f in (r[5] or [])}),
            "tags": sensor.metadata.get("tags", []),
        }})
    return features


def readings_frame(*, event: Event) -> gpd.GeoDataFrame:
    """The event's LAeq readings (flagged ones left out) as a frame, see layers.frames."""
    rows = _readings(event).select_related("sensor").values_list(
        "sensor_id", "sensor__code", "sensor__kind", "measured_at", "duration_s", "value",
        "accuracy_m", "flags", "location", "sensor__location")
    return frames.readings_frame(
        (*r[:8], _wkb(r[8] if r[8] is not None else r[9])) for r in rows)


def reports_frame(*, event: Event, category: str = "noise") -> gpd.GeoDataFrame:
    """The event's reports of ``category`` (rejected and merged left out) as a frame."""
    qs = NuisanceReport.objects.filter(event=event, category=category).filter(
        ~Q(status__in=[Status.REJECTED, Status.MERGED])).order_by("observed_at", "id")
    return frames.reports_frame((*r[:7], _wkb(r[7])) for r in qs.values_list(
        "id", "author_id", "category", "intensity", "sources", "observed_at", "observed_until",
        "geometry"))


def measurement_summary(*, event: Event) -> gpd.GeoDataFrame:
    """One row per sensor of the event, for GIS files (the GeoPackage ``measurements`` layer).

    The figures of :func:`sensor_features` as a frame in EPSG:4326: ``code``, ``name``,
    ``kind``, ``source``, ``readings`` (LAeq readings), ``seconds_measured``, ``first`` and
    ``last`` (UTC), ``laeq_db`` (energetic, ``layers.acoustics.laeq_db``) and ``l10_db``,
    ``l50_db``, ``l90_db`` (duration-weighted; empty below ``MIN_PERCENTILE_SAMPLES``
    readings), all dB(A). The geometry is a fixed sensor's point or a mobile track's line
    (a point with one located reading, empty with none).
    """
    import pandas as pd  # imports kept here: this function was appended to the module
    from shapely.geometry import shape

    features = sensor_features(event=event)
    properties = [f["properties"] for f in features]

    def column(name: str, dtype: str) -> pd.Series:
        return pd.Series([p[name] for p in properties], dtype=dtype)

    return gpd.GeoDataFrame({
        "code": column("code", "string"), "name": column("name", "string"),
        "kind": column("kind", "string"), "source": column("source", "string"),
        "readings": column("readings", "int64"),
        "seconds_measured": column("seconds_measured", "float64"),
        "first": pd.to_datetime([p["first"] for p in properties], utc=True, format="ISO8601"),
        "last": pd.to_datetime([p["last"] for p in properties], utc=True, format="ISO8601"),
        **{name: column(name, "float64") for name in ("laeq_db", "l10_db", "l50_db", "l90_db")},
    }, geometry=[shape(f["geometry"]) if f["geometry"] else None for f in features],
        crs="EPSG:4326")
