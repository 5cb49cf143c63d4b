"""Inputs of the representativity tests: the real population grid, contributions made to order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from layers.importers.population import parse_population
from layers.representativity.document import EventData
from layers.representativity.timing import EventWindow
from tests.layers.population_data import BOTH_COMMUNES, FILOSOFI_2015, TALENCE_PART

# Saturday 10 October 2026, 10:00–17:00 in Paris (UTC+2).
START = dt.datetime(2026, 10, 10, 8, 0, tzinfo=dt.UTC)
WINDOW = EventWindow(START, START + dt.timedelta(hours=7), "Europe/Paris")
ATTRIBUTION = "Source : Insee, Filosofi 2015, données carroyées à 200 m"


@lru_cache(maxsize=4)
def grid(zone: BaseGeometry = TALENCE_PART) -> gpd.GeoDataFrame:
    """The real Filosofi 2015 cells of ``zone`` as the document takes them."""
    parsed = parse_population(FILOSOFI_2015, zone_wgs84=zone)
    return gpd.GeoDataFrame({
        "code": [c.code for c in parsed.cells], "population": [c.population for c in parsed.cells],
        "households": [c.households for c in parsed.cells],
        "imputed": [c.imputed for c in parsed.cells],
        "zone_share": [c.zone_share for c in parsed.cells],
        "attributes": [c.attributes for c in parsed.cells]},
        geometry=[c.polygon for c in parsed.cells], crs="EPSG:4326")


def contributions(rows: Sequence[tuple[str, str, float, float, dt.datetime | None]],
                  kind: str = "feature") -> gpd.GeoDataFrame:
    """Contributions from ``(contributor, channel, lon, lat, at)`` rows."""
    return gpd.GeoDataFrame(
        {"contributor": [r[0] for r in rows], "channel": [r[1] for r in rows], "kind": kind,
         "at": pd.to_datetime([r[4] for r in rows], utc=True)},
        geometry=[Point(r[2], r[3]) for r in rows], crs="EPSG:4326")


def event_data(rows: Sequence[tuple[str, str, float, float, dt.datetime | None]], *,
               zone: BaseGeometry = TALENCE_PART, with_grid: bool = True,
               squares: gpd.GeoDataFrame | None = None, answers: Sequence[dict] = (),  # type: ignore[type-arg]
               asked: int = 0, participants: int | None = None) -> EventData:
    """An EventData over ``zone`` with the real grid (or none) and these contributions."""
    frame = contributions(rows)
    return EventData(zone=zone, window=WINDOW, contributions=frame,
                     cells=grid(zone) if with_grid else None, squares=squares,
                     population_source=ATTRIBUTION if with_grid else "", answers=answers,
                     asked=asked, participants=participants if participants is not None
                     else frame["contributor"].nunique())


__all__ = ["BOTH_COMMUNES", "START", "TALENCE_PART", "WINDOW", "contributions", "event_data",
           "grid"]
