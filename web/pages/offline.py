"""What the citizen app needs to work outdoors: the offline shell, preset icons, join QR."""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from urllib.parse import quote

import segno
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from mapping.models import Event
from mapping.presets import tag_presets

# Static files the citizen map page needs, cached by the service worker when it installs.
SHELL_STATIC = [
    "web/cartoparty.css",
    "web/event_map.js",
    *(f"web/event_map/{name}.js" for name in (
        "api", "contributions", "dom", "feature_form", "join", "labels", "list_view",
        "location", "map_view", "nearby", "outbox", "own_data", "preset_picker",
        "report_form", "submit", "offline", "profile", "live_changes", "soundscape_form",
        "data_tiles",
    )),
    "web/basemap.js",
    # MapLibre GL JS (npm), its worker and stylesheet: the map draws with no network.
    "vendor/maplibre-gl/maplibre-gl.mjs",
    "vendor/maplibre-gl/maplibre-gl-worker.mjs",
    "vendor/maplibre-gl/maplibre-gl.css",
]
# iD's preset icons come from two CC0 icon sets installed by npm (see package.json).
ICON_SETS = {"maki-": "vendor/maki/", "temaki-": "vendor/temaki/"}
# iD's newer icon names that the installed sets lack, and a near equivalent; else a marker.
ICON_FALLBACKS = {"temaki-bicycle_structure": "maki-bicycle"}
DEFAULT_ICON = "vendor/maki/marker.svg"


@lru_cache(maxsize=1)
def _icon_paths() -> dict[str, str]:
    """Preset id → static path of its icon, for the icons that are installed."""
    found = {}
    for preset_id, preset in tag_presets().items():
        icon = preset.get("icon") or ""
        for name in (icon, ICON_FALLBACKS.get(icon, "")):
            path = _icon_path(name)
            if path and finders.find(path):
                found[preset_id] = path
                break
        else:
            if finders.find(DEFAULT_ICON):
                found[preset_id] = DEFAULT_ICON
    return found


def _icon_path(icon: str) -> str:
    for prefix, folder in ICON_SETS.items():
        if icon.startswith(prefix):
            return folder + icon[len(prefix):] + ".svg"
    return ""


def preset_icons() -> dict[str, str]:
    """Preset id → URL of its icon (presets without an installed icon are left out)."""
    return {preset_id: static(path) for preset_id, path in _icon_paths().items()}


def shell_urls() -> list[str]:
    """URLs of the app shell: static files and preset icons."""
    paths = [p for p in SHELL_STATIC if finders.find(p)] + sorted(set(_icon_paths().values()))
    return [static(p) for p in paths]


@lru_cache(maxsize=1)
def shell_version() -> str:
    """A short digest of the shell's files: a new version makes browsers refresh their copy."""
    digest = hashlib.sha256()
    for path in [*SHELL_STATIC, *sorted(set(_icon_paths().values()))]:
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


def join_path(event: Event) -> str:
    """The map page with the join code in its fragment (never sent to any server)."""
    return reverse("pages:event-map", args=[event.slug]) + "#code=" + quote(event.join_code)


def join_qr_svg(url: str) -> bytes:
    """A QR code of ``url`` as a standalone SVG (medium error correction, 4-module margin)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=4, xmldecl=False,
                                   title=url)
    return buffer.getvalue()
