"""The GIS officer's view: overlay map with layers and filters, figures, downloads, report.

The overlay, sensors and exports are other parts of the API; this page consumes them by URL
and says so plainly when one is not there (404) instead of breaking.
"""

from __future__ import annotations

import json

import folium
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mapping import selectors, selectors_desk
from mapping.workflow import Status
from web.desk.access import OFFICERS, event_for
from web.desk.forms import category_choices

EXPORT_FORMATS = [("osm", "OSM XML (JOSM)"), ("osc", "osmChange"), ("geojson", "GeoJSON"),
                  ("gpkg", "GeoPackage"), ("csv", "CSV")]
INTENSITY_COLOURS = {1: "#fde68a", 2: "#fbbf24", 3: "#f97316", 4: "#dc2626", 5: "#7f1d1d"}


@login_required
def officer(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, OFFICERS)
    api = f"/api/v1/events/{event.slug}"
    urls = {
        "features": f"{api}/features/", "reports": f"{api}/reports/",
        "overlay": f"{api}/overlay/", "sensors": f"{api}/sensors/",
        "grid": f"/desk/{event.slug}/grid/progress.json",
    }
    return render(request, "desk/officer.html", {
        "event": event, "urls": urls, "zone": json.loads(event.zone.geojson),
        "exports": [(ext, label, f"{api}/export.{ext}") for ext, label in EXPORT_FORMATS],
        "categories": category_choices(), "statuses": [s.value for s in Status],
        "cells": selectors_desk.grid_of(event),
    })


@login_required
def folium_report(request: HttpRequest, slug: str) -> HttpResponse:
    """A standalone HTML map (folium) of the accepted contributions, to attach to a report."""
    event = event_for(request, slug, OFFICERS)
    zone = json.loads(event.zone.geojson)
    west, south, east, north = event.zone.extent
    fmap = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=16,
                      tiles="OpenStreetMap")
    folium.GeoJson(zone, name=_("Zone"), style_function=lambda _f: {
        "color": "#12355b", "fill": False, "weight": 2}).add_to(fmap)
    grid = folium.FeatureGroup(name=_("Task grid"))
    for progress in selectors_desk.grid_progress(event=event).cells:
        folium.GeoJson(json.loads(progress.cell.geometry.geojson), style_function=lambda _f: {
            "color": "#555", "weight": 1, "fillOpacity": 0.05},
            tooltip=f"{progress.cell.label}: {progress.state}, {progress.features} / "
                    f"{progress.reports}").add_to(grid)
    grid.add_to(fmap)
    kept = [Status.ACCEPTED, Status.EXPORTED, Status.RECEIVED]
    reports = folium.FeatureGroup(name=_("Perceived nuisances"))
    for item in selectors.reports_in_event(event=event, statuses=kept):
        point = item.geometry.centroid
        folium.CircleMarker(
            [point.y, point.x], radius=4 + item.intensity, fill=True, fill_opacity=0.8,
            color=INTENSITY_COLOURS[item.intensity],
            tooltip=f"{item.category} {item.intensity}/5 · {item.observed_at:%Y-%m-%d %H:%M}",
        ).add_to(reports)
    reports.add_to(fmap)
    features = folium.FeatureGroup(name=_("Mapped features"))
    for item in selectors.features_in_event(event=event, statuses=kept):
        folium.GeoJson(json.loads(item.geometry.geojson),
                       tooltip=", ".join(f"{k}={v}" for k, v in item.tags.items())[:80]
                       ).add_to(features)
    features.add_to(fmap)
    folium.LayerControl().add_to(fmap)
    response = HttpResponse(fmap.get_root().render(), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-report.html"'
    return response
