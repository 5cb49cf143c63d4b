"""The figures of one sensor over an event: counts, times, LAeq, L10/L50/L90 (pure).

A mobile track's seconds without GPS fix are readings too: they count in the whole-record
LAeq (``laeq_db``) and not in the located part (``laeq_located_db``), docs/acoustics.md §3.2.
Levels are rounded to 0.01 dB.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from layers.acoustics import laeq_db, percentile_level_db

# Below this many samples percentile levels mean little (docs/acoustics.md §2.2).
MIN_PERCENTILE_SAMPLES = 30
LEVEL_DECIMALS = 2


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, LEVEL_DECIMALS)


@dataclass(frozen=True)
class SensorReadings:
    """One sensor's LAeq readings in an event, as arrays of equal length.

    ``starts`` are timezone-aware datetimes (start of each period), ``levels_db`` dB(A),
    ``durations_s`` s, ``located`` whether the reading has a place (its own point or the
    sensor's), ``flags`` one list per reading.
    """

    starts: list[dt.datetime]
    levels_db: npt.NDArray[np.float64]
    durations_s: npt.NDArray[np.float64]
    located: npt.NDArray[np.bool_]
    flags: list[list[str]]


def sensor_figures(readings: SensorReadings) -> dict[str, Any]:
    """Counts, first start and last end, whole-record and located LAeq, L10/L50/L90.

    Returns a dict: ``readings``, ``readings_located``, ``seconds_measured``,
    ``seconds_located`` (s), ``first`` (start of the first period) and ``last`` (end of the
    last one), ISO 8601 UTC or None; ``laeq_db`` (every reading) and ``laeq_located_db``
    (the located ones), energetic and duration-weighted, dB(A) to 0.01 or None;
    ``l10_db``, ``l50_db``, ``l90_db`` from every reading (duration-weighted, None below
    :data:`MIN_PERCENTILE_SAMPLES` with ``percentiles_note`` saying why); ``flags``.
    """
    levels, durations, located = readings.levels_db, readings.durations_s, readings.located
    n = int(levels.size)
    enough = n >= MIN_PERCENTILE_SAMPLES
    ends = [start + dt.timedelta(seconds=float(d)) for start, d in zip(
        readings.starts, durations, strict=True)]
    return {
        "readings": n, "readings_located": int(located.sum()),
        "seconds_measured": float(durations.sum()),
        "seconds_located": float(durations[located].sum()),
        "first": min(readings.starts).isoformat() if n else None,
        "last": max(ends).isoformat() if n else None,
        "laeq_db": _round(laeq_db(levels, durations)) if n else None,
        "laeq_located_db": (_round(laeq_db(levels[located], durations[located]))
                            if located.any() else None),
        **{f"l{p}_db": _round(percentile_level_db(levels, p, durations)) if enough else None
           for p in (10, 50, 90)},
        "percentiles_note": None if enough else
        f"fewer than {MIN_PERCENTILE_SAMPLES} samples: L10/L50/L90 not given",
        "flags": sorted({f for flags in readings.flags for f in flags}),
    }


def app_comparison(metadata: dict[str, Any]) -> dict[str, Any]:
    """NoiseCapture's own whole-record ``leq_mean`` beside ours, from a track's metadata.

    ``app_laeq_db`` (the app's, dB(A)), ``record_laeq_db`` (ours over every second of the
    file) and ``app_laeq_differs`` (more than 0.1 dB apart); None for other sensors.
    """
    app = metadata.get("leq_mean")
    return {"app_laeq_db": _round(app) if isinstance(app, (int, float)) else None,
            "record_laeq_db": metadata.get("laeq_record_db"),
            "app_laeq_differs": metadata.get("leq_mean_differs")}
