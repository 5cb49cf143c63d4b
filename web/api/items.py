"""Items already rendered: a map refresh re-sends what it sent before without rebuilding it.

A list's page is read as keys first (:class:`mapping.selectors.RowKey`: id, last change,
author — one indexed query); each item's GeoJSON text is kept here under its key and the
reader's view of it (exact or public, moderator or not), so that only contributions that
changed since are read and rendered again. A key names one state of one contribution for one
kind of reader, in one CRS: an entry is never stale, only unused (least recently used ones are
dropped past ``API_ITEM_CACHE_SIZE``). The cache is per process — web processes share nothing
but the database, and each fills its own from it.

Both lists of contributions serve their items from here: ``/api/v1/`` (CRS84) and OGC API
Features (``web/ogcapi/items.py``, CRS84 or the CRS asked by ``crs=``). An item in CRS84 reads
the same in both, so they share its entry; in another CRS it is another entry.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language
from rest_framework.request import Request

from mapping import selectors
from mapping.selectors import Access, RowKey
from web.api import geojson
from web.ogcapi.crs import CRS84, item_in

ItemKey = str


class ItemCache:
    """A bounded, thread-safe map from an item's key to its JSON text (LRU)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._texts: OrderedDict[ItemKey, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[ItemKey]) -> list[str | None]:
        """The texts of ``keys`` (None where missing), under one lock: a page asks hundreds."""
        with self._lock:
            texts = [self._texts.get(key) for key in keys]
            for key, text in zip(keys, texts, strict=True):
                if text is not None:
                    self._texts.move_to_end(key)
        return texts

    def get(self, key: ItemKey) -> str | None:
        with self._lock:
            text = self._texts.get(key)
            if text is not None:
                self._texts.move_to_end(key)
            return text

    def put(self, key: ItemKey, text: str) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._texts[key] = text
            self._texts.move_to_end(key)
            while len(self._texts) > self.size:
                self._texts.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._texts.clear()

    def __len__(self) -> int:
        return len(self._texts)


CACHE = ItemCache(int(getattr(settings, "API_ITEM_CACHE_SIZE", 100_000)))


def encode(data: Any) -> str:
    """JSON as the API's renderer writes it (compact, UTF-8 text)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _texts(keys: Sequence[RowKey], view: str,
           render: Callable[[list[str]], dict[str, dict[str, Any]]], crs: str) -> list[str]:
    """The texts of ``keys`` in order, their geometry in ``crs``: from the cache, else rendered
    (``render`` maps ids to GeoJSON items in CRS84; an id it does not return was removed
    meanwhile and is left out).

    The key holds all that changes the text: the contribution's state (:class:`RowKey`: its
    last change, its author, whether the reader sees it exactly), the reader's ``view`` of it
    (moderator or not), the language and the CRS.
    """
    language = get_language()
    # One string per key: strings are not tracked by the garbage collector, whose full
    # collections over 100,000 tuples cost hundreds of milliseconds on a warm page.
    cache_keys = [f"{key.id}|{key.stamp}|{key.version}|{key.author_id}|{key.exact}|{view}|"
                  f"{language}|{crs}" for key in keys]
    texts = CACHE.get_many(cache_keys)
    missing = [key.id for key, text in zip(keys, texts, strict=True) if text is None]
    if missing:
        rendered = render(missing)
        for n, (key, cache_key) in enumerate(zip(keys, cache_keys, strict=True)):
            if texts[n] is None and key.id in rendered:
                texts[n] = encode(item_in(rendered[key.id], crs))
                CACHE.put(cache_key, texts[n])  # type: ignore[arg-type]
    return [text for text in texts if text is not None]


def feature_texts(keys: Sequence[RowKey], *, moderator: bool, crs: str = CRS84) -> list[str]:
    """GeoJSON texts of the features of ``keys`` (as :func:`web.api.geojson.feature`), their
    geometry in ``crs`` (an OGC CRS URI, :mod:`web.ogcapi.crs`)."""
    def render(ids: list[str]) -> dict[str, dict[str, Any]]:
        return {str(pk): geojson.feature(row, moderator=moderator)
                for pk, row in selectors.feature_rows(ids).items()}

    return _texts(keys, f"feature:{moderator}", render, crs)


def report_texts(keys: Sequence[RowKey], access: Access, *, crs: str = CRS84) -> list[str]:
    """GeoJSON texts of the reports of ``keys`` as the reader with ``access`` sees them, their
    geometry in ``crs``."""
    def render(ids: list[str]) -> dict[str, dict[str, Any]]:
        return {str(pk): geojson.report(view)
                for pk, view in selectors.report_views_by_id(ids, access).items()}

    return _texts(keys, f"report:{access.moderator}", render, crs)


def collection_response(texts: list[str], *, content_type: str = "application/json",
                        **members: Any) -> HttpResponse:
    """A FeatureCollection of item texts with foreign members, as the JSON renderer would
    write it (``members`` first, then ``features``)."""
    head = encode({"type": "FeatureCollection", **members})[:-1]
    body = f'{head},"features":[{",".join(texts)}]}}'
    return HttpResponse(body.encode(), content_type=content_type)


def wants_json(request: Request) -> bool:
    """Whether the client reads JSON (not the browsable API's HTML page)."""
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is None or getattr(renderer, "format", "json") == "json"
