"""The event's base map over HTTP: tiles from the database with ETags, TileJSON, style, glyphs.

Tiles are built by ``import_osm`` (or here on a first request when an older import has none)
and stored in the database, so every web process serves the same bytes and ETag. Missing
tiles inside the zoom range are empty (204), as MapLibre expects; outside it, 404.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exports import selectors
from exports.basemap import glyphs as glyph_fonts
from exports.basemap import style
from exports.basemap.tiles import tile_addresses
from exports.models import Basemap
from exports.services import basemap_ensure
from mapping.errors import NotFound
from mapping.models import Event
from mapping.selectors import event_by_slug
from web.links import absolute

MVT = "application/vnd.mapbox-vector-tile"
# Tiles change only with a new import, whose TileJSON names new URLs (?v=…): a short
# freshness with revalidation keeps phones' copies cheap to check.
TILE_MAX_AGE_S = 3600
GLYPH_MAX_AGE_S = 7 * 24 * 3600


def _event(slug: str) -> Event:
    try:
        return event_by_slug(slug)
    except NotFound as error:
        raise Http404(error.message) from error


def _basemap(event: Event) -> Basemap:
    basemap = basemap_ensure(event=event)
    if basemap is None:
        raise Http404(_("This event has no OpenStreetMap context yet: run import_osm."))
    return basemap


def _cached(response: HttpResponse, max_age: int) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    response["Access-Control-Allow-Origin"] = "*"  # embeddable in any map (the widget, QGIS)
    return response


@require_GET
def basemap_tile(request: HttpRequest, slug: str, z: int, x: int, y: int) -> HttpResponse:
    event = _event(slug)
    basemap = _basemap(event)
    if not basemap.min_zoom <= z <= basemap.max_zoom or max(x, y) >= 2**z:
        raise Http404(_("No base map tile at this zoom."))
    found = selectors.basemap_tile(event=event, z=z, x=x, y=y)
    if found is None:
        return _cached(HttpResponse(status=204), TILE_MAX_AGE_S)
    data, etag = found
    quoted = f'"{etag}"'
    if quoted in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type=MVT)
    response["ETag"] = quoted
    return _cached(response, TILE_MAX_AGE_S)


def _tilejson(request: HttpRequest, basemap: Basemap) -> dict[str, object]:
    slug = basemap.event.slug
    template = reverse("tiles:basemap-tile", args=[slug, 0, 0, 0]).replace(
        "/0/0/0.mvt", "/{z}/{x}/{y}.mvt"
    )
    return style.tilejson(
        name=basemap.event.name,
        tiles_url=absolute(template) + f"?v={basemap.version}",
        bounds=(basemap.west, basemap.south, basemap.east, basemap.north),
        min_zoom=basemap.min_zoom,
        max_zoom=basemap.max_zoom,
    )


@require_GET
def basemap_tilejson(request: HttpRequest, slug: str) -> HttpResponse:
    basemap = _basemap(_event(slug))
    return _cached(JsonResponse(_tilejson(request, basemap)), 60)


@require_GET
def basemap_style(request: HttpRequest, slug: str) -> HttpResponse:
    basemap = _basemap(_event(slug))
    glyphs = reverse("tiles:glyphs", args=["FONTSTACK", 0, 255]).replace(
        "FONTSTACK/0-255", "{fontstack}/{range}"
    )
    found = style.basemap_style(
        name=basemap.event.name,
        tilejson_url=absolute(reverse("tiles:basemap-tilejson", args=[slug])),
        glyphs_url=absolute(glyphs),
    )
    return _cached(JsonResponse(found), 60)


def offline_zooms(basemap: Basemap, max_tiles: int) -> tuple[list[tuple[int, int, int]], int]:
    """The tiles a phone stores for offline use: every tile of the base map's bounds from its
    lowest zoom up, as many zooms as fit in ``max_tiles`` (MapLibre draws the finer zooms
    from the finest stored one); and that finest zoom."""
    bounds = (basemap.west, basemap.south, basemap.east, basemap.north)
    chosen: list[tuple[int, int, int]] = []
    finest = basemap.min_zoom
    for z in range(basemap.min_zoom, basemap.max_zoom + 1):
        more = tile_addresses(bounds, [z])
        if chosen and len(chosen) + len(more) > max_tiles:
            break
        chosen += more[: max(max_tiles - len(chosen), 0)]
        finest = z
    return chosen, finest


@require_GET
def basemap_offline(request: HttpRequest, slug: str) -> HttpResponse:
    """What the service worker stores so that the map draws with no network: the style,
    TileJSON, glyph ranges of the labels and the tiles of the zone, bounded by
    ``BASEMAP_OFFLINE_MAX_TILES`` (finest zooms left out first)."""
    event = _event(slug)
    basemap = _basemap(event)
    tiles, finest = offline_zooms(basemap, settings.BASEMAP_OFFLINE_MAX_TILES)
    template = _tilejson(request, basemap)["tiles"][0]
    glyph_urls = [
        absolute(reverse("tiles:glyphs", args=[glyph_fonts.DEFAULT_FONT, start, start + 255]))
        for start in selectors.basemap_text_ranges(event=event)
    ]
    sizes = selectors.basemap_tile_bytes(event=event)
    answer = {
        "slug": slug,
        "version": basemap.version,
        "min_zoom": basemap.min_zoom,
        "max_zoom": finest,
        "all_zooms": finest == basemap.max_zoom,
        "tiles": len(tiles),
        "bytes": sum(size for z, size in sizes.items() if z <= finest),
        "urls": [
            absolute(reverse("tiles:basemap-style", args=[slug])),
            absolute(reverse("tiles:basemap-tilejson", args=[slug])),
            *glyph_urls,
            *(template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
              for z, x, y in tiles),
        ],
    }
    return _cached(JsonResponse(answer), 60)


@require_GET
def basemap_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A page showing the base map alone: a preview for organisers and GIS officers."""
    event = _event(slug)
    _basemap(event)
    west, south, east, north = event.zone.extent
    return render(
        request,
        "tiles/basemap.html",
        {"event": event, "bounds": json.dumps([west, south, east, north])},
    )


@require_GET
def glyphs(request: HttpRequest, fontstack: str, start: int, end: int) -> HttpResponse:
    try:
        data = glyph_fonts.glyph_range(glyph_fonts.font_of(fontstack), start, end)
    except glyph_fonts.GlyphRangeError as error:
        raise Http404(str(error)) from error
    return _cached(HttpResponse(data, content_type="application/x-protobuf"), GLYPH_MAX_AGE_S)
