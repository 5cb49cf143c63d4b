"""The items of a collection, read through the selectors that decide what a reader sees.

Contributions come as ``/api/v1/`` serves them: the keys of a page first
(:func:`mapping.selectors.feature_keys_page`, :func:`~mapping.selectors.report_keys_page`:
keyset pages, reports as the reader may see them), then each item's text from the rendered
items (:mod:`web.api.items`, keyed by its state, the reader's view and the CRS asked); only
contributions not rendered yet are read. Sensors and overlay cells come from
``layers.selectors`` (short lists computed for the whole event, paged by offset, kept a
minute in the Django cache: they have no per-row state to key an item on). Nothing here
decides exactness: the reader goes to the selectors as it came.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import shapely
from django.core.cache import cache
from django.utils.translation import get_language, gettext
from shapely.geometry import shape

from layers.overlay_figures import cells_feature_collection
from layers.selectors import overlay as overlay_selectors
from layers.selectors.sensors import sensors_collection
from mapping import selectors
from mapping.errors import N_, NotFound
from mapping.selectors import Access, Reader, Span
from web.api import geojson
from web.api import items as rendered
from web.ogcapi import crs
from web.ogcapi.catalogue import CollectionRef
from web.ogcapi.params import ItemsQuery


@dataclass(frozen=True)
class ItemsPage:
    """One page of items, each as its GeoJSON text in the CRS asked; ``next`` and
    ``previous``: the paging parameters of those pages (an empty dict: the first page; None:
    there is none)."""

    texts: list[str]
    matched: int
    next: dict[str, str] | None
    previous: dict[str, str] | None


def _split(raw: str) -> list[str]:
    return [part for part in raw.split(",") if part]


def contributions_page(ref: CollectionRef, query: ItemsQuery, access: Access) -> ItemsPage:
    """A page of features or of reports as a reader with ``access`` may see them."""
    common: dict[str, Any] = dict(
        event=ref.event,
        statuses=_split(query.filters.get("status", "")),
        bbox=query.bbox,
        limit=query.limit,
        cursor=query.cursor,
        counted=True,
    )
    if ref.kind == "features":
        page = selectors.feature_keys_page(
            **common, preset=query.filters.get("preset", ""), created=query.span
        )
        texts = rendered.feature_texts(page.items, moderator=access.moderator, crs=query.crs)
    else:
        page = selectors.report_keys_page(
            **common, access=access, category=query.filters.get("category", ""),
            observed=query.span,
        )
        texts = rendered.report_texts(page.items, access, crs=query.crs)
    previous = None
    if page.has_previous:
        previous = {"cursor": page.previous_cursor} if page.previous_cursor else {}
    return ItemsPage(
        texts=texts,
        matched=page.matched or 0,
        next={"cursor": page.next_cursor} if page.next_cursor else None,
        previous=previous,
    )


def contribution(
    ref: CollectionRef, item_id: str, reader: Reader, access: Access
) -> dict[str, Any]:
    """One feature, or one report as ``reader`` may see it."""
    if ref.kind == "features":
        found = selectors.feature_in_event(event=ref.event, contribution_id=item_id)
        return geojson.feature(found, moderator=access.moderator)
    return geojson.report(
        selectors.report_view_in_event(event=ref.event, reader=reader, contribution_id=item_id)
    )


#: Sensors and overlay cells are computed from every reading of the event (about a second for
#: the Nantes demo): a client paging through them (GDAL asks 10 at a time) reuses one result
#: this long. Readings only come in by import; the overlay's key also holds the reports'
#: version, so a new or moderated report is seen at once.
LAYER_CACHE_SECONDS = 60


def _layer_items(ref: CollectionRef, reader: Reader) -> list[dict[str, Any]]:
    """Every sensor serving the event, or every overlay cell the reader may see (default
    parameters: for the public, the public grid)."""
    event = ref.event
    key = f"ogcapi:{ref.kind}:{event.pk}:{event.created_at.timestamp()}:{get_language()}"
    if ref.kind == "overlay":
        exact = overlay_selectors.reader_sees_exact(reader.user, event)
        key += f":{exact}:{selectors.contributions_version(event).tag}"
    found: list[dict[str, Any]] | None = cache.get(key)
    if found is None:
        found = _computed_layer_items(ref, reader)
        cache.set(key, found, LAYER_CACHE_SECONDS)
    return found


def _computed_layer_items(ref: CollectionRef, reader: Reader) -> list[dict[str, Any]]:
    if ref.kind == "sensors":
        return list(sensors_collection(event=ref.event, translate=gettext)["features"])
    found = overlay_selectors.overlay_cells(event=ref.event, reader=reader.user, given={})
    return list(cells_feature_collection(found.cells)["features"])


def _moment(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _meets(item: dict[str, Any], ref: CollectionRef, span: Span) -> bool:
    """Whether the item's time meets ``span``: a sensor's first…last reading; an overlay
    cell's, the event's window (cells sum up the whole event)."""
    if ref.kind == "sensors":
        first = _moment(item["properties"].get("first"))
        last = _moment(item["properties"].get("last")) or first
    else:
        first, last = ref.event.starts_at, ref.event.ends_at
    if first is None or last is None:
        return False
    return (span.end is None or first <= span.end) and (span.start is None or last >= span.start)


def _filtered(
    ref: CollectionRef, query: ItemsQuery, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    box = shapely.box(*query.box) if query.box else None
    return [
        item
        for item in items
        if (box is None or (item["geometry"] and box.intersects(shape(item["geometry"]))))
        and (query.span is None or _meets(item, ref, query.span))
    ]


def layer_page(ref: CollectionRef, query: ItemsQuery, reader: Reader) -> ItemsPage:
    """A page of sensors or overlay cells."""
    items = _filtered(ref, query, _layer_items(ref, reader))
    start, end = query.offset, query.offset + query.limit
    previous = None
    if start > 0:
        before = max(start - query.limit, 0)
        previous = {"offset": str(before)} if before else {}
    return ItemsPage(
        texts=[rendered.encode(crs.item_in(item, query.crs)) for item in items[start:end]],
        matched=len(items),
        next={"offset": str(end)} if end < len(items) else None,
        previous=previous,
    )


def layer_item(ref: CollectionRef, item_id: str, reader: Reader) -> dict[str, Any]:
    """One sensor (by its code) or one overlay cell (by its id); NotFound otherwise."""
    for item in _layer_items(ref, reader):
        if str(item["id"]) == item_id:
            return item
    what = "sensor" if ref.kind == "sensors" else "overlay cell"
    raise NotFound(N_("No {what} {id} in this event."), what=what, id=item_id)
