"""Events (carto-parties), contributors, mapped features, nuisance reports and their history."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mapping.pseudonyms import KEY_MAX_LENGTH, pseudonym_key
from mapping.workflow import Status


class Event(models.Model):
    """A carto-party: a zone, a time span, a join code and what participants may add."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    zone = models.PolygonField(_("zone"), srid=4326)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    join_code = models.CharField(_("join code"), max_length=32)
    presets = models.JSONField(_("tag presets offered"), default=list)
    nuisance_categories = models.JSONField(_("nuisance categories offered"), default=list)
    description = models.TextField(_("description"), blank=True)
    soundscape_enabled = models.BooleanField(
        _("soundscape questionnaire offered"), default=False, db_default=False,
        help_text=_("Noise reports may carry the ISO 12913 soundscape questions."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "slug"]
        verbose_name = _("carto-party")
        verbose_name_plural = _("carto-parties")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EventRole(models.Model):
    """A Django user's role in one event (organiser, mediator, officer)."""

    class Role(models.TextChoices):
        ORGANISER = "organiser", _("organiser")
        MEDIATOR = "mediator", _("mediator")
        OFFICER = "officer", _("GIS officer")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user", "role"], name="unique_event_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} — {self.event}"


class Contributor(models.Model):
    """A participant of one event, known by a pseudonym and a secret token, no e-mail."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="contributors")
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    # ``mapping.pseudonyms.pseudonym_key(pseudonym)``, set by save(): unique per event, so a
    # taken name ("élodie" for "Élodie") is refused by the index, not by reading every name.
    pseudonym_key = models.CharField(max_length=KEY_MAX_LENGTH, editable=False)
    # Only SHA-256 digests are stored: a database leak does not leak the secrets.
    token_digest = models.CharField(max_length=64, unique=True)
    follow_digest = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    terms_version = models.CharField(max_length=32)
    # Set when a mediator registered this participant on their behalf.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "pseudonym_key"],
                                    name="unique_pseudonym_key_in_event")
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save with the key of the current pseudonym (a derived column, not a side effect:
        every writer — services, importers, the admin, factories — stores the same key)."""
        self.pseudonym_key = pseudonym_key(self.pseudonym)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "pseudonym" in update_fields:
            kwargs["update_fields"] = {*update_fields, "pseudonym_key"}
        super().save(*args, **kwargs)


class Channel(models.TextChoices):
    """How a contribution came in (split analyses of representativity use it)."""

    WEB = "web", _("web or mobile")
    MEDIATOR = "mediator", _("entered by a mediator")
    PAPER = "paper", _("paper form")
    IMPORT = "import", _("import")


class Contribution(models.Model):
    """What features and reports share: identity, author, place, status and version."""

    # Client-chosen UUIDs make submission idempotent (phones retry on bad networks).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="%(class)ss")
    author = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="%(class)ss"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entered_%(class)ss",
        help_text=_("The mediator who entered this contribution on behalf of its author."),
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    geometry = models.GeometryField(srid=4326)
    status = models.CharField(
        max_length=16, choices=[(s.value, s.value) for s in Status], default=Status.RECEIVED
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
        indexes = [
            # A map's "what changed?" and its ETag read the latest change of one event.
            models.Index(fields=["event", "updated_at"], name="%(class)s_event_updated"),
            # Pages of an event's list, in the order they are served.
            models.Index(fields=["event", "created_at", "id"], name="%(class)s_event_page"),
        ]

    #: Where :func:`mapping.selectors.contributions.history` puts the prefetched history.
    PREFETCHED_HISTORY = "prefetched_history"

    def status_history(self) -> list[StatusChange]:
        """The status history, oldest first: the prefetched one when the selector read it
        (one query for a whole page), else read now."""
        found: list[StatusChange] | None = getattr(self, self.PREFETCHED_HISTORY, None)
        if found is None:
            history = self.history  # type: ignore[attr-defined]
            found = list(history.select_related("actor_user"))
        return found


class MappedFeature(Contribution):
    """A point, line or polygon with OSM tags, observed on the ground by its author."""

    tags = models.JSONField(default=dict)
    preset = models.CharField(max_length=64, blank=True)
    osm_type = models.CharField(
        max_length=8, blank=True,
        choices=[("node", "node"), ("way", "way"), ("relation", "relation")]
    )
    osm_id = models.BigIntegerField(null=True, blank=True)
    osm_version = models.PositiveIntegerField(null=True, blank=True)
    consent_osm = models.BooleanField(
        default=False,
        help_text=_("Own observation, may be contributed to OpenStreetMap (ODbL)."),
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_terms_version = models.CharField(max_length=32, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(Contribution.Meta):
        verbose_name = _("mapped feature")
        constraints = [
            models.CheckConstraint(
                condition=Q(osm_id__isnull=True) | ~Q(osm_type=""),
                name="feature_osm_link_complete",
            )
        ]

    def __str__(self) -> str:
        label = ", ".join(f"{k}={v}" for k, v in list(self.tags.items())[:2])
        return f"{label} ({self.status})"


class NuisanceReport(Contribution):
    """A perceived nuisance: a structured grid (category, intensity, sources) and a comment."""

    category = models.CharField(max_length=32, db_index=True)
    intensity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    sources = models.JSONField(default=list)
    observed_at = models.DateTimeField()
    observed_until = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, max_length=2000)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(Contribution.Meta):
        verbose_name = _("nuisance report")
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity__gte=1) & Q(intensity__lte=5), name="report_intensity_1_5"
            ),
            models.CheckConstraint(
                condition=Q(observed_until__isnull=True)
                | Q(observed_until__gte=models.F("observed_at")),
                name="report_observed_until_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.intensity}/5 ({self.status})"


class Removal(models.Model):
    """A trace that a contribution was deleted (by its author), so that maps drop it too.

    Holds nothing of the contribution but its id and kind: maps that showed it learn it is
    gone (the changes feed, ETags); nothing else is kept.
    """

    class Kind(models.TextChoices):
        FEATURE = "feature", _("mapped feature")
        REPORT = "report", _("nuisance report")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="removals")
    contribution_id = models.UUIDField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["event", "removed_at"], name="removal_event_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.contribution_id} removed"


class StatusChange(models.Model):
    """One step of a contribution's history: who moved it, when, from what to what, why."""

    feature = models.ForeignKey(
        MappedFeature, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    report = models.ForeignKey(
        NuisanceReport, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    merged_into = models.UUIDField(null=True, blank=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_contributor = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(feature__isnull=False) & Q(report__isnull=True))
                | (Q(feature__isnull=True) & Q(report__isnull=False)),
                name="status_change_of_exactly_one_contribution",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


# --- The organisers' desk: widget settings, teams and the task grid (issue 6) ------------------


class EventWidget(models.Model):
    """How an event's map may be embedded in other sites (the municipality's, a partner's)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="widget")
    # Origins ("https://www.ville.fr") allowed to frame /embed/<slug>/; empty: nobody.
    allowed_origins = models.JSONField(_("origins allowed to embed the map"), default=list,
                                       blank=True)
    allow_contribution = models.BooleanField(_("contribution from the widget"), default=False)

    def __str__(self) -> str:
        return f"widget of {self.event}"


class Team(models.Model):
    """A team of participants who take grid squares together."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_team_name_in_event")
        ]

    def __str__(self) -> str:
        return self.name


class GridCell(models.Model):
    """One square of an event's task grid (see the pure module ``mapping.grids``)."""

    class State(models.TextChoices):
        TO_MAP = "to_map", _("to map")
        BEING_MAPPED = "being_mapped", _("being mapped")
        DONE = "done", _("done")
        VALIDATED = "validated", _("validated")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="grid_cells")
    row = models.PositiveIntegerField()
    col = models.PositiveIntegerField()
    label = models.CharField(max_length=12)
    size_m = models.FloatField(_("side (m)"))
    crs = models.CharField(max_length=16)
    geometry = models.PolygonField(srid=4326)
    state = models.CharField(max_length=16, choices=State.choices, default=State.TO_MAP)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="cells")
    locked_until = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["row", "col"]
        constraints = [
            models.UniqueConstraint(fields=["event", "row", "col"], name="unique_grid_cell")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.state})"


# The optional self-declared profile of a participant (representativity) has its own module.
from mapping.models_profile import ParticipantProfile  # noqa: E402, F401
from mapping.models_soundscape import EventSite as EventSite  # noqa: E402
from mapping.models_soundscape import SoundscapeAnswer as SoundscapeAnswer  # noqa: E402
