"""Writes of the exports app: load an event's OSM context, build its base map, export it."""

from __future__ import annotations

from exports.services.basemap import basemap_build, basemap_ensure
from exports.services.exporting import ExportResult, event_export
from exports.services.osm_context import ImportSummary, osm_context_import

__all__ = ["ExportResult", "ImportSummary", "basemap_build", "basemap_ensure", "event_export",
           "osm_context_import"]
