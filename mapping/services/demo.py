"""The demo carto-party in Chambéry's centre, on real OpenStreetMap data (idempotent)."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from shapely.geometry import box, mapping

from mapping.models import Contributor, Event, EventRole, MappedFeature, NuisanceReport
from mapping.osm_file import read_bounds, tagged_nodes
from mapping.pseudonyms import pseudonym_key
from mapping.services.contributions import Author
from mapping.services.events import event_create
from mapping.services.features import feature_submit
from mapping.services.moderation import contribution_set_status
from mapping.services.participants import contributor_join
from mapping.services.reports import report_submit

DEMO_OSM = Path(__file__).resolve().parent.parent / "data" / "demo" / "chambery_centre_2021.osm"
SLUG = "chambery-centre"
JOIN_CODE = "CHAMBE73"
ORGANISER = "demo-organiser"
# Fixed ids make the demo idempotent: loading it twice stores nothing new.
NAMESPACE = uuid.UUID("5d1e8a34-8d4b-4c55-9a37-2f1f0c6a1b2e")


@dataclass(frozen=True)
class DemoResult:
    """What the demo command prints."""

    event: Event
    created: bool
    organiser_password: str | None


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def _participant(event: Event, pseudonym: str) -> Contributor:
    found = Contributor.objects.filter(event=event, pseudonym_key=pseudonym_key(pseudonym)).first()
    if found is not None:
        return found
    return contributor_join(event=event, join_code=JOIN_CODE, pseudonym=pseudonym).contributor


def _point(lon: float, lat: float) -> dict[str, object]:
    return {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}


@transaction.atomic
def demo_load(*, osm_path: Path = DEMO_OSM, now: dt.datetime | None = None) -> DemoResult:
    """Create (or find) the demo event, its organiser, participants, features and reports."""
    now = now or timezone.now()
    event = Event.objects.filter(slug=SLUG).first()
    created = event is None
    west, south, east, north = read_bounds(osm_path)
    if event is None:
        start = (now - dt.timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
        event = event_create(
            actor=None, name="Carto-party Chambéry centre", slug=SLUG,
            zone_geojson=mapping(box(west, south, east, north)),
            starts_at=start, ends_at=start + dt.timedelta(days=30), join_code=JOIN_CODE,
            description=(
                "Demo carto-party on a few blocks of Chambéry's centre. Map benches, "
                "defibrillators and kerb ramps; tell us what you hear and smell. "
                "Base data © OpenStreetMap contributors (ODbL)."
            ),
        )
    password = None
    user_model = get_user_model()
    organiser = user_model.objects.filter(username=ORGANISER).first()
    if organiser is None:
        password = secrets.token_urlsafe(12)
        organiser = user_model.objects.create_user(ORGANISER, password=password, is_staff=True)
    EventRole.objects.get_or_create(event=event, user=organiser, role=EventRole.Role.ORGANISER)

    camille = Author(contributor=_participant(event, "Camille"), entered_by=None, channel="web")
    noe = Author(contributor=_participant(event, "Noé"), entered_by=None, channel="web")
    bench = next(n for n in tagged_nodes(osm_path) if n.tags.get("amenity") == "bench")

    features: list[tuple[Author, str, dict[str, Any]]] = [
        # "This bench exists and I corrected it": a link to the real OSM node and its version.
        (camille, "bench-correction", dict(
            geometry=_point(bench.lon, bench.lat), preset="amenity/bench",
            tags={"backrest": "yes", "material": "wood"},
            osm={"type": "node", "id": bench.id, "version": bench.version}, consent_osm=True)),
        (camille, "defibrillator", dict(
            geometry=_point(5.93205, 45.56590), preset="emergency/defibrillator",
            tags={"indoor": "no", "defibrillator:location": "Sur la façade de la pharmacie"},
            consent_osm=True)),
        (noe, "kerb-ramp", dict(
            geometry=_point(5.93140, 45.56555), preset="barrier/kerb/lowered",
            tags={"tactile_paving": "no"}, consent_osm=True)),
        (noe, "bicycle-parking", dict(
            geometry=_point(5.93290, 45.56620), preset="amenity/bicycle_parking",
            tags={"bicycle_parking": "stands", "capacity": "6"}, consent_osm=False)),
    ]
    stored = {}
    for author, name, values in features:
        stored[name], _ = feature_submit(event=event, author=author, contribution_id=_id(name),
                                         **values)
    reports: list[tuple[Author, str, dict[str, Any]]] = [
        (noe, "noise-road", dict(geometry=_point(5.93100, 45.56600), category="noise",
                                 intensity=4, sources=["road", "two_wheelers"],
                                 comment="Scooters qui accélèrent au feu, surtout le soir.")),
        (camille, "noise-voices", dict(geometry=_point(5.93250, 45.56640), category="noise",
                                       intensity=2, sources=["voices", "music"],
                                       comment="Terrasse animée, supportable.")),
        (camille, "smell-waste", dict(geometry=_point(5.93225, 45.56605), category="smell",
                                      intensity=3, sources=["waste"],
                                      comment="Conteneurs qui débordent le lundi.")),
        (noe, "light-advertising", dict(geometry=_point(5.93300, 45.56560), category="light",
                                        intensity=2, sources=["advertising"], comment="")),
    ]
    for index, (author, name, values) in enumerate(reports):
        stored[name], _ = report_submit(
            event=event, author=author, contribution_id=_id(name),
            observed_at=now - dt.timedelta(hours=2) + dt.timedelta(minutes=20 * index), **values,
        )
    if created:
        for name in ("bench-correction", "defibrillator", "noise-road"):
            contribution_set_status(contribution=stored[name], actor=organiser, status="accepted")
        contribution_set_status(
            contribution=stored["light-advertising"], actor=organiser, status="rejected",
            reason="Hors du périmètre de la carto-party : l'enseigne est dans une rue voisine.",
        )
    return DemoResult(event=event, created=created, organiser_password=password)


def demo_counts(event: Event) -> tuple[int, int]:
    """How many features and reports the demo event holds."""
    return (MappedFeature.objects.filter(event=event).count(),
            NuisanceReport.objects.filter(event=event).count())
