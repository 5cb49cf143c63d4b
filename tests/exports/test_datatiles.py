"""The data tiles' pure part: addresses, properties an MVT can carry, encoding (no Django)."""

from __future__ import annotations

import doctest

import mapbox_vector_tile
import mercantile
import numpy as np
import pytest
from shapely.geometry import Point, box

from exports import datatiles
from mapping.errors import InvalidInput, NotFound


def test_doctests() -> None:
    failed, _ = doctest.testmod(datatiles)
    assert failed == 0


@pytest.mark.parametrize(
    ("z", "x", "y", "error"),
    [
        (-1, 0, 0, InvalidInput),
        (23, 0, 0, InvalidInput),
        (3, 8, 0, NotFound),
        (3, 0, -1, NotFound),
        (22, 2**22, 0, NotFound),
    ],
)
def test_bad_addresses(z: int, x: int, y: int, error: type[Exception]) -> None:
    with pytest.raises(error):
        datatiles.check_address(z, x, y)


def test_good_addresses_and_layers() -> None:
    datatiles.check_address(0, 0, 0)
    datatiles.check_address(22, 2**22 - 1, 2**22 - 1)
    assert datatiles.check_layer("overlay") == "overlay"
    with pytest.raises(NotFound):
        datatiles.check_layer("basemap")


def test_properties_an_mvt_can_carry() -> None:
    found = datatiles.scalar_properties(
        {
            "none": None,
            "nan": float("nan"),
            "n": np.int64(3),
            "sources": ["road", "rail"],
            "ok": True,
            "level": 61.25,
            "name": "Rue de Boigne",
        }
    )
    assert found == {
        "n": 3,
        "sources": '["road", "rail"]',
        "ok": True,
        "level": 61.25,
        "name": "Rue de Boigne",
    }


def test_encode_keeps_what_is_in_the_tile_and_its_buffer() -> None:
    tile = mercantile.tile(5.9320, 45.5660, 16)
    west, south, east, north = mercantile.bounds(tile)
    inside = Point((west + east) / 2, (south + north) / 2)
    far = Point(east + (east - west), north)
    cell = box(west - 0.01, south, (west + east) / 2, north)  # crosses the western edge
    data = datatiles.encode(
        "overlay",
        [
            datatiles.TileItem(inside, {"cell": "a"}),
            datatiles.TileItem(far, {"cell": "b"}),
            datatiles.TileItem(cell, {"cell": "c"}),
        ],
        tile.z,
        tile.x,
        tile.y,
    )
    features = mapbox_vector_tile.decode(data)["overlay"]["features"]
    assert {f["properties"]["cell"] for f in features} == {"a", "c"}
    (polygon,) = [f for f in features if f["properties"]["cell"] == "c"]
    xs = [x for x, _ in polygon["geometry"]["coordinates"][0]]
    assert min(xs) == -64  # clipped at the buffer, not at the cell's own edge
    assert datatiles.encode("overlay", [], tile.z, tile.x, tile.y) == b""


def test_the_main_key_of_every_preset_is_its_own_field() -> None:
    """A preset added with a new main key (``shop``…) must be promoted too, so that a map
    can style it with no JSON parsing; keys are plain identifiers (they are SQL aliases)."""
    from mapping.presets import tag_presets

    main_keys = {next(iter(preset["tags"])) for preset in tag_presets().values()}
    assert main_keys <= set(datatiles.PROMOTED_TAGS)
    assert all(key.isidentifier() for key in datatiles.PROMOTED_TAGS)
    fields = datatiles.FIELDS["features"]
    assert all(f"tag:{key}" in fields for key in datatiles.PROMOTED_TAGS)


def test_feature_properties_leave_out_what_a_feature_lacks() -> None:
    import datetime as dt

    props = datatiles.scalar_properties(
        datatiles.feature_properties(
            "f1", "", "accepted", {"amenity": "bench"}, dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC),
            z=16,
        )
    )
    assert props == {
        "id": "f1",
        "status": "accepted",
        "created_at": "2026-05-01T09:00:00Z",
        "tags": '{"amenity": "bench"}',
        "tag:amenity": "bench",
    }
    below = datatiles.feature_properties(
        "f1", "", "accepted", {"amenity": "bench"}, dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC),
        z=15,
    )
    assert below["tags"] is None  # left out below TAGS_MIN_ZOOM
    assert below["tag:amenity"] == "bench"
