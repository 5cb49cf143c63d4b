"""The contribution status machine, as data (pure).

received → accepted | merged | rejected → exported. An organiser may change their mind
between accepted and rejected; merged and exported are final.

>>> can_transition("received", "accepted")
True
>>> can_transition("merged", "accepted")
False
"""

from __future__ import annotations

from enum import StrEnum

from mapping.errors import N_, InvalidInput, InvalidTransition


class Status(StrEnum):
    """Where a contribution stands; its author sees it through the follow link."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    MERGED = "merged"
    REJECTED = "rejected"
    EXPORTED = "exported"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.ACCEPTED, Status.MERGED, Status.REJECTED}),
    Status.ACCEPTED: frozenset({Status.REJECTED, Status.MERGED, Status.EXPORTED}),
    Status.REJECTED: frozenset({Status.ACCEPTED}),
    Status.MERGED: frozenset(),
    Status.EXPORTED: frozenset(),
}

#: Statuses a moderator may set by hand; ``exported`` is set by the export service only.
MODERATION_STATUSES = frozenset({Status.ACCEPTED, Status.MERGED, Status.REJECTED})

REASON_REQUIRED = N_(
    "A reason is required when a contribution is rejected: its author will read it.")
MERGED_INTO_REQUIRED = N_(
    "merged_into is required: the id of the contribution this one duplicates.")
MERGED_INTO_ONLY = N_("merged_into is only meaningful with status 'merged'.")
REASON_TOO_LONG = N_("The reason is limited to 1000 characters.")


def can_transition(current: str, target: str) -> bool:
    """Whether the table allows moving from ``current`` to ``target``."""
    return Status(target) in TRANSITIONS[Status(current)]


def check_transition(
    *, current: str, target: str, reason: str, merged_into: object | None
) -> Status:
    """Validate a requested status change and return the target status.

    Raises
    ------
    InvalidInput
        Unknown status, a rejection without a reason, a merge without a target.
    InvalidTransition
        The table forbids the move (for example from ``merged``).
    """
    try:
        target_status = Status(target)
    except ValueError:
        allowed = ", ".join(sorted(MODERATION_STATUSES))
        raise InvalidInput(N_("Unknown status {status!r}; expected one of: {allowed}."),
                           field="status", status=target, allowed=allowed) from None
    if len(reason) > 1000:
        raise InvalidInput(REASON_TOO_LONG, field="reason")
    if target_status is Status.REJECTED and not reason.strip():
        raise InvalidInput(REASON_REQUIRED, field="reason")
    if target_status is Status.MERGED and merged_into is None:
        raise InvalidInput(MERGED_INTO_REQUIRED, field="merged_into")
    if target_status is not Status.MERGED and merged_into is not None:
        raise InvalidInput(MERGED_INTO_ONLY, field="merged_into")
    if not can_transition(current, target_status):
        raise InvalidTransition(N_("A contribution cannot go from {current!r} to {target!r}."),
                                field="status", current=current, target=target_status.value)
    return target_status
