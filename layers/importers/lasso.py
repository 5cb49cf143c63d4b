"""The LASSO Nantes soundscape survey (``GeoAll.geojson``): measured and perceived, pure.

Data: Universite-Gustave-Eiffel/lasso (EUPL-1.1), "Aumond, Guiu, Allès, Can, 2019–2020"
(Aumond et al., INTER-NOISE 2020). Format: ``docs/acoustics.md`` §8.4.

Each row is one student's answer at a listening point, next to a ≈3-minute NoiseCapture
LAeq and LA90 taken there. The file has no finer time than the year and no participant id:

- time: every row is placed at :data:`SURVEY_DAY` of its year, 14:00 Europe/Paris, and its
  readings carry the flag ``time_approximate`` (the survey took place in March);
- measurement: rows sharing point, year, LAeq and LA90 share one recording → one ``spot``
  sensor coded ``lasso-nantes:<smallest PK>``; LAeq < LA90 is impossible → flag
  ``laeq_below_la90`` (kept, left out of the overlay);
- participant: answers are grouped by listening point and year (the students standing there
  together), contributor ``LASSO <year> point <smallest PK of the point>`` — the clusters of
  the participant bootstrap;
- perceived loudness ``Nois`` 0–10 → intensity 1–5 (:func:`intensity_from_loudness`);
  a source is reported when its time-presence is ≥ :data:`SOURCE_PRESENT` on 0–10.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from layers.importers.limits import ImportLimits
from layers.importers.records import (
    ImportFormatError,
    Parsed,
    PerceivedRecord,
    ReadingRecord,
    RowError,
    SensorRecord,
    check_level,
    check_lon_lat,
    parse_number,
)

SURVEY_DAY = (3, 15)  # month, day
SURVEY_ZONE = ZoneInfo("Europe/Paris")
RECORDING_S = 180.0
SOURCE_PRESENT = 5.0
MIN_YEAR, MAX_YEAR = 2000, 2100  # the survey ran in 2019-2020
DEFAULT_LIMITS = ImportLimits()
# LASSO source columns → Cartoparty noise sources (mapping/data/nuisances.json).
SOURCES = {"Road": "road", "2Whe": "two_wheelers", "Rail": "rail", "AirT": "aircraft",
           "Heli": "aircraft", "Alar": "alarms", "UrMa": "works", "ExVo": "voices",
           "CaVo": "voices", "ChVo": "voices", "Musi": "music", "Bird": "animals"}
SCALES = {"Nois": "loudness", "Plea": "pleasant", "Calm": "calm", "Even": "eventful",
          "Exci": "exciting"}
FLAGS = ("time_approximate",)


def intensity_from_loudness(loudness: float) -> int:
    """Perceived loudness on 0–10 → report intensity 1–5 (0–1 → 1, 2–3 → 2 … 8–10 → 5).

    >>> [intensity_from_loudness(x) for x in (0, 1, 2, 5, 7, 8, 10)]
    [1, 1, 2, 3, 4, 5, 5]
    """
    return min(5, int(loudness // 2) + 1)


def is_lasso(data: object) -> bool:
    """Whether a parsed GeoJSON looks like the LASSO survey (``Leq`` and ``Nois`` columns)."""
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features or not isinstance(features[0], dict):
        return False
    props = features[0].get("properties")
    return isinstance(props, dict) and {"Leq", "L90", "Nois", "PK"} <= set(props)


def _num(props: dict[str, object], key: str) -> float | None:
    try:
        return parse_number(props.get(key))
    except ValueError:
        return None


def parse_lasso(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> Parsed:
    """Parse ``GeoAll.geojson`` into spot sensors, LAeq/LA90 readings and perceived answers.

    Returns
    -------
    Parsed
        Spot sensors (WGS84 points), readings (LAeq and LA90, dB(A), 180 s, flagged as in the
        module docstring), perceived records keyed ``lasso-nantes:<PK>``, and errors: rows
        without a usable point, year or PK (nothing kept), rows without ``Leq`` (no
        measurement; the answer is kept), rows without ``Nois`` (no report).
    """
    limits.check_in_memory(path)  # GeoJSON is read whole
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        msg = f"{path.name}: not JSON ({exc})"
        raise ImportFormatError(msg) from None
    if not is_lasso(data):
        msg = f"{path.name}: not the LASSO survey (needs Leq, L90, Nois and PK properties)"
        raise ImportFormatError(msg)
    parsed = Parsed(format="lasso")
    rows: list[tuple[int, int, float, float, int, dict[str, object]]] = []
    for number, feature in enumerate(data["features"], start=1):
        parsed.rows += 1
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        props = props if isinstance(props, dict) else {}
        geom = feature.get("geometry") if isinstance(feature, dict) else None
        try:
            lon, lat = (parse_number(c) for c in geom["coordinates"][:2])  # type: ignore[index]
            pk, year = int(parse_number(props.get("PK"))), int(parse_number(props.get("year")))
            if not MIN_YEAR <= year <= MAX_YEAR:
                msg = f"year {year} outside {MIN_YEAR}–{MAX_YEAR}"
                raise ValueError(msg)
        except (TypeError, KeyError, ValueError) as exc:
            parsed.errors.append(RowError(path.name, number, f"no usable point, PK or year: {exc}"))
            continue
        reason = check_lon_lat(lon, lat)
        if reason:
            parsed.errors.append(RowError(path.name, number, reason))
            continue
        rows.append((number, pk, lon, lat, year, props))
    point_group: dict[tuple[int, float, float], int] = {}
    recording: dict[tuple[int, float, float, float | None, float | None], int] = {}
    for _n, pk, lon, lat, year, props in sorted(rows, key=lambda r: r[1]):
        point_group.setdefault((year, lon, lat), pk)
        recording.setdefault((year, lon, lat, _num(props, "Leq"), _num(props, "L90")), pk)
    made: set[str] = set()
    for number, pk, lon, lat, year, props in rows:
        when = dt.datetime(year, *SURVEY_DAY, 14, tzinfo=SURVEY_ZONE).astimezone(dt.UTC)
        leq, l90 = _num(props, "Leq"), _num(props, "L90")
        if leq is None:
            parsed.errors.append(RowError(path.name, number, f"PK {pk}: no measured Leq"))
        elif reason := check_level(leq):
            parsed.errors.append(RowError(path.name, number, f"PK {pk}: {reason}"))
        else:
            code = f"lasso-nantes:{recording[(year, lon, lat, leq, l90)]}"
            flags: tuple[str, ...] = FLAGS
            if l90 is not None and leq < l90:
                flags += ("laeq_below_la90",)
                parsed.notes.append(f"{path.name} row {number} (PK {pk}): LAeq {leq} < LA90 {l90}"
                                    " — physically impossible, flagged")
            if code not in made:
                made.add(code)
                parsed.sensors.append(SensorRecord(
                    code=code, deployment="spot", source="lasso", name=f"Nantes {year} PK {pk}",
                    lon=lon, lat=lat, metadata={"year": year, "recording_s": RECORDING_S}))
                parsed.readings.append(ReadingRecord(code, when, RECORDING_S, "LAeq", leq,
                                                     "dB(A)", lon, lat, None, flags))
                if l90 is not None and check_level(l90) is None:
                    parsed.readings.append(ReadingRecord(code, when, RECORDING_S, "LA90", l90,
                                                         "dB(A)", lon, lat, None, flags))
        loudness = _num(props, "Nois")
        if loudness is None or not 0 <= loudness <= 10:
            parsed.errors.append(RowError(path.name, number,
                                          f"PK {pk}: no perceived loudness (Nois) in 0–10"))
            continue
        scales = ", ".join(f"{label} {_num(props, key):g}/10" for key, label in SCALES.items()
                           if _num(props, key) is not None)
        sources = tuple(dict.fromkeys(
            target for column, target in SOURCES.items()
            if (_num(props, column) or 0.0) >= SOURCE_PRESENT))
        parsed.perceived.append(PerceivedRecord(
            key=f"lasso-nantes:{pk}", group=f"LASSO {year} point {point_group[(year, lon, lat)]}",
            lon=lon, lat=lat, observed_at=when, intensity=intensity_from_loudness(loudness),
            sources=sources,
            comment=f"LASSO Nantes soundscape survey {year} (Aumond et al.), PK {pk}: {scales}.",
        ))
    return parsed
