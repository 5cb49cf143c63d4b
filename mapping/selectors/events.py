"""Reads of events: the list, one by its slug, the events of a desk user, widget settings."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mapping.errors import N_, NotFound
from mapping.models import Event, EventWidget


def event_list() -> QuerySet[Event]:
    """Every event, the newest first."""
    return Event.objects.all()


def event_by_slug(slug: str) -> Event:
    """The event named by ``slug``; NotFound otherwise."""
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise NotFound(N_("No carto-party called {slug!r}."), slug=slug)
    return event


def events_of(user: Any) -> QuerySet[Event]:
    """The events where ``user`` holds a role (every event for superusers)."""
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(roles__user=user).distinct()


def widget_of(event: Event) -> EventWidget:
    """The event's widget settings (defaults when never saved: nobody may frame it)."""
    found = EventWidget.objects.filter(event=event).first()
    return found or EventWidget(event=event)
