"""Reads of soundscape answers (ISO 12913) and of an event's listening sites."""

from __future__ import annotations

from typing import Any

from mapping.models import Event, EventSite, NuisanceReport, SoundscapeAnswer
from mapping.soundscape import SCALES


def soundscape_of(report: NuisanceReport) -> dict[str, Any] | None:
    """The soundscape answer of ``report`` (the eight attributes, loudness, overall quality
    and the site's name), None without one."""
    answer = SoundscapeAnswer.objects.filter(report=report).select_related("site").first()
    if answer is None:
        return None
    return {name: getattr(answer, name) for name in SCALES} | {
        "site": answer.site.name if answer.site else None
    }


def sites_of(event: Event) -> list[EventSite]:
    """The event's listening sites, by name."""
    return list(EventSite.objects.filter(event=event).order_by("name"))
