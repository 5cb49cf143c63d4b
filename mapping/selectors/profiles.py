"""Reads of participants' optional profiles: one's own answers, and an event's answers."""

from __future__ import annotations

from django.db.models import Q

from mapping.models import Contributor, Event
from mapping.models_profile import ParticipantProfile
from mapping.profiles import ANSWERS


def profile_of(contributor: Contributor) -> dict[str, str] | None:
    """The participant's own answers, or None when they gave none."""
    found = ParticipantProfile.objects.filter(contributor=contributor).first()
    return None if found is None else found.answers()


def declared_answers(*, event: Event) -> list[dict[str, str]]:
    """Every profile of the event as bare answers, in no meaningful order: no contributor id,
    no pseudonym, no time, so that nothing downstream can set them beside contributions."""
    rows = (
        ParticipantProfile.objects.filter(contributor__event=event).order_by().values_list(*ANSWERS)
    )
    return [{q: a for q, a in zip(ANSWERS, row, strict=True) if a} for row in rows]


def participants_asked(*, event: Event) -> int:
    """Participants who joined themselves, i.e. were offered the profile questions.

    Mediators' and paper forms' participants (``registered_by``) and imported answers
    (``terms_version="import"``) were not asked.
    """
    return (
        Contributor.objects.filter(event=event, registered_by__isnull=True)
        .exclude(Q(terms_version="import"))
        .count()
    )
