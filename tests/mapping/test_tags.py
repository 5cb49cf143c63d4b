"""OSM tag rules: one table, applied at submission (the API) and at export (the validator)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.services import event_export
from mapping.errors import InvalidInput
from mapping.tags import check_tags, normalise_tags, tag_warnings, validate_tags
from tests.factories import MappedFeatureFactory

# (tags, code, severity): severity None for tags that break no rule. Each row is played at
# both call sites below: the participant's POST and the organiser's OSM export.
RULE_CASES = [
    ({"amenity": "bench"}, None, None),
    ({}, "untagged", "error"),
    ({f"k{i}": "v" for i in range(101)}, "too_many_tags", "error"),
    ({"": "x"}, "empty_key", "error"),
    ({"amenity": ""}, "empty_value", "error"),
    ({"amenity": " "}, "empty_value", "error"),
    ({"amenity ": "bench"}, "padded_key", "error"),
    ({"name": " x"}, "padded_value", "error"),  # refused at submission, now at export too
    ({"k" * 256: "x"}, "long_key", "error"),
    ({"name": "x" * 256}, "long_value", "error"),
    ({"name": "é" * 255}, None, None),  # 255 code points, 510 bytes: fine for OSM
    ({"name": "😀" * 200}, "long_value_josm", "warning"),  # 400 UTF-16 units for JOSM
    ({"name": "a\u0007b"}, "control_character_value", "error"),
    ({"name": "a\U000e0080b"}, "control_character_value", "error"),  # unassigned (Cn)
    ({"name": "👩\u200d🔧\u00a0No\u202fbreak"}, None, None),  # ZWJ, NBSP: allowed
    ({"source": "Google Maps"}, "forbidden_source", "error"),  # accepted at submission before
    ({"source:geometry": "goo.gl/maps/x"}, "forbidden_source", "error"),
    ({"source": "survey;Bing"}, None, None),
]
IDS = [code or f"valid-{n}" for n, (_tags, code, _severity) in enumerate(RULE_CASES)]


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


@pytest.mark.parametrize(("tags", "code", "severity"), RULE_CASES, ids=IDS)
def test_the_rule_table_finds_each_issue(tags, code, severity):
    found = [(issue.code, issue.severity) for issue in check_tags(tags)]
    assert found == ([] if code is None else [(code, severity)])


@pytest.mark.django_db
@pytest.mark.parametrize(("tags", "code", "severity"), RULE_CASES, ids=IDS)
def test_submission_refuses_errors_and_returns_warnings(participant_api, event, tags, code,
                                                        severity):
    response = participant_api.post(f"/api/v1/events/{event.slug}/features/", {
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [5.932, 45.566]},
        "properties": {"tags": tags}}, format="json")
    body = response.json()
    if severity == "error":
        assert response.status_code == 400, body
        assert (body["rule"], body["field"].split(".")[0]) == (code, "tags")
    else:
        assert response.status_code == 201, body
        assert [w["code"] for w in body["warnings"]] == ([code] if code else [])
        assert all(w["message"] for w in body["warnings"])


@pytest.mark.django_db
@pytest.mark.parametrize(("tags", "code", "severity"), RULE_CASES, ids=IDS)
def test_export_leaves_out_errors_and_reports_warnings(event, tags, code, severity,
                                                       tmp_path: Path):
    # Rows older than the rules (or imported around them) reach the exporter as they are.
    feature = MappedFeatureFactory(event=event, tags=tags, preset="", status="accepted",
                                   consent_osm=True)
    result = event_export(event=event, format_name="osm", path=tmp_path / "e.osm")
    assert [(i.code, i.severity, i.feature_id) for i in result.issues] == (
        [] if code is None else [(code, severity, str(feature.pk))])
    assert result.written == (0 if severity == "error" else 1)


def test_a_refusal_names_its_rule_and_field():
    with pytest.raises(InvalidInput) as refused:
        validate_tags({"amenity": "bench", "source": "Google Maps"})
    assert (refused.value.rule, refused.value.field) == ("forbidden_source", "tags.source")


def test_warnings_say_what_to_fix_in_english_and_french():
    (warning,) = tag_warnings({"name": "😀" * 200})
    assert "JOSM counts 400" in warning.message
    from django.utils import translation

    with translation.override("fr"):
        assert "mais JOSM en compte 400" in warning.render(translation.gettext)
