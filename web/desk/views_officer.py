"""The GIS officer's view: overlay map with layers and filters, figures, downloads, report.

The overlay, sensors and exports are other parts of the API; this page consumes them by URL
and says so plainly when one is not there (404) instead of breaking.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from mapping import selectors
from mapping.models import Event
from web import basemaps
from web.desk import labels
from web.desk.access import OFFICERS, event_for
from web.desk.forms import category_choices
from web.desk.map_sources import map_sources

EXPORT_FORMATS = [("osm", "OSM XML (JOSM)"), ("osc", "osmChange"), ("geojson", "GeoJSON"),
                  ("gpkg", "GeoPackage"), ("csv", "CSV")]


@login_required
def officer(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, OFFICERS)
    api = f"/api/v1/events/{event.slug}"
    # Features and reports: GeoJSON pages, or vector tiles for a large event (map_sources).
    urls = {
        "overlay": f"{api}/overlay/", "sensors": f"{api}/sensors/",
        "grid": f"/desk/{event.slug}/grid/progress.json",
    }
    return render(request, "desk/officer.html", {
        "event": event, "urls": urls, "zone": json.loads(event.zone.geojson),
        "exports": [(ext, label, f"{api}/export.{ext}") for ext, label in EXPORT_FORMATS],
        "categories": category_choices(), "category_names": dict(category_choices()),
        "statuses": list(labels.status_names().items()),
        "cells": selectors.grid_of(event), "overlay_map_url": overlay_map_url(event),
        "basemap_style_url": basemaps.style_url(event),
        "sources": map_sources(event=event, audience="officer"),
    })


@login_required
def overlay_map(request: HttpRequest, slug: str) -> HttpResponse:
    """The layers app's self-contained overlay map and figures (Leaflet inlined): go there."""
    event = event_for(request, slug, OFFICERS)
    return redirect(overlay_map_url(event))


def overlay_map_url(event: Event) -> str:
    """``GET /api/v1/events/{slug}/overlay/summary.html`` (session auth, officers)."""
    return reverse("api:overlay-summary", args=[event.slug])
