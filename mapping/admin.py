"""Admin with Leaflet map widgets (django-leaflet, served locally, never from a CDN)."""

from __future__ import annotations

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from mapping.models import (
    Contributor,
    Event,
    EventRole,
    MappedFeature,
    NuisanceReport,
    StatusChange,
)


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


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["pseudonym", "event", "joined_at", "registered_by"]
    list_filter = ["event"]
    search_fields = ["pseudonym"]
    readonly_fields = ["token_digest", "follow_digest", "joined_at", "terms_version"]
