"""Reads of the exports app: the OSM context of an event, conflation candidates."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

import shapely
from django.contrib.gis.db.models.functions import AsWKB
from django.db.models import QuerySet, Sum
from django.db.models.functions import Length

from exports import conflation
from exports.models import Basemap, BasemapTile, OsmElement
from exports.records import ContextElement, FeatureRecord, ReportRecord
from mapping.models import Event, MappedFeature, NuisanceReport
from mapping.presets import tag_presets
from mapping.workflow import Status


def preset_tags() -> dict[str, dict[str, str]]:
    """Preset id → the tags that define it, for :func:`exports.conflation.kind_of`."""
    return {key: dict(preset["tags"]) for key, preset in tag_presets().items()}


def osm_elements(*, event: Event) -> QuerySet[OsmElement]:
    """The event's OSM context, in a stable order."""
    return OsmElement.objects.filter(event=event).order_by("osm_type", "osm_id")


def osm_candidates(
    *, event: Event, lon: float, lat: float, tags: dict[str, str],
    radius_m: float = conflation.DEFAULT_RADIUS_M,
) -> list[dict[str, Any]]:
    """Existing OSM elements of the same kind as ``tags`` within ``radius_m`` of (lon, lat).

    Returns dicts ``{type, id, version, tags, lon, lat, distance_m}``, nearest first; empty
    when the tags match no preset or the event has no OSM context (``import_osm``).
    """
    preset_id = conflation.kind_of(tags, preset_tags())
    if not preset_id:
        return []
    west, south, east, north = conflation.bbox_around(lon, lat, radius_m)
    rows = OsmElement.objects.filter(
        event=event, preset_id=preset_id, lon__gte=west, lon__lte=east, lat__gte=south,
        lat__lte=north).values_list("osm_type", "osm_id", "version", "tags", "lon", "lat")
    elements = (conflation.Candidate(t, i, v, tg, x, y, 0.0) for t, i, v, tg, x, y in rows)
    found = conflation.nearest_candidates(elements, lon=lon, lat=lat, radius_m=radius_m)
    return [candidate.as_dict() for candidate in found]


# -- records for the writers ------------------------------------------------------------------
OSM_STATUSES = (Status.ACCEPTED.value, Status.EXPORTED.value)
CHUNK = 2000


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[list[tuple[Any, ...]], Any]]:
    """Rows by :data:`CHUNK`, with their geometries (WKB, second column) read in one call."""
    while chunk := list(islice(rows, CHUNK)):
        yield chunk, shapely.from_wkb([bytes(row[1]) for row in chunk])


def feature_records(
    *, event: Event, statuses: Sequence[str], consented_only: bool
) -> Iterator[FeatureRecord]:
    """The event's features as records, oldest first, streamed from the database.

    Geometries travel as WKB (``AsWKB``) straight to shapely, never through GEOS objects.
    Never carries the author: pseudonyms stay out of every export.
    """
    qs = MappedFeature.objects.filter(event=event, status__in=list(statuses))
    if consented_only:
        qs = qs.filter(consent_osm=True)
    rows = qs.order_by("created_at", "id").annotate(wkb=AsWKB("geometry")).values_list(
        "id", "wkb", "tags", "preset", "status", "osm_type", "osm_id", "osm_version",
        "consent_osm", "created_at")
    for chunk, geometries in _chunks(rows.iterator(chunk_size=CHUNK)):
        for (fid, _, tags, preset, status, osm_type, osm_id, osm_version, consent, created), \
                geometry in zip(chunk, geometries, strict=True):
            yield FeatureRecord(str(fid), geometry, tags, preset, status, osm_type, osm_id,
                                osm_version, consent, created)


def report_records(*, event: Event, statuses: Sequence[str]) -> Iterator[ReportRecord]:
    """The event's nuisance reports as records (exact places: organisers' exports only)."""
    rows = NuisanceReport.objects.filter(event=event, status__in=list(statuses)).order_by(
        "created_at", "id").annotate(wkb=AsWKB("geometry")).values_list(
        "id", "wkb", "category", "intensity", "sources", "observed_at", "observed_until",
        "status", "comment")
    for chunk, geometries in _chunks(rows.iterator(chunk_size=CHUNK)):
        for (rid, _, category, intensity, sources, at, until, status, comment), geometry in zip(
            chunk, geometries, strict=True
        ):
            yield ReportRecord(str(rid), geometry, category, intensity, tuple(sources), at,
                               until, status, comment)


def osm_context(*, event: Event) -> dict[tuple[str, int], ContextElement]:
    """The elements of the event's OSM context its features edit, keyed by ``(type, id)``.

    Only those: the writers and the validator look up the elements features link to, and the
    whole context of a town (every building and street) has no place in memory.
    """
    linked: dict[str, set[int]] = {}
    for osm_type, osm_id in MappedFeature.objects.filter(event=event).exclude(
            osm_id=None).values_list("osm_type", "osm_id").distinct():
        if osm_id is not None:
            linked.setdefault(osm_type, set()).add(osm_id)
    found: dict[tuple[str, int], ContextElement] = {}
    for osm_type, ids in linked.items():
        rows = OsmElement.objects.filter(event=event, osm_type=osm_type)
        for chunk in _id_chunks(sorted(ids)):
            for e in rows.filter(osm_id__in=chunk):
                found[(e.osm_type, e.osm_id)] = ContextElement(
                    e.osm_type, e.osm_id, e.version, e.tags, e.lon, e.lat,
                    tuple(tuple(n) for n in e.nodes))
    return found


def _id_chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    # SQLite caps the parameters of one query; PostgreSQL plans big IN lists badly.
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def candidate_index(*, event: Event) -> conflation.CandidateIndex:
    """An in-memory index of the event's OSM context for duplicate checks."""
    rows = OsmElement.objects.filter(event=event).exclude(preset_id="").values_list(
        "preset_id", "osm_type", "osm_id", "version", "tags", "lon", "lat")
    return conflation.CandidateIndex(
        (preset, conflation.Candidate(t, i, v, tg, x, y, 0.0))
        for preset, t, i, v, tg, x, y in rows)


def tag_columns(*, event: Event) -> tuple[str, ...]:
    """Tag keys worth a column: the keys of the event's presets and of their fields."""
    keys: dict[str, None] = {}
    presets = tag_presets()
    for preset_id in event.presets or presets:
        preset = presets.get(preset_id)
        if preset is None:
            continue
        keys.update(dict.fromkeys(preset["tags"]))
        keys.update(dict.fromkeys(f["key"] for f in preset["fields"] if f.get("key")))
    return tuple(keys)


def basemap_tile(*, event: Event, z: int, x: int, y: int) -> tuple[bytes, str] | None:
    """The MVT bytes and ETag of one tile of the event's base map; None for an empty tile."""
    found = BasemapTile.objects.filter(event=event, z=z, x=x, y=y).values_list(
        "data", "etag").first()
    return (bytes(found[0]), found[1]) if found else None


def basemap_available(*, event: Event) -> bool:
    """Whether ``event`` has a base map of its own (built, or buildable from its OSM context)."""
    return (Basemap.objects.filter(event=event).exists()
            or OsmElement.objects.filter(event=event).exists())


def basemap_tile_bytes(*, event: Event) -> dict[int, int]:
    """Bytes of the stored tiles of ``event``'s base map, per zoom (empty tiles are not stored)."""
    rows = BasemapTile.objects.filter(event=event).values("z").annotate(
        size=Sum(Length("data"))).values_list("z", "size")
    return {z: int(size or 0) for z, size in rows}


def basemap_text_ranges(*, event: Event, limit: int = 64) -> list[int]:
    """The glyph ranges (first code point of each 256-block) the base map's labels use:
    street and water names, house numbers; at most ``limit`` ranges, the lowest first."""
    starts = {0}
    rows = OsmElement.objects.filter(event=event).values_list("tags", flat=True)
    for tags in rows.iterator(chunk_size=CHUNK):
        for key in ("name", "addr:housenumber"):
            value = (tags or {}).get(key)
            if value:
                starts.update((ord(char) >> 8) << 8 for char in value)
    return sorted(starts)[:limit]


BASEMAP_FRAME_LAYERS = ("landuse", "water", "waterway", "building", "transportation")


def document_basemap(*, event: Event) -> Any:
    """The base map a self-contained document (overlay or representativity summary) draws
    inside itself: :func:`basemap_frame`, or None when the settings ask for the external tile
    server instead (``BASEMAP_USE_EXTERNAL``)."""
    from django.conf import settings

    return None if settings.BASEMAP_USE_EXTERNAL else basemap_frame(event=event)


def basemap_frame(*, event: Event) -> Any:
    """The base map of ``event`` as a GeoDataFrame (EPSG:4326; columns ``layer``, ``class``,
    ``name``, ``geometry``): its OSM context's parks, water, buildings and streets, for
    documents that carry their own map (the overlay summary). None without an OSM context."""
    import geopandas as gpd

    from exports.basemap.features import all_map_features

    rows = OsmElement.objects.filter(event=event).exclude(geometry=None).annotate(
        wkb=AsWKB("geometry")).values_list("osm_id", "tags", "wkb")
    elements = [(osm_id, tags or {}, shapely.from_wkb(bytes(wkb)))
                for osm_id, tags, wkb in rows.iterator(chunk_size=CHUNK)]
    if not elements:
        return None
    features = [f for f in all_map_features(elements) if f.layer in BASEMAP_FRAME_LAYERS]
    return gpd.GeoDataFrame(
        {"layer": [f.layer for f in features],
         "class": [f.properties.get("class", "") for f in features],
         "name": [f.properties.get("name", "") for f in features]},
        geometry=[f.geometry for f in features], crs="EPSG:4326")
