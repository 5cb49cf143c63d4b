"""factory_boy factories with GeoDjango defaults: an event on the Chambéry zone and its rows.

Rows are built as the services would store them (a contribution comes with its "received"
history line), without going through the services: tests of a service call the service,
tests of everything else start from these.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone
from factory.django import DjangoModelFactory, Password
from rest_framework.authtoken.models import Token

from mapping.models import (
    Channel,
    Contributor,
    Event,
    EventRole,
    MappedFeature,
    NuisanceReport,
    StatusChange,
)
from mapping.presets import nuisance_categories, tag_presets
from mapping.services.participants import digest
from mapping.workflow import Status
from tests.geometries import INSIDE, ZONE

JOIN_CODE = "SAVOIE73"


def geos(geojson: dict[str, Any]) -> GEOSGeometry:
    """A GeoJSON geometry of :mod:`tests.geometries` as a GEOS geometry (WGS84)."""
    return GEOSGeometry(json.dumps(geojson), srid=4326)


class UserFactory(DjangoModelFactory):
    """A desk user (password ``x``)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = Password("x")


class TokenFactory(DjangoModelFactory):
    """A user's personal API token (``Authorization: Token <key>``)."""

    class Meta:
        model = Token

    user = factory.SubFactory(UserFactory)


class EventFactory(DjangoModelFactory):
    """A carto-party under way on the Chambéry zone, offering every preset and category."""

    class Meta:
        model = Event
        django_get_or_create = ("slug",)

    name = factory.LazyAttribute(lambda o: f"Carto-party {o.slug}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    zone = factory.LazyFunction(lambda: geos(ZONE))
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))
    ends_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    join_code = JOIN_CODE
    presets = factory.LazyFunction(lambda: list(tag_presets()))
    nuisance_categories = factory.LazyFunction(lambda: list(nuisance_categories()))


class EventRoleFactory(DjangoModelFactory):
    """A user's role in an event (organiser unless told)."""

    class Meta:
        model = EventRole

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    role = EventRole.Role.ORGANISER


class ContributorFactory(DjangoModelFactory):
    """A participant who joined with their phone; ``.token`` holds their secret for tests."""

    class Meta:
        model = Contributor

    event = factory.SubFactory(EventFactory)
    pseudonym = factory.Sequence(lambda n: f"Participant {n}")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    follow_key = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
    token_digest = factory.LazyAttribute(lambda o: digest(o.token))
    follow_digest = factory.LazyAttribute(lambda o: digest(o.follow_key))
    terms_version = "2026-11"

    @classmethod
    def _create(cls, model_class: type[Contributor], *args: Any, token: str, follow_key: str,
                **kwargs: Any) -> Contributor:
        contributor = super()._create(model_class, *args, **kwargs)
        # The secrets themselves are never stored (only digests): kept on the object for tests.
        contributor.token = token
        contributor.follow_key = follow_key
        return contributor


class _ContributionFactory(DjangoModelFactory):
    """What features and reports share; each row gets its first history line."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    author = factory.SubFactory(ContributorFactory, event=factory.SelfAttribute("..event"))
    channel = Channel.WEB
    geometry = factory.LazyFunction(lambda: geos(INSIDE))
    status = Status.RECEIVED

    @factory.post_generation
    def received(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        """The "received" line every stored contribution starts its history with."""
        if create:
            field = "feature" if isinstance(obj, MappedFeature) else "report"
            StatusChange.objects.create(**{field: obj}, from_status="",
                                        to_status=Status.RECEIVED,
                                        actor_contributor=obj.author, actor_user=obj.entered_by)


class MappedFeatureFactory(_ContributionFactory):
    """A bench, from the ``amenity/bench`` preset."""

    class Meta:
        model = MappedFeature

    tags = factory.LazyFunction(lambda: {"amenity": "bench"})
    preset = "amenity/bench"


class NuisanceReportFactory(_ContributionFactory):
    """Road noise, 3 out of 5, half an hour ago."""

    class Meta:
        model = NuisanceReport

    category = "noise"
    intensity = 3
    sources = factory.LazyFunction(lambda: ["road"])
    observed_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=30))
