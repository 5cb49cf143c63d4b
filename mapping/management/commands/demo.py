"""``cartoparty demo``: load the demo carto-party (idempotent) and say how to join it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from mapping.services.demo import JOIN_CODE, ORGANISER, demo_counts, demo_load


class Command(BaseCommand):
    help = "Load the demo carto-party (Chambéry centre, real OSM data). Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        features, reports = demo_counts(result.event)
        url = settings.PUBLIC_BASE_URL + reverse("pages:event-map", args=[result.event.slug])
        verb = "Created" if result.created else "Already there:"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {result.event.name} — {features} features, {reports} reports."))
        self.stdout.write(f"Map:        {url}")
        self.stdout.write(f"Join code:  {JOIN_CODE}")
        self.stdout.write(f"API:        {settings.PUBLIC_BASE_URL}/api/v1/events/{result.event.slug}/")
        if result.organiser_password:
            self.stdout.write(
                f"Organiser:  {ORGANISER} / {result.organiser_password} "
                f"(admin: {settings.PUBLIC_BASE_URL}/admin/) — shown once")
