"""The event's own base map over HTTP: tiles from the database, ETags, TileJSON, style, fonts."""

from __future__ import annotations

import mapbox_vector_tile
import mercantile
import pytest
from django.conf import settings

from exports.models import Basemap, BasemapTile
from exports.services import osm_context_import
from mapping.services.demo import DEMO_OSM

pytestmark = pytest.mark.django_db
RUE_DE_WARENS = (5.9316, 45.5660)


@pytest.fixture
def imported(event):  # type: ignore[no-untyped-def]
    osm_context_import(event=event, path=DEMO_OSM)  # the test zone is the demo extract's box
    return event


def tile_url(event, z: int, lon: float = RUE_DE_WARENS[0], lat: float = RUE_DE_WARENS[1]) -> str:  # type: ignore[no-untyped-def]
    tile = mercantile.tile(lon, lat, z)
    return f"/tiles/{event.slug}/basemap/{z}/{tile.x}/{tile.y}.mvt"


def test_tilejson_describes_the_tiles_with_osm_attribution(client, imported) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/tiles/{imported.slug}/basemap.json").json()
    basemap = Basemap.objects.get(event=imported)
    assert body["tilejson"] == "3.0.0"
    assert "© OpenStreetMap contributors" in body["attribution"]
    assert body["tiles"] == [
        f"{settings.PUBLIC_BASE_URL}/tiles/{imported.slug}/basemap/{{z}}/"
        f"{{x}}/{{y}}.mvt?v={basemap.version}"
    ]
    assert (body["minzoom"], body["maxzoom"]) == (12, 16)
    assert {layer["id"] for layer in body["vector_layers"]} == {
        "landuse",
        "water",
        "waterway",
        "building",
        "transportation",
        "housenumber",
    }
    west, south, east, north = body["bounds"]
    assert west < RUE_DE_WARENS[0] < east
    assert south < RUE_DE_WARENS[1] < north


def test_links_are_on_the_public_base_url_whatever_the_host(client, imported, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["*"]  # a deployment accepting any Host (behind a proxy)
    forged = {"HTTP_HOST": "evil.example"}
    links = [*client.get(f"/tiles/{imported.slug}/basemap.json", **forged).json()["tiles"]]
    style_json = client.get(f"/tiles/{imported.slug}/basemap/style.json", **forged).json()
    links += [style_json["sources"]["basemap"]["url"], style_json["glyphs"]]
    assert all(link.startswith(settings.PUBLIC_BASE_URL + "/tiles/") for link in links), links


def test_a_tile_is_served_from_the_database_with_an_etag(
    client, imported, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(3):  # the event, its base map, the tile
        response = client.get(tile_url(imported, 16))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    tile = mercantile.tile(*RUE_DE_WARENS, 16)
    stored = BasemapTile.objects.get(event=imported, z=16, x=tile.x, y=tile.y)
    assert response.content == bytes(stored.data)
    assert response["ETag"] == f'"{stored.etag}"'
    assert "public" in response["Cache-Control"]
    layers = mapbox_vector_tile.decode(response.content)
    assert "Rue de Warens" in {
        f["properties"].get("name") for f in layers["transportation"]["features"]
    }
    again = client.get(tile_url(imported, 16), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


@pytest.mark.parametrize(
    ("z", "lon", "lat", "status"),
    [
        (16, 5.95, 45.59, 204),  # in the zoom range, outside the built area: an empty tile
        (11, 5.9316, 45.566, 404),  # below the base map's zooms
        (17, 5.9316, 45.566, 404),  # above them: MapLibre overzooms z16
    ],
)
def test_tiles_outside_the_base_map(client, imported, z, lon, lat, status) -> None:  # type: ignore[no-untyped-def]
    assert client.get(tile_url(imported, z, lon, lat)).status_code == status


def test_unknown_event_or_no_import_is_404(client, event) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/tiles/nowhere/basemap.json").status_code == 404
    assert client.get(f"/tiles/{event.slug}/basemap.json").status_code == 404
    assert client.get(tile_url(event, 16)).status_code == 404


def test_an_older_import_gets_its_tiles_on_the_first_request(client, imported) -> None:  # type: ignore[no-untyped-def]
    BasemapTile.objects.filter(event=imported).delete()
    Basemap.objects.filter(event=imported).delete()
    assert client.get(tile_url(imported, 16)).status_code == 200
    assert BasemapTile.objects.filter(event=imported).count() > 5


def test_style_uses_our_tiles_and_fonts_only(client, imported) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/tiles/{imported.slug}/basemap/style.json").json()
    assert body["version"] == 8
    assert body["sources"]["basemap"]["url"] == (
        f"{settings.PUBLIC_BASE_URL}/tiles/{imported.slug}/basemap.json"
    )
    assert body["glyphs"] == f"{settings.PUBLIC_BASE_URL}/tiles/fonts/{{fontstack}}/{{range}}.pbf"
    names = [layer for layer in body["layers"] if layer["id"] == "street-name"]
    assert names[0]["layout"]["text-field"] == ["get", "name"]
    fonts = {
        font for layer in body["layers"] for font in layer.get("layout", {}).get("text-font", [])
    }
    for font in fonts:
        response = client.get(f"/tiles/fonts/{font}/0-255.pbf")
        assert response.status_code == 200
        assert len(response.content) > 10_000


def test_bad_glyph_range_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/tiles/fonts/DejaVu Sans Book/1-256.pbf").status_code == 404


def test_preview_page_uses_the_shared_module_in_the_reader_language(client, imported) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/tiles/{imported.slug}/basemap/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Fond de carte de {imported.name}" in html
    assert 'type="module" src="/static/web/basemap_page.js"' in html
    assert client.get("/static/vendor/maplibre-gl/maplibre-gl.mjs").status_code == 200


def test_the_offline_list_names_every_tile_of_the_zone_and_the_glyphs_of_its_names(
    client, imported, settings
) -> None:  # type: ignore[no-untyped-def]
    # Links come from PUBLIC_BASE_URL, never from the request's Host.
    base = settings.PUBLIC_BASE_URL
    basemap = Basemap.objects.get(event=imported)
    body = client.get(f"/tiles/{imported.slug}/basemap/offline.json").json()
    bounds = (basemap.west, basemap.south, basemap.east, basemap.north)
    expected = mercantile.tiles(*bounds, list(range(12, 17)))
    tiles = [u for u in body["urls"] if ".mvt" in u]
    assert len(tiles) == body["tiles"] == len(list(expected))
    assert (body["min_zoom"], body["max_zoom"], body["all_zooms"]) == (12, 16, True)
    assert all(u.endswith(f"?v={basemap.version}") for u in tiles)
    stored = sum(len(bytes(t.data)) for t in BasemapTile.objects.filter(event=imported))
    assert body["bytes"] == stored
    assert body["urls"][:2] == [
        f"{base}/tiles/{imported.slug}/basemap/style.json",
        f"{base}/tiles/{imported.slug}/basemap.json",
    ]
    glyphs = [u for u in body["urls"] if "/tiles/fonts/" in u]
    assert f"{base}/tiles/fonts/DejaVu%20Sans%20Book/0-255.pbf" in glyphs
    # Every URL listed is served (tiles with nothing in them as 204).
    for url in body["urls"][:3] + tiles[:5]:
        assert client.get(url.removeprefix(base)).status_code in (200, 204), url


def test_the_offline_list_is_bounded_by_dropping_the_finest_zooms(
    client, imported, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.BASEMAP_OFFLINE_MAX_TILES = 10
    body = client.get(f"/tiles/{imported.slug}/basemap/offline.json").json()
    assert body["tiles"] <= 10
    assert body["max_zoom"] < 16
    assert body["all_zooms"] is False
    assert {u.split("/basemap/")[1].split("/")[0] for u in body["urls"] if ".mvt" in u} == {
        str(z) for z in range(12, body["max_zoom"] + 1)
    }


def test_an_event_without_osm_context_has_no_offline_list(client, event) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"/tiles/{event.slug}/basemap/offline.json").status_code == 404
