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
