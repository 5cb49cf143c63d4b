"""Submitting perceived-nuisance reports."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from typing import cast

from django.conf import settings
from django.utils import timezone

from mapping.errors import N_, InvalidInput
from mapping.geometry import REPORT_GEOMETRY_TYPES, extent_m
from mapping.models import Event, EventSite, NuisanceReport, SoundscapeAnswer
from mapping.presets import check_sources
from mapping.services.contributions import Author, Submitted, place, submit, to_geos
from mapping.soundscape import SCALES, SoundscapeInvalid, clean_answer

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_COMMENT = 2000
BAD_INTENSITY = N_(
    "intensity must be a whole number from 1 (barely noticeable) to 5 (unbearable).")


SOUNDSCAPE_NOT_OFFERED = N_("This event does not offer the soundscape questionnaire.")
SOUNDSCAPE_NOISE_ONLY = N_("A soundscape answer belongs to a noise report.")
SOUNDSCAPE_BAD_VALUE = N_("{name} must be a whole number from 1 to 5.")
SOUNDSCAPE_REQUIRED = N_("{name} is required: a whole number from 1 to 5.")
SOUNDSCAPE_NOT_OBJECT = N_("soundscape must be an object of answers from 1 to 5.")
SOUNDSCAPE_UNKNOWN_KEY = N_("Unknown soundscape answer {name!r}; known: {known}.")
SOUNDSCAPE_BAD_SITE = N_("site must name one of the event's sites.")
SOUNDSCAPE_UNKNOWN_SITE = N_("Site {site!r} is not one of this event's sites.")


def soundscape_answer(event: Event, category: str, raw: object) -> SoundscapeAnswer:
    """The unsaved soundscape answer of ``raw`` for a report of ``event``: InvalidInput naming
    ``soundscape.<field>`` when the event does not offer it or a value is not 1–5."""
    if not event.soundscape_enabled:
        raise InvalidInput(SOUNDSCAPE_NOT_OFFERED, field="soundscape")
    if category != "noise":
        raise InvalidInput(SOUNDSCAPE_NOISE_ONLY, field="soundscape")
    try:
        answer = clean_answer(raw)
    except SoundscapeInvalid as exc:
        if exc.field == "soundscape":
            raise InvalidInput(SOUNDSCAPE_NOT_OBJECT, field="soundscape") from None
        field = f"soundscape.{exc.field}"
        if exc.field == "site":
            raise InvalidInput(SOUNDSCAPE_BAD_SITE, field=field) from None
        if exc.field not in SCALES:
            raise InvalidInput(SOUNDSCAPE_UNKNOWN_KEY, field=field, name=exc.field,
                               known=", ".join((*SCALES, "site"))) from None
        if cast("dict[str, object]", raw).get(exc.field) is None:
            raise InvalidInput(SOUNDSCAPE_REQUIRED, field=field, name=exc.field) from None
        raise InvalidInput(SOUNDSCAPE_BAD_VALUE, field=field, name=exc.field) from None
    site = None
    if answer.pop("site") is not None:
        name = str(raw["site"]).strip()  # type: ignore[index]
        site = EventSite.objects.filter(event=event, name=name).first()
        if site is None:
            raise InvalidInput(SOUNDSCAPE_UNKNOWN_SITE, field="soundscape.site", site=name)
    return SoundscapeAnswer(site=site, **answer)


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
    soundscape: object = None,
    soundscape_answer_ready: SoundscapeAnswer | None = None,
) -> Submitted[NuisanceReport]:
    """Store a nuisance report (its own transaction); a replayed id gives what was stored.

    ``soundscape``: the optional ISO 12913 part of a noise report (the submitted object,
    checked by :func:`soundscape_answer`); importers pass ``soundscape_answer_ready``, an
    unsaved :class:`SoundscapeAnswer` they built themselves. Stored in the same transaction.
    """
    answer: list[SoundscapeAnswer] = []

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
        answer.clear()
        if soundscape is not None:
            answer.append(soundscape_answer(event, category, soundscape))
        elif soundscape_answer_ready is not None:
            answer.append(soundscape_answer_ready)
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

    def attach(report: NuisanceReport) -> None:
        for item in answer:
            item.report = report
            item.save(force_insert=True)

    return submit(NuisanceReport, event=event, author=author, contribution_id=contribution_id,
                  build=build, received_at=received_at, after=attach)
