"""The base map's vector tiles (exports.basemap): decoded back as dicts, real and synthetic."""

from __future__ import annotations

import mapbox_vector_tile
import mercantile
import pytest
from shapely.geometry import LineString, box

from exports.basemap.features import MapFeature, all_map_features
from exports.basemap.tiles import EXTENT, build_tiles, tile_addresses, to_web_mercator
from mapping.osm_file import read_elements
from mapping.services.demo import DEMO_OSM

RUE_DE_WARENS = (5.9316, 45.5660)  # a point of the street in the demo extract


@pytest.fixture(scope="module")
def chambery_tiles() -> dict[tuple[int, int, int], bytes]:
    elements = list(read_elements(DEMO_OSM))
    features = to_web_mercator(all_map_features((e.id, e.tags, e.geometry) for e in elements))
    addresses = tile_addresses((5.9301, 45.5653, 5.9336, 45.5667), range(12, 17))
    return {(t.z, t.x, t.y): t.data for t in build_tiles(features, addresses)}


def decoded(data: bytes) -> dict:  # type: ignore[type-arg]
    return mapbox_vector_tile.decode(data)


def test_a_street_across_a_tile_decodes_to_the_expected_dict() -> None:
    tile = mercantile.tile(5.93, 45.566, 16)
    west, south, east, north = mercantile.bounds(tile)
    middle, side = (south + north) / 2, east - west
    street = MapFeature("transportation",
                        LineString([(west - side, middle), (east + side, middle)]),
                        {"class": "minor", "highway": "residential", "name": "Rue de Boigne"},
                        13, id=42)
    (built,) = build_tiles(to_web_mercator([street]), [(tile.z, tile.x, tile.y)])
    layer = decoded(built.data)["transportation"]
    assert layer["extent"] == EXTENT
    (feature,) = layer["features"]
    assert feature["id"] == 42
    assert feature["properties"] == {"class": "minor", "highway": "residential",
                                     "name": "Rue de Boigne"}
    assert feature["geometry"]["type"] == "LineString"
    (x0, y0), (x1, y1) = feature["geometry"]["coordinates"]
    # Clipped to the tile plus its 64-unit buffer, at mid-height (y up in decoded tiles).
    assert (x0, x1) == (-64, EXTENT + 64)
    assert y0 == y1 == pytest.approx(EXTENT / 2, abs=2)


def test_features_below_their_min_zoom_are_left_out() -> None:
    tile = mercantile.tile(5.93, 45.566, 13)
    west, south, east, north = mercantile.bounds(tile)
    building = MapFeature("building", box(west, south, (west + east) / 2, north), {}, 14)
    assert list(build_tiles(to_web_mercator([building]), [(13, tile.x, tile.y)])) == []


def test_the_demo_tiles_carry_named_streets_buildings_and_water(chambery_tiles) -> None:  # type: ignore[no-untyped-def]
    z16 = mercantile.tile(*RUE_DE_WARENS, 16)
    layers = decoded(chambery_tiles[(16, z16.x, z16.y)])
    names = {f["properties"].get("name") for f in layers["transportation"]["features"]}
    assert "Rue de Warens" in names
    assert {f["geometry"]["type"] for f in layers["building"]["features"]} <= {
        "Polygon", "MultiPolygon"}
    assert len(layers["building"]["features"]) >= 20
    assert "water" in layers
    z13 = mercantile.tile(*RUE_DE_WARENS, 13)
    assert "building" not in decoded(chambery_tiles[(13, z13.x, z13.y)])


def test_tiles_are_the_same_bytes_every_time(chambery_tiles) -> None:  # type: ignore[no-untyped-def]
    elements = list(read_elements(DEMO_OSM))
    features = to_web_mercator(all_map_features((e.id, e.tags, e.geometry) for e in elements))
    again = {(t.z, t.x, t.y): t.data for t in build_tiles(features, list(chambery_tiles))}
    assert again == chambery_tiles
