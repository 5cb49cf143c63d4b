"""Marking features as handed over to OpenStreetMap (status ``exported``, set by the system)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mapping.models import Event, MappedFeature, StatusChange
from mapping.workflow import Status

BATCH = 500


@transaction.atomic
def features_mark_exported(
    *, event: Event, feature_ids: Iterable[str], actor: Any = None, reason: str = ""
) -> int:
    """Move the given *accepted* features of ``event`` to ``exported``, with history.

    Idempotent: features already exported (or in any other status) are left alone, so running
    the same export twice records one change per feature. ``actor`` is the user who exported
    (``None`` for the command line). Returns how many features changed.
    """
    changed = 0
    iterator = iter(feature_ids)
    while batch := list(islice(iterator, BATCH)):
        ids = list(MappedFeature.objects.select_for_update().filter(
            event=event, pk__in=batch, status=Status.ACCEPTED).values_list("pk", flat=True))
        if not ids:
            continue
        MappedFeature.objects.filter(pk__in=ids).update(
            status=Status.EXPORTED, version=F("version") + 1, updated_at=timezone.now())
        StatusChange.objects.bulk_create([
            StatusChange(feature_id=pk, from_status=Status.ACCEPTED, to_status=Status.EXPORTED,
                         reason=reason, actor_user=actor if getattr(actor, "pk", None) else None)
            for pk in ids
        ])
        changed += len(ids)
    return changed
