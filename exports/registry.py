"""The exporters: name → extension, media type, writer (pure; datasette's renderer idea).

The command ``cartoparty export`` and the endpoint ``/api/v1/events/{slug}/export.{ext}``
both read this table; ``for_osm`` exporters receive only accepted, consented, validated
features.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exports.csv import write_csv
from exports.geojson import write_geojson
from exports.geopackage import write_gpkg
from exports.osm_xml import write_osm
from exports.osmchange import write_osc
from exports.records import ExportData


def _osm(data: ExportData, path: Path) -> int:
    with path.open("w", encoding="utf-8") as stream:
        plan = write_osm(data.features, stream, meta=data.meta, context=data.context)
    return plan.features_written


def _osc(data: ExportData, path: Path) -> int:
    with path.open("w", encoding="utf-8") as stream:
        plan = write_osc(data.features, stream, meta=data.meta, context=data.context)
    return plan.features_written


@dataclass(frozen=True)
class Exporter:
    """One output format: ``write(data, path)`` returns the number of features written."""

    name: str
    extension: str
    media_type: str
    write: Callable[[ExportData, Path], int]
    for_osm: bool
    description: str


EXPORTERS: dict[str, Exporter] = {e.name: e for e in [
    Exporter("osm", "osm", "application/vnd.openstreetmap.data+xml", _osm, True,
             "OSM XML 0.6 for review in JOSM (upload=false, negative ids, changeset tags)."),
    Exporter("osc", "osc", "application/vnd.openstreetmap.osmchange+xml", _osc, True,
             "osmChange with create and modify blocks, for osmium and MapRoulette."),
    Exporter("geojson", "geojson", "application/geo+json", write_geojson, False,
             "RFC 7946 FeatureCollection: tags as properties, status, licence."),
    Exporter("gpkg", "gpkg", "application/geopackage+sqlite3", write_gpkg, False,
             "GeoPackage with layers features, reports and measurements (EPSG:4326)."),
    Exporter("csv", "csv", "text/csv", write_csv, False,
             "CSV with lon/lat, WKT and tags; formula-like cells neutralised."),
]}


def exporter_for(name_or_extension: str) -> Exporter:
    """The exporter named ``name_or_extension`` (or having it as extension); KeyError if none."""
    for exporter in EXPORTERS.values():
        if name_or_extension in {exporter.name, exporter.extension}:
            return exporter
    raise KeyError(name_or_extension)
