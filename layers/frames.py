"""THE seam between the database and the pure analysis: rows → checked GeoDataFrames (pure).

Selectors fetch plain rows (``values_list``) and hand them here; every analysis module takes
these frames and may trust their columns, dtypes and CRS (EPSG:4326, lon/lat).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import wkb
from shapely.geometry import Point

from layers.importers.records import LEFT_OUT_FLAGS
from mapping.privacy import coarsen_geometry, coarsen_time

WGS84 = "EPSG:4326"
READING_COLUMNS = ("sensor_id", "sensor_code", "deployment", "measured_at", "duration_s", "laeq_db",
                   "accuracy_m", "flags")
REPORT_COLUMNS = ("report_id", "contributor_id", "category", "intensity", "sources",
                  "observed_at", "observed_until")


def _point(raw: Any) -> Point | None:
    if raw is None:
        return None
    geom = wkb.loads(bytes(raw)) if isinstance(raw, (bytes, bytearray, memoryview)) else raw
    return geom if geom.geom_type == "Point" else geom.centroid


def readings_frame(rows: Iterable[Sequence[Any]]) -> gpd.GeoDataFrame:
    """LAeq readings as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    rows : iterable of tuples
        ``(sensor_id, sensor_code, deployment, measured_at, duration_s, laeq_db, accuracy_m,
        flags, point_wkb)``: ``measured_at`` timezone-aware (start of the period),
        ``duration_s`` in s, ``laeq_db`` in dB(A), ``accuracy_m`` GPS accuracy in m or None,
        ``flags`` a list, ``point_wkb`` the reading's own point, else the sensor's (WKB or
        shapely, WGS84).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`READING_COLUMNS` + ``geometry``; ``measured_at`` is
        ``datetime64[ns, UTC]``; rows without a point (a track's seconds without GPS fix)
        are dropped: they cannot be placed. Flagged readings are kept: see
        :func:`split_left_out`.
    """
    records = [(*row[:8], _point(row[8])) for row in rows]
    frame = pd.DataFrame(records, columns=[*READING_COLUMNS, "geometry"])
    frame = frame[frame["geometry"].notna()]
    frame = frame.astype({"duration_s": "float64", "laeq_db": "float64", "accuracy_m": "float64"})
    frame["measured_at"] = pd.to_datetime(frame["measured_at"], utc=True)
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=WGS84)


@dataclass(frozen=True)
class LeftOut:
    """Readings left out of the overlay for one reason (a flag of :data:`LEFT_OUT_FLAGS`)."""

    reason: str
    sensors: tuple[str, ...]
    readings: int

    def as_dict(self, translate: Callable[[str], str] = str) -> dict[str, Any]:
        """JSON-ready, with the reason explained in the language of ``translate``."""
        return {"reason": self.reason, "explanation": translate(LEFT_OUT_FLAGS[self.reason]),
                "sensors": list(self.sensors), "readings": self.readings}


def split_left_out(readings: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, tuple[LeftOut, ...]]:
    """The readings the overlay may use, and what was left out and why.

    A reading carrying a flag of :data:`LEFT_OUT_FLAGS` (``test``, ``indoor``,
    ``laeq_below_la90``) is left out and counted under its first such flag, in the table's
    order; the result says which sensors and how many readings, never silently.
    """
    reasons = [next((f for f in LEFT_OUT_FLAGS if f in set(flags or ())), None)
               for flags in readings["flags"]]
    reason = pd.Series(reasons, index=readings.index, dtype="object")
    left = []
    for flag in LEFT_OUT_FLAGS:
        mine = readings[reason == flag]
        if len(mine):
            left.append(LeftOut(flag, tuple(sorted(set(mine["sensor_code"]))), len(mine)))
    return readings[reason.isna()].reset_index(drop=True), tuple(left)


def reports_frame(rows: Iterable[Sequence[Any]]) -> gpd.GeoDataFrame:
    """Nuisance reports as a GeoDataFrame in EPSG:4326 (a line or polygon → its centroid).

    ``rows`` are ``(report_id, contributor_id, category, intensity, sources, observed_at,
    observed_until, geometry_wkb)``; ``intensity`` is the 1–5 perceived scale, times are
    timezone-aware. ``observed_until`` is filled with ``observed_at`` when missing.
    """
    records = [(str(r[0]), r[1], r[2], int(r[3]), list(r[4] or ()), r[5], r[6] or r[5],
                _point(r[7])) for r in rows]
    frame = pd.DataFrame(records, columns=[*REPORT_COLUMNS, "geometry"])
    frame["observed_at"] = pd.to_datetime(frame["observed_at"], utc=True)
    frame["observed_until"] = pd.to_datetime(frame["observed_until"], utc=True)
    frame["intensity"] = frame["intensity"].astype("int64")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84)


def public_reports(reports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The reports as the public sees them: each at its public place and hour
    (:mod:`mapping.privacy`), so that nothing computed from them can place a report closer.
    """
    out = reports.copy()
    out["geometry"] = [coarsen_geometry(g) for g in reports.geometry]
    for column in ("observed_at", "observed_until"):
        out[column] = pd.to_datetime([coarsen_time(t.to_pydatetime()) for t in out[column]],
                                     utc=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=WGS84)


def check_frame(frame: gpd.GeoDataFrame, columns: Sequence[str], name: str) -> None:
    """Raise ``ValueError`` unless ``frame`` is a point GeoDataFrame in EPSG:4326 with
    ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{name} lacks column(s) {', '.join(missing)}"
        raise ValueError(msg)
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        msg = f"{name} must be in EPSG:4326, got {frame.crs}"
        raise ValueError(msg)
    if len(frame) and not np.all(frame.geometry.geom_type == "Point"):
        msg = f"{name} must hold points only"
        raise ValueError(msg)
