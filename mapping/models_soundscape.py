"""Soundscape answers (ISO/TS 12913-2) attached to noise reports, and an event's sites."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mapping.models import Event, NuisanceReport
from mapping.soundscape import SCALES


class EventSite(models.Model):
    """A named listening site of an event (a square, a street corner): survey answers
    without coordinates are placed there, and the analysis aggregates per site."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=120)
    location = models.PointField(_("place"), srid=4326)

    class Meta:
        ordering = ["event_id", "name"]
        verbose_name = _("listening site")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="event_site_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


def _scale(label: Any) -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class SoundscapeAnswer(models.Model):
    """The optional soundscape part of a noise report: the eight perceived affective
    attributes, perceived loudness and overall quality, each 1–5 (null when unanswered in an
    imported survey), the site and, for surveys, the LAeq measured on the spot beside it."""

    report = models.OneToOneField(
        NuisanceReport, primary_key=True, on_delete=models.CASCADE, related_name="soundscape"
    )
    site = models.ForeignKey(
        EventSite, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    pleasant = _scale(_("pleasant"))
    chaotic = _scale(_("chaotic"))
    vibrant = _scale(_("vibrant"))
    uneventful = _scale(_("uneventful"))
    calm = _scale(_("calm"))
    annoying = _scale(_("annoying"))
    eventful = _scale(_("eventful"))
    monotonous = _scale(_("monotonous"))
    loudness = _scale(_("perceived loudness"))
    overall = _scale(_("overall quality"))
    # Survey imports: the LAeq recorded beside the answer and which recording it was (several
    # people may answer beside one recording: the site's level counts it once).
    laeq_db = models.FloatField(null=True, blank=True)
    recording = models.CharField(max_length=120, blank=True)
    record_id = models.CharField(_("survey record id"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("soundscape answer")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__isnull": True})
                | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                name=f"soundscape_{name}_1_5",
            )
            for name in SCALES
        ]

    def __str__(self) -> str:
        return f"soundscape of {self.report_id}"
