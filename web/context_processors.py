"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def basemap(request: HttpRequest) -> dict[str, str]:
    """The base-map tile URL and its attribution, both settings."""
    return {
        "BASEMAP_TILE_URL": settings.BASEMAP_TILE_URL,
        "BASEMAP_ATTRIBUTION": settings.BASEMAP_ATTRIBUTION,
    }
