"""Submitting mapped features."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from mapping.errors import N_, InvalidInput
from mapping.geometry import FEATURE_GEOMETRY_TYPES
from mapping.models import Event, MappedFeature
from mapping.presets import apply_preset
from mapping.services.contributions import Author, Submitted, place, submit, to_geos
from mapping.tags import normalise_tags, validate_tags

OSM_TYPES = ("node", "way", "relation")


def _osm_link(osm: object) -> tuple[str, int | None, int | None]:
    """Validate ``{"type", "id", "version"}``, the OSM element this feature corrects."""
    if osm is None:
        return "", None, None
    if not isinstance(osm, Mapping):
        raise InvalidInput(N_('osm must be an object {"type", "id", "version"}.'), field="osm")
    osm_type, element_id, version = osm.get("type"), osm.get("id"), osm.get("version")
    if osm_type not in OSM_TYPES:
        raise InvalidInput(N_("osm.type must be one of {allowed}."), field="osm.type",
                           allowed=", ".join(OSM_TYPES))
    for name, value, limit in (("id", element_id, 2**63 - 1), ("version", version, 2**31 - 1)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= limit:
            raise InvalidInput(N_("osm.{name} must be a positive integer, as in OpenStreetMap."),
                               field=f"osm.{name}", name=name)
    return osm_type, element_id, version


def feature_submit(
    *,
    event: Event,
    author: Author,
    geometry: object,
    tags: object = None,
    preset: str = "",
    osm: object = None,
    consent_osm: bool = False,
    contribution_id: uuid.UUID | None = None,
    received_at: dt.datetime | None = None,
) -> Submitted[MappedFeature]:
    """Store a tagged feature (its own transaction); a replayed id gives what was stored."""

    def build(who: Author) -> MappedFeature:
        geom = place(event, geometry, allowed=FEATURE_GEOMETRY_TYPES)
        raw_tags: Any = {} if tags is None and preset else tags
        clean_tags = validate_tags(raw_tags) if raw_tags else {}
        if preset:
            clean_tags = apply_preset(preset_id=preset, offered=event.presets, tags=clean_tags,
                                      geometry_type=geom.geom_type)
        clean_tags = validate_tags(normalise_tags(clean_tags))
        osm_type, osm_id, osm_version = _osm_link(osm)
        if not isinstance(consent_osm, bool):
            raise InvalidInput(N_("consent_osm must be true or false."), field="consent_osm")
        return MappedFeature(
            event=event, author=who.contributor, entered_by=who.entered_by, channel=who.channel,
            geometry=to_geos(geom), tags=clean_tags, preset=preset, osm_type=osm_type,
            osm_id=osm_id, osm_version=osm_version, consent_osm=consent_osm,
            consent_at=timezone.now() if consent_osm else None,
            consent_terms_version=settings.TERMS_VERSION if consent_osm else "",
        )

    return submit(MappedFeature, event=event, author=author, contribution_id=contribution_id,
                  build=build, received_at=received_at)
