"""The exporter's own checks, before anything is written (the rules JOSM and iD apply)."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from exports import conflation
from exports.records import ContextElement, FeatureRecord
from exports.tags.validation import Validator, blocking, check_geometry, check_tags

PRESETS = {"amenity/bench": {"amenity": "bench"}, "leisure/playground": {"leisure": "playground"}}
BENCH = ContextElement("node", 42, 3, {"amenity": "bench"}, 5.9320, 45.5660)


def codes(issues) -> list[str]:  # type: ignore[no-untyped-def]
    return [issue.code for issue in issues]


# The tag rules themselves are one table, played at submission and at export:
# tests/mapping/test_tags.py (RULE_CASES).


def test_duplicate_keys_are_found_in_pairs() -> None:
    assert codes(check_tags([("name", "a"), ("name", "b")])) == ["duplicate_key"]


def test_area_tags_on_an_open_way_are_an_error() -> None:
    line = LineString([(5.93, 45.56), (5.931, 45.561)])
    assert codes(check_geometry(FeatureRecord("x", line, {"leisure": "playground"}))) == [
        "area_tags_on_open_way"]
    assert codes(check_geometry(FeatureRecord("x", line, {"amenity": "bench"}))) == []


@pytest.mark.parametrize("wkt", [
    "POINT (5.9 95)", "POINT (-180.5 45)", "LINESTRING (5.9 45.5, 5.9 NaN)",
    "POLYGON ((5.9 45.5, Inf 45.5, 5.9 45.6, 5.9 45.5))",
])
@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_out_of_range_coordinates_are_refused(wkt: str) -> None:
    record = FeatureRecord("x", shapely.from_wkt(wkt), {"a": "b"})
    assert codes(check_geometry(record)) == ["out_of_range"]


def test_way_whose_nodes_round_to_one_is_degenerate() -> None:
    line = LineString([(5.93, 45.56), (5.93 + 4e-8, 45.56)])
    assert codes(check_geometry(FeatureRecord("x", line, {"barrier": "kerb"}))) == [
        "degenerate_way"]


def test_long_way_is_a_warning_not_a_block() -> None:
    line = LineString([(5.93 + i * 1e-6, 45.56 + (i % 2) * 1e-6) for i in range(2100)])
    issues = check_geometry(FeatureRecord("x", line, {"barrier": "kerb"}))
    assert codes(issues) == ["way_split"]
    assert not blocking(issues)


def validator(**kwargs) -> Validator:  # type: ignore[no-untyped-def]
    index = conflation.CandidateIndex([("amenity/bench", conflation.Candidate(
        "node", 42, 3, {"amenity": "bench"}, 5.9320, 45.5660, 0.0))])
    return Validator(context={("node", 42): BENCH}, index=index, presets=PRESETS, **kwargs)


def test_new_bench_a_few_metres_from_an_osm_bench_is_held() -> None:
    issues = validator().check(FeatureRecord("x", Point(5.93205, 45.56603), {"amenity": "bench"}))
    assert codes(issues) == ["likely_duplicate"]
    assert blocking(issues)
    assert "node/42" in issues[0].message


def test_keep_duplicates_lets_it_through() -> None:
    check = validator(keep_duplicates=True).check
    assert check(FeatureRecord("x", Point(5.93205, 45.56603), {"amenity": "bench"})) == []


def test_other_kinds_and_far_benches_are_not_duplicates() -> None:
    check = validator().check
    assert check(FeatureRecord("x", Point(5.93205, 45.56603), {"leisure": "playground"})) == []
    assert check(FeatureRecord("x", Point(5.9330, 45.5660), {"amenity": "bench"})) == []


def test_edit_needs_the_osm_context() -> None:
    record = FeatureRecord("x", Point(5.93, 45.56), {"backrest": "no"}, osm_type="node", osm_id=7)
    assert codes(validator().check(record)) == ["not_in_osm_context"]


def test_same_element_edited_twice_is_an_error_the_second_time() -> None:
    check = validator().check
    record = FeatureRecord("x", Point(5.93, 45.56), {"backrest": "no"}, osm_type="node", osm_id=42)
    assert check(record) == []
    assert codes(check(record)) == ["edited_twice"]


def test_edit_based_on_an_older_version_is_a_warning() -> None:
    record = FeatureRecord("x", Point(5.93, 45.56), {"backrest": "no"}, osm_type="node", osm_id=42,
                           osm_version=2)
    assert codes(validator().check(record)) == ["version_changed"]


def test_incomplete_way_cannot_be_edited() -> None:
    way = ContextElement("way", 9, 1, {"leisure": "playground"}, 5.93, 45.56,
                         ((1, 1, 5.93, 45.56), (2, None, None, None)))
    v = Validator(context={("way", 9): way}, index=conflation.CandidateIndex([]), presets=PRESETS)
    record = FeatureRecord("x", Polygon([(0, 0), (1, 0), (1, 1)]), {"surface": "sand"},
                           osm_type="way", osm_id=9)
    assert codes(v.check(record)) == ["incomplete_way"]
