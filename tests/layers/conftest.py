"""Fixtures of the layers tests: the real noise files and a Nantes event around the survey."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

NOISE = Path(__file__).resolve().parents[1] / "data" / "noise"
GEOALL = NOISE / "GeoAll.geojson"
# The LASSO survey's points span lon −1.6012…−1.4950, lat 47.1831…47.2672.
NANTES_ZONE = {"type": "Polygon", "coordinates": [[
    [-1.61, 47.175], [-1.485, 47.175], [-1.485, 47.275], [-1.61, 47.275], [-1.61, 47.175]]]}


@pytest.fixture
def nantes(db):  # type: ignore[no-untyped-def]
    from tests.conftest import make_event

    return make_event("nantes-2019", zone_geojson=NANTES_ZONE,
                      starts_at=dt.datetime(2019, 3, 1, tzinfo=dt.UTC),
                      ends_at=dt.datetime(2020, 4, 1, tzinfo=dt.UTC))


@pytest.fixture
def nantes_imported(nantes):  # type: ignore[no-untyped-def]
    from layers.services import measurements_import

    summary = measurements_import(paths=[GEOALL], event=nantes)
    return nantes, summary


PORNICHET_TRACK = NOISE / "track_07efe9f7-bda1-4e49-8514-f3a2a1fc576d.zip"
PORNICHET_UUID = "232d26c5-8004-4321-aedc-fe5f678595d2"  # in meta.properties, not the file name


def box_zone(west: float, south: float, east: float, north: float) -> dict:  # type: ignore[type-arg]
    """A rectangular zone (GeoJSON, WGS84)."""
    return {"type": "Polygon", "coordinates": [[
        [west, south], [east, south], [east, north], [west, north], [west, south]]]}


@pytest.fixture
def pornichet(db):  # type: ignore[no-untyped-def]
    """An event around the Pornichet NoiseCapture track (2017-09-20 08:13–08:15 UTC)."""
    from tests.conftest import make_event

    return make_event("pornichet-2017", zone_geojson=box_zone(-2.335, 47.255, -2.325, 47.262),
                      starts_at=dt.datetime(2017, 9, 20, 8, tzinfo=dt.UTC),
                      ends_at=dt.datetime(2017, 9, 20, 9, tzinfo=dt.UTC))


@pytest.fixture
def chambery_june(db):  # type: ignore[no-untyped-def]
    """The Chambéry zone on 2024-06-21 (UTC), when the sample station and DNMS files measured."""
    from tests.conftest import make_event

    return make_event("chambery-june", starts_at=dt.datetime(2024, 6, 21, tzinfo=dt.UTC),
                      ends_at=dt.datetime(2024, 6, 22, tzinfo=dt.UTC))
