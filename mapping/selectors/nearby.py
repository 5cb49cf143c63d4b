"""Reads for "is it this one?": contributions with the same preset or category near a place."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from django.contrib.gis.geos import Polygon
from shapely.geometry.base import BaseGeometry

from mapping.errors import N_, InvalidInput
from mapping.models import Event, MappedFeature, NuisanceReport
from mapping.privacy import PUBLIC_MARGIN_DEG, coarsen_geometry, public_distance_m
from mapping.selectors.contributions import history
from mapping.selectors.filters import in_box
from mapping.selectors.readers import PUBLIC, ReportView, report_view
from mapping.workflow import Status

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG), metres
MAX_RADIUS_M = 500.0
MAX_RESULTS = 10
BAD_RADIUS = N_("radius_m must be a number of metres between 1 and 500.")
BAD_POSITION = N_("lon and lat must be WGS84 degrees: lon in [-180, 180], lat in [-90, 90].")


@dataclass(frozen=True)
class Nearby:
    """A contribution near the place asked about, ``distance_m`` metres away (as said)."""

    item: MappedFeature | ReportView
    distance_m: int


def check_place(lon: float, lat: float, radius_m: float) -> None:
    """InvalidInput unless (lon, lat) is a WGS84 position and the radius is sensible."""
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(BAD_POSITION, field="lon")
    if not (math.isfinite(radius_m) and 1 <= radius_m <= MAX_RADIUS_M):
        raise InvalidInput(BAD_RADIUS, field="radius_m")


def _box(lon: float, lat: float, radius_m: float, margin_deg: float = 0.0) -> Polygon:
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6) + margin_deg
    dlat += margin_deg
    return Polygon.from_bbox((lon - dlon, lat - dlat, lon + dlon, lat + dlat))


def distance_to_m(geom: BaseGeometry, lon: float, lat: float) -> float:
    """Distance in metres from (lon, lat) to the nearest point of a WGS84 geometry.

    Local equirectangular projection around (lon, lat): exact enough within 500 m.
    """
    scale_x = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(lat))
    scale_y = math.radians(1) * EARTH_RADIUS_M
    local = shapely.transform(geom, lambda xy: (xy - (lon, lat)) * (scale_x, scale_y))
    return float(shapely.distance(local, shapely.Point(0, 0)))


def _ranked(items: Iterable[MappedFeature | NuisanceReport], lon: float, lat: float,
            radius_m: float, *, public: bool = False) -> list[Nearby]:
    ranked = []
    for item in items:
        geom = shapely.from_wkb(bytes(item.geometry.wkb))
        d = distance_to_m(coarsen_geometry(geom) if public else geom, lon, lat)
        if d <= radius_m:
            ranked.append((d, str(item.pk), item))
    ranked.sort(key=lambda entry: entry[:2])
    return [
        Nearby(report_view(item, PUBLIC), public_distance_m(d))
        if isinstance(item, NuisanceReport) else Nearby(item, round(d))
        for d, _pk, item in ranked[:MAX_RESULTS]
    ]


def features_nearby(
    *, event: Event, lon: float, lat: float, preset: str, radius_m: float
) -> list[Nearby]:
    """Features of ``preset`` within ``radius_m`` metres, nearest first (rejected ones left out)."""
    check_place(lon, lat, radius_m)
    qs = (in_box(MappedFeature.objects.filter(event=event, preset=preset),
                 _box(lon, lat, radius_m))
          .exclude(status=Status.REJECTED).prefetch_related(history()))
    return _ranked(qs, lon, lat, radius_m)


def reports_nearby(
    *, event: Event, lon: float, lat: float, category: str, radius_m: float
) -> list[Nearby]:
    """Reports of ``category`` within ``radius_m`` metres, nearest first (not rejected ones).

    Everyone, officers and the report's author included, gets the public view here
    (``mapping.privacy``): measured from each report's public place, never from its exact
    one, and said to the 10 m, or the distance or the radius at which a report appears
    would locate it to the metre by trilateration.
    """
    check_place(lon, lat, radius_m)
    # A public place is up to half a grid step away from the report (and its centroid).
    box = _box(lon, lat, radius_m, margin_deg=PUBLIC_MARGIN_DEG)
    qs = (in_box(NuisanceReport.objects.filter(event=event, category=category), box)
          .exclude(status=Status.REJECTED).prefetch_related(history()))
    return _ranked(qs, lon, lat, radius_m, public=True)
