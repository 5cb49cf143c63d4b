"""``cartoparty demo``: load the demo carto-parties (idempotent) and say how to join them.

It lives in ``web`` because it loads data of several apps: Chambéry's features and reports
(``mapping``) and Nantes' real sensor data (``layers``), and prints URLs of the pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from exports.services import osm_context_import
from layers.services.demo import demo_load
from layers.services.demo_representativity import representativity_demo_load
from mapping.services.demo import DEMO_OSM, JOIN_CODE, ORGANISER, demo_counts


class Command(BaseCommand):
    help = ("Load the demo carto-parties (Chambéry centre on real OSM data; Nantes soundscape "
            "with real measured and perceived noise). Safe to run twice.")

    def handle(self, *args: Any, **options: Any) -> None:
        results = demo_load()
        base = settings.PUBLIC_BASE_URL
        chambery, nantes = results.chambery, results.nantes
        features, reports = demo_counts(chambery.event)
        url = base + reverse("pages:event-map", args=[chambery.event.slug])
        verb = "Created" if chambery.created else "Already there:"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {chambery.event.name} — {features} features, {reports} reports."))
        self.stdout.write(f"Map:        {url}")
        self.stdout.write(f"Join code:  {JOIN_CODE}")
        # The demo's own OSM context: field sheets and the base map are drawn from it.
        context = osm_context_import(event=chambery.event, path=DEMO_OSM)
        self.stdout.write(f"OSM:        {context.kept} elements of {DEMO_OSM.name} "
                          "(© OpenStreetMap contributors, ODbL)")
        if context.basemap is not None:
            self.stdout.write(f"Base map:   {base}/tiles/{chambery.event.slug}/basemap/ "
                              f"({context.basemap.tiles} vector tiles, built from the extract)")
        self.stdout.write(f"API:        {base}/api/v1/events/{chambery.event.slug}/")
        verb = "Created" if nantes.created else "Already there:"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {nantes.event.name} — {nantes.sensors} sensors, {nantes.readings} "
            f"readings, {nantes.reports} reports (real data, LASSO survey)."))
        api = f"{base}/api/v1/events/{nantes.event.slug}"
        self.stdout.write(f"Overlay:    {api}/overlay/?cell_m=250")
        self.stdout.write(f"Officer:    {base}/desk/{nantes.event.slug}/officer/")
        talence = representativity_demo_load()
        verb = "Created" if talence.created else "Already there:"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {talence.event.name} — {talence.cells} population cells (INSEE Filosofi "
            f"2015, real), {talence.contributions} contributions (made up)."))
        api = f"{base}/api/v1/events/{talence.event.slug}"
        self.stdout.write(f"Who took part: {api}/representativity/ "
                          f"(summary: {api}/representativity/summary.html)")
        if chambery.organiser_password:
            self.stdout.write(
                f"Organiser:  {ORGANISER} / {chambery.organiser_password} "
                f"(admin: {base}/admin/) — shown once")
