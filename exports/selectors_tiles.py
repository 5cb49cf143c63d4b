"""Reads of the data's vector tiles: what a tile holds for one reader, its ETag, its bytes.

A tile is read in two steps, so that an unchanged tile costs two small reads (the event,
the version of its contributions) and a memory or cache lookup:

1. :func:`data_tile_state` — the ETag, from ``(max(updated_at), count)`` of the rows the tile
   reads (the tile and its buffer), computed once per version of the event's contributions;
   for computed layers (sensors, overlay), from what they are computed from; and whether the
   tile is the reader's own (exact places: ``Cache-Control: private``);
2. :func:`data_tile_bytes` — from this process's recent tiles or the Django cache (key: the
   ETag), else built: on PostGIS by ``ST_AsMVT`` (features straight from their table in one
   SQL; the other layers from the rows their selectors decided), on SpatiaLite by
   :func:`exports.datatiles.encode`.

Who sees what is never decided here: reports come from
:func:`mapping.selectors.report_views` (public tiles from the coarsened places), overlay
cells from :func:`layers.selectors.overlay.overlay_cells` (the public grid, small counts left
out), as ``/api/v1/…/reports`` and ``…/overlay`` serve them.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import shapely
from django.conf import settings
from django.contrib.gis.db.models.functions import AsWKB
from django.contrib.gis.geos import Polygon
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet

from exports import datatiles
from exports.basemap.tiles import BUFFER, EXTENT
from exports.datatiles import TileItem
from layers.models import Measurement, MeasurementImport
from layers.overlay_figures import cells_feature_collection
from layers.selectors.overlay import overlay_cells, reader_sees_exact
from layers.selectors.sensors import sensor_summaries
from mapping import selectors
from mapping.models import Event, MappedFeature, NuisanceReport
from mapping.privacy import PUBLIC_MARGIN_DEG, widen_bounds
from mapping.selectors.filters import in_box

#: Seconds a built tile stays in the cache (its key holds the ETag: a change is a new key).
TILE_CACHE_S = 24 * 3600
SENSOR_FIELDS = (
    "code",
    "name",
    "source",
    "readings",
    "laeq_db",
    "l10_db",
    "l50_db",
    "l90_db",
    "left_out",
)


class _Recent:
    """The most recently used entries of this process, up to ``limit`` bytes, thread-safe.

    Only for keys that name their content (a tile's ETag, a stamp at one version): an entry
    is never stale, so each web process may keep its own in front of the shared cache.
    """

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self.entries: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        return None

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def put(self, key: str, value: Any) -> None:
        size = len(value) if isinstance(value, bytes | str) else 64
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = value
            self.size += size
            while self.size > self.limit and self.entries:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped) if isinstance(dropped, bytes | str) else 64


#: What each web process keeps of the tiles it served (the shared cache holds them all).
RECENT = _Recent(limit=64 * 1024 * 1024)


def _cached(key: str, build: Callable[[], Any], *, shared: bool = True) -> Any:
    """``key`` from this process's recent entries, else the shared cache (unless not
    ``shared``), else ``build()``."""
    found = RECENT.get(key)
    if found is None:
        found = cache.get(key) if shared else None
        if found is None:
            found = build()
            if shared:
                cache.set(key, found, TILE_CACHE_S)
        RECENT.put(key, found)
    return found


def _shares_tile(layer: str) -> bool:
    """Whether built tiles go to the shared cache too. Not PostGIS features tiles when the
    shared cache is the database: writing the dense tile there (1.2 MB) took longer than
    ``ST_AsMVT`` builds it again (measured 280–540 ms against 90 ms)."""
    database_cache = str(settings.CACHES["default"]["BACKEND"]).endswith("DatabaseCache")
    return not (layer == "features" and settings.SPATIAL_BACKEND == "postgis" and database_cache)


@dataclass(frozen=True)
class TileState:
    """One tile as one reader would get it: its ETag, and whether it is theirs alone."""

    event: Event
    layer: str
    z: int
    x: int
    y: int
    reader: selectors.Reader
    etag: str
    private: bool  # exact places (an officer's tiles, a participant's own reports)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return datatiles.read_bounds(self.z, self.x, self.y)

    @property
    def cache_key(self) -> str:
        return f"datatile:{self.event.pk}:{self.layer}:{self.z}/{self.x}/{self.y}:{self.etag}"


def _stamp(found: dict[str, Any]) -> str:
    latest = found.get("latest")
    moment = latest.isoformat() if isinstance(latest, dt.datetime) else str(latest)
    return f"{moment}|{found.get('count', 0)}"


def _measurements_stamp() -> str:
    """Changes whenever readings are added (the highest id: the primary key's index answers)
    or a file is imported: cheap, and conservative (any sensor's readings move it)."""
    latest = Measurement.objects.aggregate(latest=Max("id"))["latest"]
    files = _stamp(
        MeasurementImport.objects.aggregate(latest=Max("imported_at"), count=Count("id"))
    )
    return f"{latest}|{files}"


def _in_frame(qs: QuerySet[Any], bounds: tuple[float, float, float, float]) -> QuerySet[Any]:
    """Rows whose bounding box meets ``bounds``: what a tile may read (index only)."""
    box = Polygon.from_bbox(bounds)
    if settings.SPATIAL_BACKEND == "postgis":
        return qs.filter(geometry__bboverlaps=box)
    return in_box(qs, box)


def _tile_stamp(qs: QuerySet[Any], bounds: tuple[float, float, float, float]) -> str:
    return _stamp(
        _in_frame(qs, bounds).order_by().aggregate(latest=Max("updated_at"), count=Count("id"))
    )


def data_tile_state(
    *, event: Event, layer: str, reader: selectors.Reader, z: int, x: int, y: int
) -> TileState:
    """The ETag of tile ``z/x/y`` of ``layer`` for ``reader``.

    Features and reports: ``(max(updated_at), count)`` of the rows in the tile and its
    buffer, computed once per version of the event's contributions (one indexed query) and
    kept in the cache, so an unchanged tile costs two small reads, and a change elsewhere in
    the event leaves this tile's ETag (and its cached bytes) as they were. Sensors and the
    overlay are computed from the whole event: their ETag follows its readings (and, for the
    overlay, its contributions).

    InvalidInput for a zoom outside 0–22, NotFound for an unknown layer or x/y off the grid.
    """
    datatiles.check_layer(layer)
    datatiles.check_address(z, x, y)
    bounds = datatiles.read_bounds(z, x, y)
    private = False
    if layer in ("features", "reports"):
        seen_by = "public"
        if layer == "reports":
            access = selectors.access_of(reader, event)
            private = access.exact_reports or access.participant_id is not None
            seen_by = f"{access.exact_reports}|{access.participant_id}"
        version = selectors.contributions_version(event).tag
        key = f"datatile-stamp:{event.pk}:{layer}:{z}/{x}/{y}:{seen_by}:{version}"

        def stamp() -> str:
            if layer == "features":
                seen = _tile_stamp(MappedFeature.objects.filter(event=event), bounds)
            else:
                # Public places are decided on coarsened points: read as widely as
                # report_views does, so that no report near the edge is missed.
                margin = 0.0 if access.exact_reports else PUBLIC_MARGIN_DEG
                seen = _tile_stamp(
                    NuisanceReport.objects.filter(event=event),
                    widen_bounds(bounds, margin) if margin else bounds,
                )
            return f"{seen}|{seen_by}"

        seen = _cached(key, stamp)
    elif layer == "sensors":
        seen = _measurements_stamp()
    else:  # overlay: computed from every report and reading of the event
        private = reader_sees_exact(reader.user, event)
        seen = f"{selectors.contributions_version(event).tag}|{_measurements_stamp()}|{private}"
    tag = datatiles.etag(layer, datatiles.FIELDS_VERSION, z, x, y, seen)
    return TileState(
        event=event, layer=layer, z=z, x=x, y=y, reader=reader, etag=tag, private=private
    )


def data_tile_bytes(state: TileState) -> bytes:
    """The MVT bytes of the tile ``state`` names (b"": nothing in it), cached by its ETag."""
    return bytes(_cached(state.cache_key, lambda: _built(state), shared=_shares_tile(state.layer)))


def _built(state: TileState) -> bytes:
    if state.layer == "features" and settings.SPATIAL_BACKEND == "postgis":
        return _features_postgis(state)
    items = _items(state)
    if settings.SPATIAL_BACKEND == "postgis":
        return _encode_postgis(state, items)
    return datatiles.encode(state.layer, items, state.z, state.x, state.y)


def _items(state: TileState) -> list[TileItem]:
    box = shapely.box(*state.bounds)
    if state.layer == "features":
        return _feature_items(state)
    if state.layer == "reports":
        return [
            _report_item(view)
            for view in selectors.report_views(
                event=state.event, reader=state.reader, bbox=datatiles.bbox_text(state.bounds)
            )
        ]
    computed = _sensor_items(state.event) if state.layer == "sensors" else _overlay_items(state)
    return [
        item for item in computed if item.geometry is not None and box.intersects(item.geometry)
    ]


def _feature_items(state: TileState) -> list[TileItem]:
    qs = in_box(
        MappedFeature.objects.filter(event=state.event), Polygon.from_bbox(state.bounds)
    ).order_by("created_at", "id")
    return [
        TileItem(
            shapely.from_wkb(bytes(wkb)),
            datatiles.feature_properties(pk, preset, status, tags, created_at, z=state.z),
        )
        for pk, preset, status, tags, created_at, wkb in qs.annotate(wkb=AsWKB("geometry"))
        .values_list("id", "preset", "status", "tags", "created_at", "wkb")
        .iterator(chunk_size=2000)
    ]


def _report_item(view: selectors.ReportView) -> TileItem:
    report = view.report
    return TileItem(
        view.geometry,
        {
            "id": str(report.id),
            "category": report.category,
            "intensity": report.intensity,
            "sources": list(report.sources or ()),
            "status": report.status,
            "observed_at": view.observed_at.isoformat(),
            "coarsened": not view.exact,
            "comment": view.comment,
        },
    )


def _computed(key: str, build: Any) -> list[TileItem]:
    """Items computed for the whole event (sensors, overlay), kept once per version."""
    found = cache.get(key)
    if found is None:
        found = [
            (
                shapely.to_wkb(item.geometry) if item.geometry is not None else None,
                dict(item.properties),
            )
            for item in build()
        ]
        cache.set(key, found, TILE_CACHE_S)
    return [
        TileItem(shapely.from_wkb(wkb) if wkb else None, props)
        for wkb, props in found
    ]


def _sensor_items(event: Event) -> list[TileItem]:
    def build() -> list[TileItem]:
        return [
            TileItem(
                shapely.geometry.shape(s["geometry"]) if s["geometry"] else None,
                {"sensor_kind": s["kind"], **{k: s[k] for k in SENSOR_FIELDS}},
            )
            for s in sensor_summaries(event=event)
        ]

    return _computed(f"datatile-items:{event.pk}:sensors:{_measurements_stamp()}", build)


def _overlay_items(state: TileState) -> list[TileItem]:
    def build() -> list[TileItem]:
        found = overlay_cells(event=state.event, reader=state.reader.user, given={})
        return [
            TileItem(shapely.geometry.shape(item["geometry"]), item["properties"])
            for item in cells_feature_collection(found.cells)["features"]
        ]

    # The ETag already holds the reports, the readings and whether the reader sees exactly.
    return _computed(f"datatile-items:{state.event.pk}:overlay:{state.etag}", build)


@contextmanager
def _without_jit() -> Iterator[Any]:
    """A cursor in a read transaction where PostgreSQL does not JIT-compile the query.

    ``ST_AsMVTGeom`` is costed high, so the planner JIT-compiles tile queries: measured on
    the dense z14 tile of 100,000 features, JIT took 0.7–1.8 s to save nothing (the query
    itself: about 0.25 s on a loaded machine). ``SET LOCAL`` keeps the setting to this read.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield cursor


# The promoted tags as columns: ``f.tags->>'amenity' AS "tag:amenity"`` (our own constant
# keys, plain identifiers: tests/exports/test_datatiles.py checks them).
_PROMOTED_SQL = "".join(
    f", f.tags->>'{key}' AS \"{datatiles.TAG_FIELD}{key}\"" for key in datatiles.PROMOTED_TAGS
)


def _features_postgis(state: TileState) -> bytes:
    """The features tile in one SQL: read through the GiST index, clipped, encoded, with the
    properties of :func:`exports.datatiles.feature_properties` (``tags::text`` is how
    :func:`~exports.datatiles.tags_text` writes them, from ``TAGS_MIN_ZOOM``; NULLs are left
    out as None is)."""
    table = MappedFeature._meta.db_table
    west, south, east, north = state.bounds
    sql = f"""
        SELECT ST_AsMVT(t, 'features', {EXTENT}, 'geom') FROM (
          SELECT ST_AsMVTGeom(ST_Transform(f.geometry, 3857), ST_TileEnvelope(%s, %s, %s),
                              {EXTENT}, {BUFFER}, true) AS geom,
                 f.id::text AS id, NULLIF(f.preset, '') AS preset, f.status,
                 f.tags->>'name' AS name,
                 to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                   AS created_at,
                 CASE WHEN %s THEN f.tags::text END AS tags{_PROMOTED_SQL}
          FROM {table} f
          WHERE f.event_id = %s AND f.geometry && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
        ) t"""  # the table name and tag keys are ours; values are parameters
    with _without_jit() as cursor:
        cursor.execute(sql, [state.z, state.x, state.y, state.z >= datatiles.TAGS_MIN_ZOOM,
                             state.event.pk, west, south, east, north])
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] else b""


def _encode_postgis(state: TileState, items: list[TileItem]) -> bytes:
    """``ST_AsMVT`` over rows a selector decided (reports, sensors, overlay cells)."""
    rows = [item for item in items if item.geometry is not None and not item.geometry.is_empty]
    if not rows:
        return b""
    sql = f"""
        SELECT ST_AsMVT(t, %s, {EXTENT}, 'geom') FROM (
          SELECT ST_AsMVTGeom(ST_Transform(ST_GeomFromWKB(u.g, 4326), 3857),
                              ST_TileEnvelope(%s, %s, %s), {EXTENT}, {BUFFER}, true) AS geom,
                 u.p::jsonb AS props
          FROM unnest(%s::bytea[], %s::text[]) WITH ORDINALITY AS u(g, p, n) ORDER BY u.n
        ) t"""
    geometries = [shapely.to_wkb(item.geometry) for item in rows]
    properties = [
        json.dumps(datatiles.scalar_properties(item.properties), ensure_ascii=False)
        for item in rows
    ]
    with _without_jit() as cursor:
        cursor.execute(sql, [state.layer, state.z, state.x, state.y, geometries, properties])
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] else b""


__all__ = ["TileState", "data_tile_bytes", "data_tile_state"]
