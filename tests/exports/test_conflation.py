"""Kinds, distances and the candidate index (pure)."""

from __future__ import annotations

import pytest

from exports.conflation import Candidate, CandidateIndex, bbox_around, distance_m, kind_of

PRESETS = {"amenity/recycling": {"amenity": "recycling"},
           "amenity/recycling_container": {"amenity": "recycling", "recycling_type": "container"},
           "amenity/bench": {"amenity": "bench"}}


@pytest.mark.parametrize(("tags", "kind"), [
    ({"amenity": "bench", "backrest": "no"}, "amenity/bench"),
    ({"amenity": "recycling", "recycling_type": "container"}, "amenity/recycling_container"),
    ({"amenity": "recycling"}, "amenity/recycling"),
    ({"amenity": "fountain"}, ""),
])
def test_kind_is_the_most_specific_matching_preset(tags: dict[str, str], kind: str) -> None:
    assert kind_of(tags, PRESETS) == kind


def test_distance_of_one_thousandth_degree_of_latitude() -> None:
    assert distance_m(5.93, 45.566, 5.93, 45.567) == pytest.approx(111.2, abs=0.1)


def test_bbox_around_contains_the_circle() -> None:
    _west, _south, east, north = bbox_around(24.94, 60.17, 25)
    assert distance_m(24.94, 60.17, east, 60.17) == pytest.approx(25, rel=1e-3)
    assert distance_m(24.94, 60.17, 24.94, north) == pytest.approx(25, rel=1e-3)


def test_index_returns_same_kind_nearest_first_within_radius() -> None:
    near = Candidate("node", 1, 1, {}, 24.9400, 60.1700, 0)
    nearer = Candidate("node", 2, 1, {}, 24.94002, 60.1700, 0)
    far = Candidate("node", 3, 1, {}, 24.9410, 60.1700, 0)
    index = CandidateIndex([("amenity/bench", near), ("amenity/bench", nearer),
                            ("amenity/bench", far), ("natural/tree", nearer)])
    found = index.near(kind="amenity/bench", lon=24.94003, lat=60.17, radius_m=25)
    assert [c.id for c in found] == [2, 1]
    assert found[0].distance_m == pytest.approx(0.55, abs=0.05)
    assert index.near(kind="", lon=24.94, lat=60.17, radius_m=25) == []
