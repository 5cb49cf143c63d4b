"""GeoJSON (RFC 7946) representations of events, features and reports."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import shapely
from django.utils.translation import get_language

from mapping.models import Contributor, Event, MappedFeature, NuisanceReport, StatusChange
from mapping.presets import nuisance_categories, tag_presets
from mapping.privacy import coarsen_geometry, coarsen_time
from mapping.workflow import Status


def geometry(geos: Any) -> dict[str, Any]:
    """A GEOS geometry as a GeoJSON geometry object (lon/lat)."""
    return json.loads(geos.json)


def history_of(
    changes: Sequence[StatusChange], *, show_names: bool, coarse: bool = False
) -> list[dict[str, Any]]:
    """A contribution's status history, as its author and the public see it.

    ``coarse`` rounds times to the hour: a report's creation time is its observation time.
    """
    steps = []
    for change in changes:
        if change.actor_user is not None:
            by = change.actor_user.get_username() if show_names else (
                "mediator" if change.from_status == "" else "moderator")
        else:
            by = "participant"
        steps.append({
            "from": change.from_status or None, "to": change.to_status,
            "at": _moment(change.created_at, coarse), "reason": change.reason or None,
            "merged_into": str(change.merged_into) if change.merged_into else None, "by": by,
        })
    return steps


def _moment(moment: Any, coarse: bool) -> str:
    return (coarsen_time(moment) if coarse else moment).isoformat()


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
        "nuisance_categories": [categories[c] for c in event.nuisance_categories if c in categories],
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

    ``history`` is the status history when the caller has it (as written); otherwise the
    prefetched ``item.history``.
    """
    changes = list(item.history.all() if history is None else history)
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
            "history": history_of(changes, show_names=moderator),
            **({"author": item.author.pseudonym if item.author else None} if moderator else {}),
        },
    }


def report(
    item: NuisanceReport, *, exact: bool, moderator: bool = False,
    history: Sequence[StatusChange] | None = None,
) -> dict[str, Any]:
    """A nuisance report; place and time coarsened unless ``exact`` (officers, its author)."""
    changes = list(item.history.all() if history is None else history)
    if exact:
        geom = geometry(item.geometry)
        observed_at, observed_until = item.observed_at, item.observed_until
    else:
        geom = shapely.geometry.mapping(coarsen_geometry(shapely.from_wkb(bytes(item.geometry.wkb))))
        observed_at, observed_until = coarsen_time(item.observed_at), coarsen_time(item.observed_until)
    public_comment = exact or item.status in {Status.ACCEPTED, Status.EXPORTED}
    return {
        "type": "Feature", "id": str(item.id), "geometry": geom,
        "properties": {
            "kind": "report", "category": item.category, "intensity": item.intensity,
            "sources": item.sources, "observed_at": observed_at.isoformat(),
            "observed_until": observed_until.isoformat() if observed_until else None,
            "comment": item.comment if public_comment else None,
            "status": item.status, "version": item.version, "channel": item.channel,
            "coarsened": not exact,
            "merged_into": str(item.merged_into_id) if item.merged_into_id else None,
            "created_at": _moment(item.created_at, not exact),
            "updated_at": _moment(item.updated_at, not exact),
            "history": history_of(changes, show_names=moderator, coarse=not exact),
            **({"author": item.author.pseudonym if item.author else None} if moderator else {}),
        },
    }


def collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    """A FeatureCollection with optional foreign members (licence, attribution…)."""
    return {"type": "FeatureCollection", **members, "features": features}


def contributor(person: Contributor) -> dict[str, Any]:
    """A participant as they see themselves."""
    return {"pseudonym": person.pseudonym, "event": person.event.slug,
            "joined_at": person.joined_at.isoformat(), "terms_version": person.terms_version,
            "language": get_language()}
