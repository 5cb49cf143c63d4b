"""Building an event's base map (vector tiles) from its OSM context, into the database."""

from __future__ import annotations

import hashlib
import math

import shapely
from django.contrib.gis.db.models.functions import AsWKB
from django.db import IntegrityError, transaction

from exports.basemap.features import all_map_features
from exports.basemap.tiles import build_tiles, tile_addresses, to_web_mercator
from exports.models import Basemap, BasemapTile, OsmElement
from mapping.models import Event

MIN_ZOOM = 12
MAX_ZOOMS = (16, 15, 14)  # the finest zoom whose tile count fits MAX_TILES; MapLibre overzooms
MAX_TILES = 4000
MARGIN_M = 250.0  # around the zone: the streets one walks in from
TYPE_CODES = {"node": 1, "way": 2, "relation": 3}


def _bounds(event: Event) -> tuple[float, float, float, float]:
    west, south, east, north = event.zone.extent
    dlat = math.degrees(MARGIN_M / 6_371_008.8)
    dlon = dlat / max(math.cos(math.radians((south + north) / 2)), 1e-6)
    return west - dlon, south - dlat, east + dlon, north + dlat


@transaction.atomic
def basemap_build(*, event: Event) -> Basemap | None:
    """Rebuild every tile of ``event``'s base map from its OSM context (None: no context).

    Tiles cover the zone and :data:`MARGIN_M` around it, z12 to z16 (or the finest zoom whose
    tile count stays under :data:`MAX_TILES`); empty tiles are not stored.
    """
    rows = list(OsmElement.objects.filter(event=event).order_by("osm_type", "osm_id").annotate(
        wkb=AsWKB("geometry")).values_list("osm_type", "osm_id", "tags", "wkb"))
    BasemapTile.objects.filter(event=event).delete()
    if not rows:
        Basemap.objects.filter(event=event).delete()
        return None
    geometries = shapely.from_wkb([bytes(row[3]) for row in rows])
    features = to_web_mercator(all_map_features(
        (osm_id * 4 + TYPE_CODES[osm_type], tags, geometry)
        for (osm_type, osm_id, tags, _wkb), geometry in zip(rows, geometries, strict=True)))
    bounds = _bounds(event)
    max_zoom = next((z for z in MAX_ZOOMS
                     if len(tile_addresses(bounds, [z])) <= MAX_TILES), MAX_ZOOMS[-1])
    addresses = tile_addresses(bounds, range(MIN_ZOOM, max_zoom + 1))
    tiles = list(build_tiles(features, addresses))
    BasemapTile.objects.bulk_create(
        [BasemapTile(event=event, z=t.z, x=t.x, y=t.y, data=t.data, etag=t.etag) for t in tiles],
        batch_size=500)
    version = hashlib.sha256("".join(t.etag for t in tiles).encode()).hexdigest()[:16]
    west, south, east, north = bounds
    basemap, _ = Basemap.objects.update_or_create(event=event, defaults=dict(
        version=version, west=west, south=south, east=east, north=north, min_zoom=MIN_ZOOM,
        max_zoom=max_zoom, tiles=len(tiles)))
    return basemap


def basemap_ensure(*, event: Event) -> Basemap | None:
    """The event's base map, built on this first request when an import predates it."""
    found = Basemap.objects.filter(event=event).first()
    if found is not None:
        found.event = event  # already read: no second query for it
    if found is not None or not OsmElement.objects.filter(event=event).exists():
        return found
    try:
        return basemap_build(event=event)
    except IntegrityError:  # another process built it at the same moment: take theirs
        return Basemap.objects.filter(event=event).first()
