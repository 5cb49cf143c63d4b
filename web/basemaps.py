"""Which base map the product's MapLibre maps draw for an event (pages pass it to scripts)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from exports import selectors
from mapping.models import Event


def style_url(event: Event) -> str:
    """The MapLibre style of the event's own base map; "" when the maps draw the external
    tiles of ``BASEMAP_TILE_URL`` instead (a setting) or the event has no OSM context yet."""
    if settings.BASEMAP_USE_EXTERNAL or not selectors.basemap_available(event=event):
        return ""
    return reverse("tiles:basemap-style", args=[event.slug])


def external_tile_url() -> str:
    """``BASEMAP_TILE_URL`` when maps may draw it (``BASEMAP_USE_EXTERNAL``), else "" (a plain
    background): for maps with no event's base map to draw, such as a new event's zone."""
    return settings.BASEMAP_TILE_URL if settings.BASEMAP_USE_EXTERNAL else ""
