"""OSM tag validation: the rules of the OSM API and the editors."""

from __future__ import annotations

import pytest

from mapping.errors import InvalidInput
from mapping.tags import normalise_tags, validate_tags


def test_valid_tags_pass_unchanged():
    tags = {"amenity": "bench", "name": "Banc « du square » 🌳", "name:ar": "مقعد"}
    assert validate_tags(tags) == tags


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ({}, "At least one tag"),
        ({"": "bench"}, "Tag key is empty"),
        ({"amenity": ""}, "is empty"),
        ({"k" * 256: "v"}, "256 characters"),
        ({"note": "é" * 256}, "256 characters"),
        ({"amenity": "bench\u0000"}, r"U\+0000"),
        ({"amenity\n": "bench"}, "spaces"),
        ({"amenity": "bench\x07x"}, r"U\+0007"),
        ({"amenity": 3}, "must be a string"),
        ({"amenity": None}, "must be a string"),
        (["amenity", "bench"], "must be an object"),
    ],
)
def test_invalid_tags_are_refused_with_a_reason(tags, message):
    with pytest.raises(InvalidInput, match=message):
        validate_tags(tags)


def test_length_is_counted_in_code_points_like_osm():
    # 255 emoji are 1020 UTF-8 bytes, but 255 characters for OSM: accepted.
    assert validate_tags({"note": "🌳" * 255})["note"] == "🌳" * 255


def test_too_many_tags_are_refused():
    with pytest.raises(InvalidInput, match="101 tags"):
        validate_tags({f"k{i}": "v" for i in range(101)})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"amenity": "sloped_curb"}, {"kerb": "lowered"}),
        ({"barrier": "kerb", "kerb": "dropped"}, {"barrier": "kerb", "kerb": "lowered"}),
        ({"kerb": "flat"}, {"kerb": "flush"}),
        ({"curb": "dropped"}, {"kerb": "lowered"}),
        ({"amenity": "bench"}, {"amenity": "bench"}),
    ],
)
def test_deprecated_tags_are_upgraded(given, expected):
    assert normalise_tags(given) == expected
