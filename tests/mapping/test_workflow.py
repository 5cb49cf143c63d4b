"""The status machine: received → accepted | merged | rejected → exported."""

from __future__ import annotations

import uuid

import pytest

from mapping.errors import InvalidInput, InvalidTransition
from mapping.workflow import TRANSITIONS, Status, can_transition, check_transition


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("received", "accepted", True),
        ("received", "rejected", True),
        ("received", "merged", True),
        ("received", "exported", False),
        ("accepted", "exported", True),
        ("accepted", "rejected", True),
        ("rejected", "accepted", True),
        ("merged", "accepted", False),
        ("exported", "rejected", False),
    ],
)
def test_transition_table(current, target, allowed):
    assert can_transition(current, target) is allowed


def test_every_status_has_a_row():
    assert set(TRANSITIONS) == set(Status)


def test_rejection_requires_a_reason():
    with pytest.raises(InvalidInput, match="reason is required"):
        check_transition(current="received", target="rejected", reason="  ", merged_into=None)


def test_merge_requires_a_target():
    with pytest.raises(InvalidInput, match="merged_into is required"):
        check_transition(current="received", target="merged", reason="", merged_into=None)


def test_merge_target_only_with_merge():
    with pytest.raises(InvalidInput, match="only meaningful"):
        check_transition(current="received", target="accepted", reason="",
                         merged_into=uuid.uuid4())


def test_unknown_status_is_named():
    with pytest.raises(InvalidInput, match="'approved'"):
        check_transition(current="received", target="approved", reason="", merged_into=None)


def test_forbidden_move_is_a_conflict():
    with pytest.raises(InvalidTransition, match="'merged' to 'accepted'"):
        check_transition(current="merged", target="accepted", reason="", merged_into=None)


def test_allowed_move_returns_the_status():
    assert check_transition(current="received", target="rejected", reason="doublon",
                            merged_into=None) is Status.REJECTED
