"""Admin with Leaflet map widgets (django-leaflet, served locally, never from a CDN)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from leaflet.admin import LeafletGeoAdmin

from mapping.models import (
    Contributor,
    Event,
    EventRole,
    MappedFeature,
    NuisanceReport,
    StatusChange,
)
from mapping.pseudonyms import pseudonym_key
from mapping.services.participants import PSEUDONYM_TAKEN


class EventRoleInline(admin.TabularInline):
    model = EventRole
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Event)
class EventAdmin(LeafletGeoAdmin):
    list_display = ["name", "slug", "starts_at", "ends_at", "join_code"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EventRoleInline]


class HistoryInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "reason", "merged_into", "actor_user",
                       "actor_contributor", "created_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ContributionAdmin(LeafletGeoAdmin):
    list_filter = ["event", "status", "channel"]
    readonly_fields = ["id", "author", "entered_by", "channel", "status", "version",
                       "created_at", "updated_at", "merged_into"]
    inlines = [HistoryInline]


@admin.register(MappedFeature)
class MappedFeatureAdmin(ContributionAdmin):
    list_display = ["__str__", "event", "preset", "status", "consent_osm", "created_at"]
    list_filter = [*ContributionAdmin.list_filter, "preset", "consent_osm"]


@admin.register(NuisanceReport)
class NuisanceReportAdmin(ContributionAdmin):
    list_display = ["__str__", "event", "category", "intensity", "status", "observed_at"]
    list_filter = [*ContributionAdmin.list_filter, "category", "intensity"]
    search_fields = ["comment"]


class ContributorForm(forms.ModelForm):
    """A renamed participant is checked against the event's other names by their key: the
    unique (event, pseudonym_key) index would otherwise refuse the save with a server error
    (the key is not a form field, so the form's own constraint check skips it)."""

    class Meta:
        model = Contributor
        fields = ["event", "pseudonym", "terms_version", "registered_by"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        event, pseudonym = cleaned.get("event"), cleaned.get("pseudonym")
        if event is not None and pseudonym:
            others = Contributor.objects.filter(event=event,
                                                pseudonym_key=pseudonym_key(pseudonym))
            if others.exclude(pk=self.instance.pk).exists():
                self.add_error("pseudonym", gettext(PSEUDONYM_TAKEN))
        return cleaned


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    form = ContributorForm
    list_display = ["pseudonym", "event", "joined_at", "registered_by"]
    list_filter = ["event"]
    search_fields = ["pseudonym"]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any],
                           search_term: str) -> tuple[QuerySet[Any], bool]:
        """Also by key: "élodie" finds "Élodie" (SQLite's LIKE folds only ASCII letters)."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found |= queryset.filter(Q(pseudonym_key__contains=pseudonym_key(search_term)))
        return found, duplicates
    readonly_fields = ["token_digest", "follow_digest", "joined_at", "terms_version"]
