"""The representativity demo: a carto-party over Talence and Bègles with INSEE's real population
grid and **made-up** participation (idempotent).

The population (Filosofi 2015, 357 cells) is real; the participants, their contributions and
their answers are generated from a fixed seed to look like a first carto-party: a few
enthusiasts make most of the map around two meeting points, a mediator session at a social
centre and paper forms reach other people, and the south-east stays blank. Everything is
labelled as a demo in the event's name and description.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from shapely.geometry import Point, shape

from layers.models_population import PopulationGrid
from layers.services.population import population_import
from mapping.models import Contributor, Event, EventRole, GridCell, MappedFeature, NuisanceReport
from mapping.services.contributions import Author
from mapping.services.demo import ORGANISER
from mapping.services.events import event_create
from mapping.services.features import feature_submit
from mapping.services.grid import grid_create
from mapping.services.moderation import contribution_set_status
from mapping.services.participants import contributor_join, contributor_register
from mapping.services.reports import report_submit

FILOSOFI = Path(__file__).resolve().parent.parent / "data" / "population" / \
    "filosofi2015_200m_talence_begles.csv"
SLUG = "talence-begles-demo"
JOIN_CODE = "TALENCE33"
MEDIATOR = "demo-mediator"
# The convex hull of the 357 cells, 50 m wider: Talence and Bègles (and the campus between).
ZONE = {"type": "Polygon", "coordinates": [[
    [-0.5661, 44.7832], [-0.6058, 44.7884], [-0.6114, 44.8177], [-0.5919, 44.8252],
    [-0.5868, 44.8258], [-0.5372, 44.8216], [-0.5332, 44.8145], [-0.5265, 44.7928],
    [-0.5610, 44.7838], [-0.5661, 44.7832]]]}
PARIS = dt.timezone(dt.timedelta(hours=2))  # CEST on the demo's Saturday
STARTS = dt.datetime(2026, 9, 26, 10, 0, tzinfo=PARIS)
ENDS = dt.datetime(2026, 9, 26, 17, 0, tzinfo=PARIS)
NAMESPACE = uuid.UUID("0c7b8a3e-4f0d-4a8e-9d7e-726570726465")
# Where people gathered (lon, lat) and how far they walked (spread, degrees).
HUBS = {"talence_centre": (-0.5880, 44.8080, 0.0040), "campus_edge": (-0.5990, 44.7985, 0.0030),
        "begles_north": (-0.5560, 44.8090, 0.0035), "social_centre": (-0.5485, 44.7960, 0.0020),
        "market": (-0.5640, 44.7930, 0.0030)}
PRESETS = ["amenity/bench", "barrier/kerb/lowered", "amenity/waste_basket", "natural/tree",
           "amenity/bicycle_parking", "highway/street_lamp", "amenity/drinking_water"]
REPORTS = [("noise", ["road"]), ("noise", ["voices", "music"]), ("noise", ["works"]),
           ("smell", ["waste"]), ("light", ["street_lighting"])]
# Self-declared ages of those who answered: younger adults and the oldest are scarce.
AGES = {"under_18": 0.03, "18_24": 0.05, "25_39": 0.34, "40_54": 0.33, "55_64": 0.15,
        "65_79": 0.09, "80_plus": 0.01}


@dataclass(frozen=True)
class RepresentativityDemo:
    """The demo event, whether it was created now, and what it holds."""

    event: Event
    created: bool
    cells: int
    contributions: int


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def _people(rng: np.random.Generator) -> list[tuple[str, str, str, int]]:
    """(pseudonym, channel, hub, contributions) of every demo participant."""
    enthusiasts = [30, 24, 19, 11, 8, 7, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2]
    people = [(f"Démo {i + 1:02d}", "web", "talence_centre" if i % 3 else "campus_edge", n)
              for i, n in enumerate(enthusiasts + [1] * 23)]
    people = [(p, c, "begles_north" if i % 5 == 4 else hub, n)
              for i, (p, c, hub, n) in enumerate(people)]
    people += [(f"Médiation {i + 1}", "mediator", "social_centre", int(rng.integers(1, 4)))
               for i in range(9)]
    people += [(f"Papier {i + 1}", "paper", "market", int(rng.integers(1, 3))) for i in range(7)]
    return people


def _place(rng: np.random.Generator, hub: str, zone: object) -> dict[str, object]:
    lon, lat, spread = HUBS[hub]
    while True:
        point = Point(lon + rng.normal(0, spread * 1.4), lat + rng.normal(0, spread))
        if zone.contains(point):  # type: ignore[attr-defined]
            return {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]}


def _when(rng: np.random.Generator, channel: str) -> tuple[dt.datetime, dt.datetime]:
    """(received at, observed at): live during the day, mediators in the afternoon, paper
    forms typed in on Monday morning."""
    if channel == "mediator":
        observed = STARTS + dt.timedelta(hours=4, minutes=int(rng.integers(0, 120)))
        return observed, observed
    if channel == "paper":
        observed = STARTS + dt.timedelta(minutes=int(rng.integers(0, 420)))
        typed = STARTS + dt.timedelta(days=2, hours=-1, minutes=int(rng.integers(0, 120)))
        return typed, observed
    hour = rng.choice([0, 0, 1, 1, 1, 2, 4, 4, 5, 5, 6, 8, 10])  # lunch dip, evening at home
    received = STARTS + dt.timedelta(hours=int(hour), minutes=int(rng.integers(0, 60)))
    return received, received - dt.timedelta(minutes=int(rng.integers(0, 20)))


def _participant(event: Event, pseudonym: str, channel: str, mediator: object,
                 answers: dict[str, str] | None) -> Contributor:
    found = Contributor.objects.filter(event=event, pseudonym=pseudonym).first()
    if found is not None:
        return found
    if channel == "web":
        return contributor_join(event=event, join_code=JOIN_CODE, pseudonym=pseudonym,
                                profile=answers, received_at=STARTS).contributor
    return contributor_register(event=event, mediator=mediator, pseudonym=pseudonym)


def _answers(rng: np.random.Generator) -> dict[str, str] | None:
    if rng.random() > 0.72:
        return None  # skipped the optional questions
    answers = {"age_band": str(rng.choice(list(AGES), p=list(AGES.values()))),
               "lives_in_area": "yes" if rng.random() < 0.8 else "no",
               "first_participation": "yes" if rng.random() < 0.35 else "no"}
    if rng.random() < 0.85:
        answers["gender"] = str(rng.choice(["man", "woman", "another"], p=[0.58, 0.40, 0.02]))
    return answers


def _contribute(event: Event, author: Author, name: str, rng: np.random.Generator,
                hub: str, zone: object) -> MappedFeature | NuisanceReport:
    received, observed = _when(rng, author.channel)
    geometry = _place(rng, hub, zone)
    item: MappedFeature | NuisanceReport
    if rng.random() < 0.62:
        item, created = feature_submit(event=event, author=author, geometry=geometry,
                                       preset=str(rng.choice(PRESETS)),
                                       consent_osm=bool(rng.random() < 0.7),
                                       contribution_id=_id(name), received_at=received)
        model: type[MappedFeature] | type[NuisanceReport] = MappedFeature
    else:
        category, sources = REPORTS[int(rng.integers(0, len(REPORTS)))]
        item, created = report_submit(event=event, author=author, geometry=geometry,
                                      category=category, intensity=int(rng.integers(1, 6)),
                                      sources=sources, observed_at=observed,
                                      contribution_id=_id(name), received_at=received)
        model = NuisanceReport
    if created:  # the demo's contributions were received on the demo's day, not today
        model.objects.filter(pk=item.pk).update(created_at=received, updated_at=received)
    return item


@transaction.atomic
def representativity_demo_load(*, grid_path: Path = FILOSOFI) -> RepresentativityDemo:
    """Create (or find) the Talence–Bègles demo, its population grid and participation."""
    event = Event.objects.filter(slug=SLUG).first()
    created = event is None
    if event is None:
        event = event_create(
            actor=None, name="DÉMO — Carto-party Talence–Bègles (participation fictive)",
            slug=SLUG, zone_geojson=ZONE, starts_at=STARTS, ends_at=ENDS, join_code=JOIN_CODE,
            description=(
                "Démo de l'analyse de représentativité. La population est réelle (Insee, "
                "Filosofi 2015, données carroyées à 200 m, Licence Ouverte) ; les participants, "
                "leurs contributions et leurs réponses sont fictifs, générés pour l'exemple."))
    users = get_user_model()
    organiser = users.objects.filter(username=ORGANISER).first()
    mediator, new_user = users.objects.get_or_create(username=MEDIATOR)
    if new_user:  # enters the mediators' and paper contributions; nobody logs in as it
        mediator.set_unusable_password()
        mediator.save(update_fields=["password"])
    for user, role in ((organiser, EventRole.Role.ORGANISER), (mediator, EventRole.Role.MEDIATOR)):
        if user is not None:
            EventRole.objects.get_or_create(event=event, user=user, role=role)
    if not PopulationGrid.objects.filter(event=event).exists():
        population_import(event=event, path=grid_path)
    if organiser is not None and not GridCell.objects.filter(event=event).exists():
        grid_create(event=event, actor=organiser, size_m=500)
    rng = np.random.default_rng(2026)
    zone = shape(ZONE)
    for pseudonym, channel, hub, count in _people(rng):
        person = _participant(event, pseudonym, channel, mediator,
                              _answers(rng) if channel == "web" else None)
        author = Author(contributor=person, entered_by=None if channel == "web" else mediator,
                        channel=channel)
        for n in range(count):
            item = _contribute(event, author, f"{pseudonym}/{n}", rng, hub, zone)
            if created and organiser is not None and n == 0 and pseudonym.endswith("3"):
                contribution_set_status(contribution=item, actor=organiser, status="accepted")
    return RepresentativityDemo(
        event=event, created=created,
        cells=PopulationGrid.objects.get(event=event).cells.count(),
        contributions=MappedFeature.objects.filter(event=event).count()
        + NuisanceReport.objects.filter(event=event).count())
