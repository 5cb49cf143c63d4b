"""Tests for mapping.profiles: the optional profile's answers are checked one by one."""

from __future__ import annotations

import pytest

from mapping.errors import InvalidInput
from mapping.profiles import ANSWERS, PURPOSE, QUESTIONS, clean_answers


@pytest.mark.parametrize(("raw", "cleaned"), [
    (None, {}),
    ({}, {}),
    ({"age_band": "", "gender": None}, {}),
    ({"age_band": "65_79", "lives_in_area": "no"}, {"age_band": "65_79", "lives_in_area": "no"}),
    ({"first_participation": "yes", "gender": "another"},
     {"first_participation": "yes", "gender": "another"}),
])
def test_answers_given_are_kept_and_blank_ones_dropped(raw: object, cleaned: dict) -> None:  # type: ignore[type-arg]
    assert clean_answers(raw) == cleaned


@pytest.mark.parametrize(("raw", "field", "message"), [
    ("25_39", "profile", "must be an object"),
    (["age_band"], "profile", "must be an object"),
    ({"income": "high"}, "profile.income", "Unknown profile question 'income'"),
    ({"age_band": "30"}, "profile.age_band", "'30' is not an answer to age_band"),
    ({"gender": "Woman"}, "profile.gender", "expected one of: woman, man, another"),
    ({"lives_in_area": True}, "profile.lives_in_area", "not an answer"),
])
def test_an_unknown_question_or_answer_is_refused_by_name(raw: object, field: str,
                                                          message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        clean_answers(raw)
    assert caught.value.field == field


def test_every_question_has_its_answers_and_the_purpose_states_the_threshold() -> None:
    assert set(QUESTIONS) == set(ANSWERS)
    assert all(len(answers) >= 2 for answers in ANSWERS.values())
    assert "{k}" in PURPOSE
