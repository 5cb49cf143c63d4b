"""Presets (iD tagging schema subset) and nuisance categories as data."""

from __future__ import annotations

import pytest

from mapping.errors import InvalidInput
from mapping.presets import apply_preset, check_sources, nuisance_categories, tag_presets

REQUIRED = {
    "amenity/bench": {"amenity": "bench"},
    "amenity/waste_basket": {"amenity": "waste_basket"},
    "amenity/drinking_water": {"amenity": "drinking_water"},
    "amenity/toilets": {"amenity": "toilets"},
    "emergency/defibrillator": {"emergency": "defibrillator"},
    "barrier/kerb/lowered": {"barrier": "kerb", "kerb": "lowered"},
    "amenity/bicycle_parking": {"amenity": "bicycle_parking"},
    "leisure/playground": {"leisure": "playground"},
    "amenity/recycling_container": {"amenity": "recycling", "recycling_type": "container"},
    "highway/street_lamp": {"highway": "street_lamp"},
    "natural/tree": {"natural": "tree"},
}


@pytest.mark.parametrize(("preset_id", "tags"), REQUIRED.items())
def test_required_presets_have_their_tags_and_both_languages(preset_id, tags):
    preset = tag_presets()[preset_id]
    assert preset["tags"] == tags
    assert preset["name"]["fr"]
    assert preset["name"]["en"]
    for field in preset["fields"]:
        assert field["label"]["fr"]
        assert field["label"]["en"]
        assert field["key"]


def test_preset_tags_win_over_free_tags():
    tags = apply_preset(preset_id="amenity/bench", offered=list(REQUIRED),
                        tags={"amenity": "chair", "backrest": "yes"}, geometry_type="Point")
    assert tags == {"amenity": "bench", "backrest": "yes"}


def test_preset_refuses_a_geometry_it_cannot_have():
    with pytest.raises(InvalidInput, match="Defibrillator cannot be a Polygon"):
        apply_preset(preset_id="emergency/defibrillator", offered=list(REQUIRED), tags={},
                     geometry_type="Polygon")


def test_preset_not_offered_is_refused():
    with pytest.raises(InvalidInput, match="not offered"):
        apply_preset(preset_id="natural/tree", offered=["amenity/bench"], tags={},
                     geometry_type="Point")


def test_categories_have_sources_in_both_languages():
    categories = nuisance_categories()
    assert {"noise", "smell", "light", "dust", "vibration", "heat"} <= set(categories)
    noise = set(categories["noise"]["sources"])
    assert {"road", "rail", "aircraft", "works", "voices", "music", "alarms", "animals",
            "industry"} <= noise
    for category in categories.values():
        for labels in category["sources"].values():
            assert labels["fr"]
            assert labels["en"]


def test_sources_must_belong_to_the_category():
    with pytest.raises(InvalidInput, match="Unknown sources: sewer"):
        check_sources(category="noise", sources=["road", "sewer"])


def test_sources_may_not_repeat():
    with pytest.raises(InvalidInput, match="once"):
        check_sources(category="noise", sources=["road", "road"])
