"""A participant's optional profile: declare (or change) it, skip it, delete it."""

from __future__ import annotations

from django.db import transaction

from mapping.models import Contributor
from mapping.models_profile import ParticipantProfile
from mapping.profiles import ANSWERS, PURPOSE_VERSION, clean_answers


@transaction.atomic
def profile_declare(*, contributor: Contributor, answers: object) -> ParticipantProfile | None:
    """Store the participant's answers, replacing earlier ones; none given → no profile."""
    cleaned = clean_answers(answers)
    if not cleaned:
        profile_delete(contributor=contributor)
        return None
    profile, _ = ParticipantProfile.objects.update_or_create(
        contributor=contributor,
        defaults={**{q: cleaned.get(q, "") for q in ANSWERS}, "purpose_version": PURPOSE_VERSION})
    return profile


def profile_delete(*, contributor: Contributor) -> bool:
    """Delete the participant's profile; whether there was one."""
    deleted, _ = ParticipantProfile.objects.filter(contributor=contributor).delete()
    return bool(deleted)
