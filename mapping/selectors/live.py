"""Reads for the live view: the status changes of an event since a moment."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from mapping.models import Event, StatusChange

LIVE_LIMIT = 200


def changes_since(*, event: Event, since: dt.datetime) -> list[StatusChange]:
    """Status changes (new contributions included) of the event from ``since`` on, oldest first."""
    return list(
        StatusChange.objects.filter(
            Q(feature__event=event) | Q(report__event=event), created_at__gte=since
        ).select_related("feature", "report", "feature__author", "report__author", "actor_user")
        .order_by("created_at", "id")[:LIVE_LIMIT]
    )
