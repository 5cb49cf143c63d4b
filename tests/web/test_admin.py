"""The admin opens with local Leaflet map widgets that ask no tile server unless allowed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mapping.services.demo import demo_load

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("model", ["event", "mappedfeature", "nuisancereport", "contributor"])
def test_admin_lists_and_change_pages_open(admin_client, model):
    demo_load()
    listing = admin_client.get(f"/admin/mapping/{model}/")
    assert listing.status_code == 200


def test_event_change_page_has_a_local_leaflet_widget(admin_client):
    event = demo_load().event
    page = admin_client.get(f"/admin/mapping/event/{event.pk}/change/").content.decode()
    assert "leaflet/leaflet.js" in page
    assert "cdn" not in page.lower()
    assert "unpkg.com" not in page


def test_event_change_page_names_no_tile_server(admin_client, settings):
    event = demo_load().event
    page = admin_client.get(f"/admin/mapping/event/{event.pk}/change/").content.decode()
    assert not settings.BASEMAP_USE_EXTERNAL
    assert settings.BASEMAP_TILE_URL.startswith("https://tile.openstreetmap.org/")
    assert "tile.openstreetmap.org" not in page
    assert '"layers": []' in page  # django-leaflet's options: no tile layer


def leaflet_tiles(**env: str) -> list[list[object]]:
    """LEAFLET_CONFIG["TILES"] as web/settings.py computes it with these variables."""
    script = "import json, web.settings as s; print(json.dumps(s.LEAFLET_CONFIG['TILES']))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True,
                            capture_output=True, text=True,
                            env={**os.environ, "BASEMAP_USE_EXTERNAL": "false", **env})
    return json.loads(result.stdout.splitlines()[-1])


def test_admin_maps_draw_external_tiles_only_when_allowed():
    assert leaflet_tiles() == []
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    tiles = leaflet_tiles(BASEMAP_USE_EXTERNAL="true", BASEMAP_TILE_URL=url)
    assert [t[1] for t in tiles] == [url]
    assert "OpenStreetMap" in tiles[0][2]["attribution"]
    assert leaflet_tiles(BASEMAP_USE_EXTERNAL="true", BASEMAP_TILE_URL="") == []
