"""Reads for moderation: the queue of features and reports, narrowed by the moderator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from mapping.errors import InvalidInput
from mapping.models import Event, GridCell, MappedFeature, NuisanceReport
from mapping.pseudonyms import pseudonym_key
from mapping.selectors.filters import in_box
from mapping.workflow import Status

QUEUE_LIMIT = 500


@dataclass
class QueueFilters:
    """What the moderator narrowed the queue to (empty: everything)."""

    status: str = Status.RECEIVED
    kind: str = ""  # "features", "reports" or both
    category: str = ""  # a nuisance category or a feature preset
    cell: GridCell | None = None
    contributor: str = ""  # pseudonym, compared by its key (``mapping.pseudonyms``)

    def __post_init__(self) -> None:
        if self.status and self.status not in set(Status):
            msg = f"Unknown status {self.status!r}."
            raise InvalidInput(msg, field="status")
        if self.kind not in ("", "features", "reports"):
            msg = "kind must be 'features' or 'reports'."
            raise InvalidInput(msg, field="kind")


def _filtered(qs: QuerySet[Any], filters: QueueFilters, category_field: str) -> QuerySet[Any]:
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(**{category_field: filters.category})
    if filters.cell is not None:
        qs = in_box(qs, filters.cell.geometry)
    if filters.contributor:
        qs = qs.filter(author__pseudonym_key=pseudonym_key(filters.contributor))
    return qs.select_related("author", "entered_by").prefetch_related("history__actor_user")


def moderation_queue(*, event: Event, filters: QueueFilters) -> list[Any]:
    """Features and reports to moderate, oldest first (first come, first served)."""
    items: list[Any] = []
    if filters.kind in ("", "features"):
        items += list(_filtered(MappedFeature.objects.filter(event=event), filters, "preset")
                      .order_by("created_at")[:QUEUE_LIMIT])
    if filters.kind in ("", "reports"):
        items += list(_filtered(NuisanceReport.objects.filter(event=event), filters, "category")
                      .order_by("created_at")[:QUEUE_LIMIT])
    items.sort(key=lambda item: (item.created_at, str(item.pk)))
    return items[:QUEUE_LIMIT]
