"""'Is it this one?': similar contributions and existing OSM elements near a place."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exports.selectors import osm_candidates
from mapping import selectors
from mapping.errors import N_, InvalidInput
from mapping.models import Event
from mapping.presets import tag_presets
from web.api import actors, geojson
from web.api.openapi import ref

DEFAULT_RADIUS_M = 25.0
ONE_KIND = N_("Give either preset or category.")
NOT_A_NUMBER = N_("{name} must be a number.")

PARAMETERS = [
    OpenApiParameter("lon", float, required=True, description="Longitude, WGS84 degrees."),
    OpenApiParameter("lat", float, required=True, description="Latitude, WGS84 degrees."),
    OpenApiParameter("preset", str, description="A preset id, e.g. amenity/bench."),
    OpenApiParameter("category", str, description="A nuisance category, e.g. noise."),
    OpenApiParameter("radius_m", float, description="Search radius in metres (1–500, default 25)."),
]


def _number(request: Request, name: str, default: float | None = None) -> float:
    raw = request.query_params.get(name)
    if raw in (None, "") and default is not None:
        return default
    try:
        return float(str(raw))
    except ValueError:
        raise InvalidInput(NOT_A_NUMBER, field=name, name=name) from None


def osm_nearby(*, event: Event, lon: float, lat: float, preset: str,
               radius_m: float) -> list[dict[str, Any]]:
    """OSM elements matching the preset nearby (none when the event has no OSM context)."""
    definition = tag_presets().get(preset)
    if definition is None:
        return []
    return osm_candidates(event=event, lon=lon, lat=lat, tags=dict(definition["tags"]),
                          radius_m=radius_m)


class NearbyApi(APIView):
    @extend_schema(parameters=PARAMETERS, responses={200: ref("Nearby")},
                   summary="Similar contributions and OSM elements near a place")
    def get(self, request: Request, slug: str) -> Response:
        event = actors.event(request, slug)
        lon, lat = _number(request, "lon"), _number(request, "lat")
        radius_m = _number(request, "radius_m", DEFAULT_RADIUS_M)
        preset = request.query_params.get("preset", "")
        category = request.query_params.get("category", "")
        if bool(preset) == bool(category):
            raise InvalidInput(ONE_KIND, field="preset")
        osm: list[dict[str, Any]] = []
        if preset:
            found = selectors.features_nearby(
                event=event, lon=lon, lat=lat, preset=preset, radius_m=radius_m)
            osm = osm_nearby(event=event, lon=lon, lat=lat, preset=preset, radius_m=radius_m)
        else:
            # Everyone gets the public view of reports here (mapping.selectors.nearby).
            found = selectors.reports_nearby(
                event=event, lon=lon, lat=lat, category=category, radius_m=radius_m)
        items = [geojson.report(near.item) if isinstance(near.item, selectors.ReportView)
                 else geojson.feature(near.item) for near in found]
        for item, near in zip(items, found, strict=True):
            item["properties"]["distance_m"] = near.distance_m
            item["properties"].pop("history", None)
        return Response({
            "radius_m": radius_m,
            "contributions": geojson.collection(items),
            "osm": osm,
            # Kept for clients: the OSM context (exports) is always part of the service.
            "osm_available": True,
        })
