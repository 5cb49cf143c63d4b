"""The demo carto-parties with their sensor data: Chambéry (mapping) and Nantes soundscape (real
measured and perceived noise from the LASSO survey). Idempotent: loading twice adds nothing.

Chambéry's demo has no sensor: no real measurement of those streets is at hand, and simulated
levels beside real reports would be an overlay that looks like evidence and is not. Its
overlay therefore shows perceived-not-measured cells; Nantes shows the real crossing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from layers.selectors.sensors import event_readings, event_sensors
from layers.services.imports import ImportSummary, measurements_import
from mapping.models import Event, EventRole, NuisanceReport
from mapping.services import demo as mapping_demo
from mapping.services.events import event_create

DEMO_GEOALL = Path(__file__).resolve().parent.parent / "data" / "demo" / "GeoAll.geojson"
NANTES_SLUG = "nantes-soundscape"
NANTES_JOIN_CODE = "NANTES44"
# The survey's listening points span lon −1.6012…−1.4950, lat 47.1831…47.2672.
NANTES_ZONE = {"type": "Polygon", "coordinates": [[
    [-1.61, 47.175], [-1.485, 47.175], [-1.485, 47.275], [-1.61, 47.275], [-1.61, 47.175]]]}
PARIS = dt.timezone(dt.timedelta(hours=1))


@dataclass(frozen=True)
class SensorDemo:
    """The Nantes soundscape event, whether it was created now, and what it holds."""

    event: Event
    created: bool
    sensors: int
    readings: int
    reports: int
    summary: ImportSummary


@dataclass(frozen=True)
class DemoResults:
    """Both demo events, for the ``demo`` command to print."""

    chambery: mapping_demo.DemoResult
    nantes: SensorDemo


def nantes_demo_load(*, geoall: Path = DEMO_GEOALL) -> SensorDemo:
    """Create (or find) "Nantes soundscape" and import the LASSO survey into it."""
    event = Event.objects.filter(slug=NANTES_SLUG).first()
    created = event is None
    if event is None:
        event = event_create(
            actor=None, name="Nantes soundscape (LASSO 2019–2020)", slug=NANTES_SLUG,
            zone_geojson=NANTES_ZONE, starts_at=dt.datetime(2019, 3, 1, tzinfo=PARIS),
            ends_at=dt.datetime(2020, 4, 1, tzinfo=PARIS), join_code=NANTES_JOIN_CODE,
            description=(
                "Real measured and perceived noise: students of the LASSO soundscape survey "
                "listened at points of Nantes (March 2019 and 2020), each beside a 3-minute "
                "NoiseCapture measurement. Data: Aumond, Guiu, Allès, Can, 2019–2020 "
                "(Universite-Gustave-Eiffel/lasso, EUPL-1.1). Dates are known to the year only."
            ),
        )
    organiser = get_user_model().objects.filter(username=mapping_demo.ORGANISER).first()
    if organiser is not None:
        EventRole.objects.get_or_create(event=event, user=organiser,
                                        role=EventRole.Role.ORGANISER)
    # The importer is idempotent (natural keys for readings, stable ids for reports).
    summary = measurements_import(paths=[geoall], fmt="lasso", event=event)
    return SensorDemo(
        event=event, created=created, sensors=event_sensors(event=event).count(),
        readings=event_readings(event=event).count(),
        reports=NuisanceReport.objects.filter(event=event).count(), summary=summary)


@transaction.atomic
def demo_load() -> DemoResults:
    """Both demo carto-parties: Chambéry (features, reports) and Nantes (sensors, reports)."""
    chambery = mapping_demo.demo_load()
    return DemoResults(chambery=chambery, nantes=nantes_demo_load())
