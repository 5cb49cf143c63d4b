"""Reads for the representativity analytics: one event's data as the pure core takes it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
from django.db.models import Q
from shapely import wkb
from shapely import wkt as shapely_wkt

from layers.models_population import PopulationCell, PopulationGrid
from layers.representativity.coverage import squares_frame
from layers.representativity.document import CHANNELS, EventData, Query, Result, representativity
from layers.representativity.timing import EventWindow
from mapping import permissions
from mapping.errors import N_, InvalidInput
from mapping.models import Channel, Contributor, Event, GridCell, MappedFeature, NuisanceReport
from mapping.selectors import parse_bbox
from mapping.selectors.profiles import declared_answers, participants_asked
from mapping.workflow import Status

WGS84 = "EPSG:4326"
# Typed in or loaded after the fact: their reception time says nothing of participation.
LATE_CHANNELS = {Channel.PAPER, Channel.IMPORT}
BAD_TIME = N_("{field_name} must be a date and time such as 2026-10-10T14:00 (ISO 8601).")
BAD_CHANNEL = N_("Unknown channel {channel!r}; channels: {allowed}.")


def _point(raw: Any) -> Any:
    geom = wkb.loads(bytes(raw.wkb))
    return geom if geom.geom_type == "Point" else geom.representative_point()


def contributions_frame(*, event: Event) -> gpd.GeoDataFrame:
    """The event's features and reports (rejected ones left out) as points with contributor,
    channel, kind and participation time ``at`` (see ``layers.representativity.timing``)."""
    rows: list[tuple[Any, ...]] = []
    kept = ~Q(status=Status.REJECTED)
    for pk, author, channel, geometry, created in MappedFeature.objects.filter(
            kept, event=event).values_list("pk", "author_id", "channel", "geometry", "created_at"):
        at = None if channel in LATE_CHANNELS else created
        rows.append((author if author is not None else f"gone:{pk}", channel, "feature", at,
                     _point(geometry)))
    for pk, author, channel, geometry, created, observed in NuisanceReport.objects.filter(
            kept, event=event).values_list("pk", "author_id", "channel", "geometry",
                                           "created_at", "observed_at"):
        at = observed if channel in LATE_CHANNELS else created
        rows.append((author if author is not None else f"gone:{pk}", channel, "report", at,
                     _point(geometry)))
    frame = pd.DataFrame(rows, columns=["contributor", "channel", "kind", "at", "geometry"])
    frame["contributor"] = frame["contributor"].astype(str)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84)


def population_cells(*, event: Event) -> tuple[gpd.GeoDataFrame | None, str]:
    """The event's population grid as a frame, and its attribution (None, "" without one)."""
    grid = PopulationGrid.objects.filter(event=event).first()
    if grid is None:
        return None, ""
    rows = list(PopulationCell.objects.filter(grid=grid).order_by("code").values_list(
        "code", "population", "households", "imputed", "zone_share", "attributes", "geometry"))
    if not rows:
        return None, grid.attribution
    frame = pd.DataFrame([r[:6] for r in rows], columns=["code", "population", "households",
                                                         "imputed", "zone_share", "attributes"])
    return gpd.GeoDataFrame(frame, geometry=[wkb.loads(bytes(r[6].wkb)) for r in rows],
                            crs=WGS84), grid.attribution


def event_data(*, event: Event) -> EventData:
    """Everything the representativity document of ``event`` is computed from."""
    cells, source = population_cells(event=event)
    squares = list(GridCell.objects.filter(event=event).values_list("label", "geometry"))
    return EventData(
        zone=shapely_wkt.loads(event.zone.wkt),
        window=EventWindow(event.starts_at, event.ends_at, event.time_zone),
        contributions=contributions_frame(event=event), cells=cells,
        squares=squares_frame([s[0] for s in squares], [wkb.loads(bytes(s[1].wkb))
                                                        for s in squares]) if squares else None,
        population_source=source, answers=declared_answers(event=event),
        asked=participants_asked(event=event),
        participants=Contributor.objects.filter(event=event).count())


def _moment(raw: str, field: str, event: Event) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(BAD_TIME, field=field, field_name=field) from None
    if moment.tzinfo is None:  # a time without offset is the event's local time
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(event.time_zone))
    return moment


def parse_query(params: Mapping[str, Any], *, event: Event) -> Query:
    """A :class:`Query` from ``bbox``, ``since``, ``until``, ``channel`` parameters."""
    bbox = None
    if params.get("bbox"):
        west, south, east, north = parse_bbox(str(params["bbox"])).extent
        bbox = (west, south, east, north)
    since = _moment(str(params["since"]), "since", event) if params.get("since") else None
    until = _moment(str(params["until"]), "until", event) if params.get("until") else None
    channels = tuple(c.strip() for c in str(params.get("channel") or "").split(",") if c.strip())
    for channel in channels:
        if channel not in CHANNELS:
            raise InvalidInput(BAD_CHANNEL, field="channel", channel=channel[:30],
                               allowed=", ".join(CHANNELS))
    return Query(bbox=bbox, since=since, until=until, channels=channels)


def sees_exact(user: Any, event: Event) -> bool:
    """Organisers and officers of the event get the organisers' view."""
    return permissions.can_see_exact_reports(user, event)


def event_representativity(*, event: Event, public: bool, query: Query, k: int,
                           translate: Callable[[str], str] = str) -> Result:
    """The document of ``event`` for the public or for its organisers and officers."""
    return representativity(event_data(event=event), k=k, public=public, query=query,
                            translate=translate)


def event_summary_html(result: Result, *, event: Event, translate: Callable[[str], str] = str,
                       basemap: Any = None) -> str:
    """The self-contained HTML summary of ``result`` (Leaflet inlined); ``basemap`` (a frame of
    the event's own OSM base map) drawn inside it, else the base map from settings."""
    from django.conf import settings
    from django.utils.translation import get_language

    from layers.representativity.summary import summary_html
    from layers.selectors.overlay import leaflet_assets  # django-leaflet's files: no CDN

    js, css = leaflet_assets()
    return summary_html(result, event_name=event.name, translate=translate,
                        tile_url=settings.BASEMAP_TILE_URL,
                        attribution=settings.BASEMAP_ATTRIBUTION, leaflet_js=js, leaflet_css=css,
                        language=(get_language() or "fr")[:2], basemap=basemap)
