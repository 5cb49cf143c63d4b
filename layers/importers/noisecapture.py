"""NoiseCapture track ZIPs (``meta.properties`` + ``track.geojson``, one point a second), pure.

Data: ODbL 1.0 — "NoiseCapture — Université Gustave Eiffel (UMRAE) / CNRS Lab-STICC,
noise-planet.org". Format: ``docs/acoustics.md`` §8.1.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
import zlib
from pathlib import Path
from typing import Any, cast

import numpy as np

from layers.acoustics import energetic_mean_db
from layers.importers.limits import ImportLimits, read_member
from layers.importers.records import (
    ImportFormatError,
    Parsed,
    ReadingRecord,
    RowError,
    SensorRecord,
    check_level,
    check_lon_lat,
    parse_number,
)

# ZIP bombs: a real track is < 1 MB (one hour ≈ 3,600 points ≈ 5 MB of GeoJSON); the
# bounds are layers.importers.limits.ImportLimits (members, in_memory_bytes).
MAX_MEMBERS = ImportLimits().members
# GPS accuracy (m): 0 or less means "no fix"; beyond MAX the point is refused; beyond
# LOW it is kept but flagged (the overlay's join leaves it out, docs/acoustics.md §4.2).
MAX_ACCURACY_M = 500.0
LOW_ACCURACY_M = 30.0
# The app's whole-record leq_mean and our energetic recomputation over every second are
# flagged as differing beyond this (docs/acoustics.md §3.3).
APP_LEQ_TOLERANCE_DB = 0.1
EXCLUDING_TAGS = ("test", "indoor")
DEFAULT_LIMITS = ImportLimits()


def read_properties(text: str) -> dict[str, str]:
    r"""Java ``.properties`` as a dict (``#``/``!`` comments, ``=`` or ``:``, ``\:`` escapes).

    >>> read_properties("#c\nleq_mean=72,94\nx\\:y=a\\:b")
    {'leq_mean': '72,94', 'x:y': 'a:b'}
    """
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        key: list[str] = []
        value: list[str] = []
        escaped, seen_sep = False, False
        for ch in line:
            target = value if seen_sep else key
            if escaped:
                target.append(ch)
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch in "=:" and not seen_sep:
                seen_sep = True
            else:
                target.append(ch)
        out["".join(key).strip()] = "".join(value).strip()
    return out


def _open(path: Path, limits: ImportLimits) -> tuple[dict[str, str], dict[str, object]]:
    limits.check_file(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        msg = f"{path.name}: not a readable ZIP ({exc})"
        raise ImportFormatError(msg) from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.members:
            msg = f"{path.name}: {len(members)} members, at most {limits.members} in a track ZIP"
            raise ImportFormatError(msg)
        # Declared sizes refuse an honest large file at once; the bytes actually inflated
        # (read_member) refuse a forged one as soon as they pass the limit.
        refusal = limits.inflated_refusal(path.name, in_memory=True)
        if sum(m.file_size for m in members) > limits.in_memory_bytes:
            raise refusal
        names = {m.filename for m in members}
        if not {"meta.properties", "track.geojson"} <= names:
            msg = f"{path.name}: a NoiseCapture track needs meta.properties and track.geojson"
            raise ImportFormatError(msg)
        try:
            meta_bytes = read_member(archive, "meta.properties", limits.in_memory_bytes, refusal)
            track_bytes = read_member(archive, "track.geojson",
                                      limits.in_memory_bytes - len(meta_bytes), refusal)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            # Corrupt or truncated member data (bad CRC, broken stream, unknown compression).
            msg = f"{path.name}: damaged ZIP ({exc})"
            raise ImportFormatError(msg) from None
        except ImportFormatError as exc:
            if exc is refusal:
                raise
            msg = f"{path.name}: damaged ZIP ({exc})"
            raise ImportFormatError(msg) from None
        meta = read_properties(meta_bytes.decode("utf-8", "replace"))
        try:
            track = json.loads(track_bytes)
        except (ValueError, RecursionError) as exc:
            msg = f"{path.name}: track.geojson is not JSON ({exc})"
            raise ImportFormatError(msg) from None
    if not isinstance(track, dict) or not isinstance(track.get("features"), list):
        msg = f"{path.name}: track.geojson is not a FeatureCollection"
        raise ImportFormatError(msg)
    return meta, track


def _point(feature: dict[str, object]) -> tuple[float, float] | str | None:
    """The feature's WGS84 point, None without a GPS fix, or why its geometry is refused."""
    geom = feature.get("geometry")
    if geom is None:
        return None  # no GPS fix: still a measurement of the track at that second
    if not isinstance(geom, dict) or geom.get("type") != "Point":
        return "geometry is not a Point"
    coords = geom.get("coordinates")
    try:
        lon, lat = parse_number(coords[0]), parse_number(coords[1])  # type: ignore[index]
    except (TypeError, IndexError, ValueError):
        return f"unreadable coordinates {coords!r}"
    return check_lon_lat(lon, lat) or (lon, lat)


def parse_noisecapture(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> Parsed:
    """Parse one track ZIP into a mobile sensor and its 1-s LAeq readings.

    Parameters
    ----------
    path : Path
        A ``track_<uuid>.zip``.
    limits : ImportLimits
        At most ``limits.members`` members and ``limits.in_memory_bytes`` inflated (counted
        as they are inflated), else :class:`ImportFormatError` naming the limit.

    Returns
    -------
    Parsed
        One ``SensorRecord`` (code ``noisecapture:<uuid of meta.properties>``, alias
        ``noisecapture:<uuid of the file name>`` when it differs, deployment mobile) and one
        LAeq reading per accepted second: ``measured_at`` = ``leq_utc`` (UTC), 1 s, dB(A),
        its WGS84 point and GPS accuracy (m) — or no point for a second without GPS fix,
        which is still a measurement of the track at that time. Metadata: tags, device,
        calibration, the app's whole-record ``leq_mean`` and ours over every second
        (``laeq_record_db``) and over the located ones (``laeq_located_db``), and
        ``leq_mean_differs`` when the app's and ours differ by more than
        :data:`APP_LEQ_TOLERANCE_DB`. Refused seconds (absurd position or accuracy,
        unreadable or implausible level, repeated time) are ``errors`` with their 1-based
        feature number; tracks tagged ``test``/``indoor`` get that flag on every reading
        (kept, left out of the overlay with that reason). No sensor when no second is kept.
    """
    meta, track = _open(path, limits)
    name = path.name
    parsed = Parsed(format="noisecapture")
    file_uuid = path.stem.removeprefix("track_")
    uuid = meta.get("uuid") or file_uuid
    code = f"noisecapture:{uuid}"
    tags = tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip())
    flags = tuple(t for t in EXCLUDING_TAGS if t in tags)
    seen: set[int] = set()
    levels: list[float] = []
    located: list[bool] = []
    features = cast("list[dict[str, Any]]", track["features"])
    for number, feature in enumerate(features, start=1):
        parsed.rows += 1
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        where = _point(feature) if isinstance(feature, dict) else "not a GeoJSON Feature"
        if not isinstance(props, dict):
            where = "properties are not an object"
        if isinstance(where, str):
            parsed.errors.append(RowError(name, number, where))
            continue
        try:
            level = parse_number(props.get("leq_mean"))
            utc_ms = int(parse_number(props.get("leq_utc")))
            moment = dt.datetime.fromtimestamp(utc_ms / 1000, tz=dt.UTC)
        except (ValueError, OverflowError, OSError) as exc:
            parsed.errors.append(RowError(name, number, f"unreadable level or time: {exc}"))
            continue
        reason = check_level(level)
        accuracy = props.get("accuracy") if where is not None else None
        try:
            accuracy_m = None if accuracy is None else parse_number(accuracy)
        except ValueError:
            accuracy_m = -1.0
        if reason is None and accuracy_m is not None and not 0 < accuracy_m <= MAX_ACCURACY_M:
            reason = f"GPS accuracy {accuracy} m outside (0, {MAX_ACCURACY_M:.0f}]"
        if reason is None and utc_ms in seen:
            reason = f"second {utc_ms} already in this track"
        if reason is not None:
            parsed.errors.append(RowError(name, number, reason))
            continue
        seen.add(utc_ms)
        levels.append(level)
        located.append(where is not None)
        low = ("low_accuracy",) if accuracy_m is not None and accuracy_m > LOW_ACCURACY_M else ()
        lon, lat = where if where is not None else (None, None)
        parsed.readings.append(ReadingRecord(
            sensor_code=code, measured_at=moment, duration_s=1.0, quantity="LAeq", value=level,
            unit="dB(A)", lon=lon, lat=lat, accuracy_m=accuracy_m, flags=flags + low,
        ))
    if not levels:
        parsed.notes.append(f"{name}: no second kept, no sensor created")
        return parsed
    metadata = _metadata(meta, name, np.asarray(levels), np.asarray(located))
    if metadata.get("leq_mean_differs"):
        parsed.notes.append(
            f"{name}: app leq_mean {metadata['leq_mean']:.2f} dB(A) vs "
            f"{metadata['laeq_record_db']:.2f} dB(A) recomputed energetically from "
            f"{len(levels)} seconds")
    unlocated = len(located) - sum(located)
    if unlocated:
        parsed.notes.append(f"{name}: {unlocated} of {len(levels)} seconds without GPS fix: "
                            "kept in the track's LAeq, not placed on maps")
    if flags:
        parsed.notes.append(f"{name}: tagged {', '.join(flags)}: kept, left out of the overlay")
    parsed.sensors.append(SensorRecord(
        code=code, deployment="mobile", source="noisecapture", name=f"NoiseCapture {uuid[:8]}",
        metadata=metadata,
        aliases=(f"noisecapture:{file_uuid}",) if file_uuid != uuid else (),
    ))
    return parsed


def _metadata(meta: dict[str, str], name: str, levels: np.ndarray, located: np.ndarray,
              ) -> dict[str, object]:
    """The sensor's metadata: app fields, and the track's LAeq by us beside the app's."""
    metadata: dict[str, object] = {
        "tags": [t.strip() for t in meta.get("tags", "").split(",") if t.strip()],
        "device": meta.get("device_model", ""), "app_version": meta.get("version_name", ""),
        "user_profile": meta.get("user_profile", ""),
        "noiseparty_tag": meta.get("noiseparty_tag", ""), "file": name,
    }
    for key in ("gain_calibration", "leq_mean", "time_length", "pleasantness"):
        try:
            metadata[key] = parse_number(meta[key])
        except (KeyError, ValueError):
            continue
    ours = energetic_mean_db(levels)
    metadata["laeq_record_db"] = round(ours, 2)
    metadata["laeq_located_db"] = (round(energetic_mean_db(levels[located]), 2)
                                   if located.any() else None)
    metadata["seconds_located"] = int(located.sum())
    app = metadata.get("leq_mean")
    if isinstance(app, float):
        metadata["leq_mean_differs"] = abs(app - ours) > APP_LEQ_TOLERANCE_DB
    return metadata
