"""Submitting perceived-nuisance reports."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid

from django.conf import settings
from django.utils import timezone

from mapping.errors import N_, InvalidInput
from mapping.geometry import REPORT_GEOMETRY_TYPES, extent_m
from mapping.models import Event, NuisanceReport
from mapping.presets import check_sources
from mapping.services.contributions import Author, Submitted, place, submit, to_geos

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_COMMENT = 2000
BAD_INTENSITY = N_(
    "intensity must be a whole number from 1 (barely noticeable) to 5 (unbearable).")


def _clean_comment(comment: object) -> str:
    if not isinstance(comment, str):
        raise InvalidInput(N_("comment must be text."), field="comment")
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(N_("The comment has {count} characters; at most {limit} are kept."),
                           field="comment", count=len(comment), limit=MAX_COMMENT)
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in comment):
        raise InvalidInput(N_("The comment contains a control character."), field="comment")
    return comment.strip()


def report_submit(
    *,
    event: Event,
    author: Author,
    geometry: object,
    category: str,
    intensity: int,
    observed_at: dt.datetime,
    sources: list[str] | None = None,
    observed_until: dt.datetime | None = None,
    comment: object = "",
    contribution_id: uuid.UUID | None = None,
    received_at: dt.datetime | None = None,
) -> Submitted[NuisanceReport]:
    """Store a nuisance report (its own transaction); a replayed id gives what was stored."""

    def build(who: Author) -> NuisanceReport:
        if category not in event.nuisance_categories:
            raise InvalidInput(
                N_("Category {category!r} is not offered by this event; offered: {offered}."),
                field="category", category=category, offered=", ".join(event.nuisance_categories))
        if isinstance(intensity, bool) or not isinstance(intensity, int) or not 1 <= intensity <= 5:
            raise InvalidInput(BAD_INTENSITY, field="intensity")
        clean_sources = check_sources(category=category, sources=sources or [])
        if observed_at > timezone.now() + CLOCK_SKEW:
            raise InvalidInput(N_("observed_at is in the future."), field="observed_at")
        if observed_until is not None and observed_until < observed_at:
            raise InvalidInput(N_("observed_until must not be before observed_at."),
                               field="observed_until")
        geom = place(event, geometry, allowed=REPORT_GEOMETRY_TYPES)
        if geom.geom_type != "Point" and extent_m(geom) > settings.REPORT_MAX_EXTENT_M:
            raise InvalidInput(
                N_("A report covers at most {limit_m:.0f} m; this one spans {extent_m:.0f} m. "
                   "Report a place, not an area."),
                field="geometry", limit_m=settings.REPORT_MAX_EXTENT_M, extent_m=extent_m(geom))
        return NuisanceReport(
            event=event, author=who.contributor, entered_by=who.entered_by, channel=who.channel,
            geometry=to_geos(geom), category=category, intensity=intensity,
            sources=clean_sources, observed_at=observed_at, observed_until=observed_until,
            comment=_clean_comment(comment),
        )

    return submit(NuisanceReport, event=event, author=author, contribution_id=contribution_id,
                  build=build, received_at=received_at)
