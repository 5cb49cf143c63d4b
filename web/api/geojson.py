"""GeoJSON (RFC 7946) representations of events, mapped features and nuisance reports.

Words: a *feature* is a ``MappedFeature``; what this module returns for one contribution is
a GeoJSON Feature, a ``dict`` (called an *item* in lists, never a "feature").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shapely
from django.utils.translation import get_language

from mapping.models import Contributor, Event, MappedFeature, StatusChange
from mapping.presets import nuisance_categories, tag_presets
from mapping.selectors import ReportView, SeenChange, seen_history


def geometry(geos: Any) -> dict[str, Any]:
    """A GEOS geometry as a GeoJSON geometry object (lon/lat).

    Through shapely from WKB: GEOS's own ``.json`` goes through OGR and a JSON parse (≈ 30 µs
    a point, the largest part of a page of features).
    """
    found: dict[str, Any] = shapely.geometry.mapping(shapely.from_wkb(bytes(geos.wkb)))
    return found


def history_json(steps: Sequence[SeenChange]) -> list[dict[str, Any]]:
    """A status history as the reader sees it (``mapping.selectors.seen_history``)."""
    return [{"from": step.from_status, "to": step.to_status, "at": step.at.isoformat(),
             "reason": step.reason, "merged_into": step.merged_into, "by": step.by}
            for step in steps]


def event(event: Event, *, request: Any = None, show_join_code: bool = False) -> dict[str, Any]:
    """An event: its zone as GeoJSON, the presets and categories it offers."""
    presets = tag_presets()
    categories = nuisance_categories()
    data: dict[str, Any] = {
        "slug": event.slug, "name": event.name, "description": event.description,
        "zone": geometry(event.zone), "bbox": list(event.zone.extent),
        "start": event.starts_at.isoformat(), "end": event.ends_at.isoformat(),
        "time_zone": event.time_zone,
        "presets": [presets[p] for p in event.presets if p in presets],
        "nuisance_categories": [categories[c] for c in event.nuisance_categories
                                if c in categories],
        # Noise reports may carry the ISO 12913 soundscape part (properties.soundscape).
        "soundscape": event.soundscape_enabled,
        "links": {
            "features": f"/api/v1/events/{event.slug}/features/",
            "reports": f"/api/v1/events/{event.slug}/reports/",
            "participants": f"/api/v1/events/{event.slug}/participants/",
            "map": f"/events/{event.slug}/",
        },
    }
    if show_join_code:
        data["join_code"] = event.join_code
    return data


def feature(item: MappedFeature, *, moderator: bool = False,
            history: Sequence[StatusChange] | None = None) -> dict[str, Any]:
    """A mapped feature as a GeoJSON Feature; tags and status in its properties.

    ``moderator`` (``Access.moderator``) adds the author and moderators' names. ``history``
    is the status history when the caller has it (as written), else the prefetched one.
    """
    changes = item.status_history() if history is None else history
    osm = ({"type": item.osm_type, "id": item.osm_id, "version": item.osm_version}
           if item.osm_id else None)
    return {
        "type": "Feature", "id": str(item.id), "geometry": geometry(item.geometry),
        "properties": {
            "kind": "feature", "tags": item.tags, "preset": item.preset or None,
            "status": item.status, "version": item.version, "osm": osm,
            "consent_osm": item.consent_osm, "channel": item.channel,
            "merged_into": str(item.merged_into_id) if item.merged_into_id else None,
            "created_at": item.created_at.isoformat(), "updated_at": item.updated_at.isoformat(),
            "history": history_json(seen_history(changes, show_names=moderator)),
            **({"author": item.author.pseudonym if item.author else None} if moderator else {}),
        },
    }


def report(view: ReportView) -> dict[str, Any]:
    """A nuisance report as its reader may see it (``mapping.selectors.report_views``)."""
    item = view.report
    return {
        "type": "Feature", "id": str(item.id), "geometry": shapely.geometry.mapping(view.geometry),
        "properties": {
            "kind": "report", "category": item.category, "intensity": item.intensity,
            "sources": item.sources, "observed_at": view.observed_at.isoformat(),
            "observed_until": view.observed_until.isoformat() if view.observed_until else None,
            "comment": view.comment, "status": item.status, "version": item.version,
            "channel": item.channel, "coarsened": not view.exact,
            "merged_into": str(item.merged_into_id) if item.merged_into_id else None,
            "created_at": view.created_at.isoformat(), "updated_at": view.updated_at.isoformat(),
            "history": history_json(view.history),
            **({"author": view.author} if view.for_moderator else {}),
        },
    }


def collection(items: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    """A FeatureCollection of GeoJSON Feature dicts (``items``: mapped features, reports…),
    with optional foreign members (licence, attribution…)."""
    return {"type": "FeatureCollection", **members, "features": items}


def contributor(person: Contributor) -> dict[str, Any]:
    """A participant as they see themselves."""
    return {"pseudonym": person.pseudonym, "event": person.event.slug,
            "joined_at": person.joined_at.isoformat(), "terms_version": person.terms_version,
            "language": get_language()}
