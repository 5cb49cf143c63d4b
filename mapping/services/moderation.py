"""Moderating contributions: accept, merge into another, reject with a reason."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from mapping import permissions
from mapping.errors import N_, Conflict, InvalidInput, NotAllowed
from mapping.models import MappedFeature, NuisanceReport, StatusChange
from mapping.workflow import MODERATION_STATUSES, Status, check_transition

MODERATE_FORBIDDEN = N_("Only this event's organisers may moderate its contributions.")
HAS_DUPLICATES = N_("{count} contributions are merged into this one: it is the original, so it "
                    "cannot be rejected or merged itself.")
STALE_VERSION = N_("This contribution changed meanwhile (now version {current}); reload it.")

Contribution = MappedFeature | NuisanceReport


@dataclass(frozen=True)
class Decided:
    """A moderated contribution (the instance given, updated) and its whole history, as written."""

    contribution: Contribution
    history: tuple[StatusChange, ...]


def _merge_target(contribution: Contribution, merged_into: uuid.UUID) -> Contribution:
    model = type(contribution)
    target = model.objects.filter(pk=merged_into, event_id=contribution.event_id).first()
    if target is None:
        raise InvalidInput(N_("merged_into: no contribution {id} of this kind in this event."),
                           field="merged_into", id=merged_into)
    if target.pk == contribution.pk:
        raise InvalidInput(N_("A contribution cannot be merged into itself."), field="merged_into")
    if target.status in {Status.MERGED, Status.REJECTED}:
        raise InvalidInput(
            N_("merged_into points to a {status} contribution; merge into the original."),
            field="merged_into", status=target.status)
    return target


@transaction.atomic
def contribution_set_status(
    *,
    contribution: Contribution,
    actor: Any,
    status: str,
    reason: str = "",
    merged_into: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> Decided:
    """Move a contribution to a moderation status and record who, when and why.

    The row is re-read under a lock (the version check); ``contribution`` itself is updated
    too, so a caller that read it with its author and history answers without reading again.
    """
    if not permissions.can_moderate(actor, contribution.event):
        raise NotAllowed(MODERATE_FORBIDDEN)
    if status not in MODERATION_STATUSES and status in set(Status):
        raise InvalidInput(N_("{status!r} is set by the system, not by moderators."),
                           field="status", status=status)
    model = type(contribution)
    current = model.objects.select_for_update().get(pk=contribution.pk)
    if expected_version is not None and expected_version != current.version:
        raise Conflict(STALE_VERSION, field="version", current=current.version)
    target_status = check_transition(
        current=current.status, target=status, reason=reason, merged_into=merged_into
    )
    if target_status in {Status.REJECTED, Status.MERGED}:
        duplicates = model.objects.filter(merged_into_id=current.pk).count()
        if duplicates:
            raise Conflict(HAS_DUPLICATES, field="status", count=duplicates)
    target = _merge_target(current, merged_into) if merged_into is not None else None
    previous = current.status
    current.status = target_status
    current.merged_into = target
    current.version += 1
    current.save(update_fields=["status", "merged_into", "version", "updated_at"])
    field = "feature" if isinstance(current, MappedFeature) else "report"
    change = StatusChange.objects.create(
        **{field: current}, from_status=previous, to_status=target_status, reason=reason.strip(),
        merged_into=target.pk if target else None, actor_user=actor,
    )
    contribution.status, contribution.version = current.status, current.version
    contribution.merged_into, contribution.updated_at = target, current.updated_at
    return Decided(contribution, (*contribution.status_history(), change))
