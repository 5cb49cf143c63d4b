"""A participant's optional self-declared profile, stored apart from their contributions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mapping.models import Contributor
from mapping.profiles import ANSWERS


def _choices(question: str) -> list[tuple[str, object]]:
    return [(code, _(label)) for code, label in ANSWERS[question].items()]


class ParticipantProfile(models.Model):
    """What a participant chose to say about themself at join; every answer may be blank.

    Nothing links it to a contribution: the analytics count answers per event and never
    read them beside what someone mapped. Deleted with the participant and by "delete my data".
    """

    contributor = models.OneToOneField(Contributor, on_delete=models.CASCADE,
                                       related_name="profile")
    age_band = models.CharField(_("age band"), max_length=16, blank=True,
                                choices=_choices("age_band"))
    lives_in_area = models.CharField(_("lives in the area"), max_length=8, blank=True,
                                     choices=_choices("lives_in_area"))
    first_participation = models.CharField(_("first participation"), max_length=8, blank=True,
                                           choices=_choices("first_participation"))
    gender = models.CharField(_("gender"), max_length=16, blank=True, choices=_choices("gender"))
    # The wording the participant answered (mapping.profiles.PURPOSE_VERSION).
    purpose_version = models.CharField(max_length=32)
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participant profile")

    def __str__(self) -> str:
        return f"profile of {self.contributor_id}"

    def answers(self) -> dict[str, str]:
        """The answers given, without the blank ones."""
        return {q: getattr(self, q) for q in ANSWERS if getattr(self, q)}
