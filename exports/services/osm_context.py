"""Loading an event's OSM context from an extract (``cartoparty import_osm``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction

from exports import selectors
from exports.conflation import kind_of
from exports.models import Basemap, OsmElement
from exports.services.basemap import basemap_build
from mapping.models import Event
from mapping.osm_areas import THEMES, theme_of
from mapping.osm_file import Element, OsmLimits, ReadReport, read_elements

BATCH = 2000


@dataclass(frozen=True)
class ImportSummary:
    """What an import read (``report``), kept (by theme and by preset) and found missing."""

    report: ReadReport
    kept: int
    by_theme: dict[str, int] = field(default_factory=dict)
    by_preset: dict[str, int] = field(default_factory=dict)
    basemap: Basemap | None = None


def _row(event: Event, element: Element, preset_id: str) -> OsmElement:
    return OsmElement(
        event=event, osm_type=element.type, osm_id=element.id, version=element.version,
        tags=dict(element.tags), preset_id=preset_id,
        geometry=GEOSGeometry(memoryview(shapely.to_wkb(element.geometry)), srid=4326),
        lon=element.lon, lat=element.lat, nodes=[list(node) for node in element.nodes])


@transaction.atomic
def osm_context_import(
    *, event: Event, path: Path, limits: OsmLimits | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Replace ``event``'s OSM context with every tagged element of the extract ``path``.

    Streets, buildings, water, land use, addresses and every other tagged element are kept,
    with their real ids and versions (a correction of any existing object can be exported).
    All or nothing: a file refused half-way (:class:`mapping.osm_file.OsmFileError`, limits
    included) leaves the previous context as it was. The base map's tiles are rebuilt from
    the new context in the same transaction.
    """
    presets = selectors.preset_tags()
    report = ReadReport()
    themes: Counter[str] = Counter()
    by_preset: Counter[str] = Counter()
    OsmElement.objects.filter(event=event).delete()
    batch: list[OsmElement] = []
    for element in read_elements(path, limits=limits, report=report, progress=progress):
        preset_id = kind_of(element.tags, presets)
        themes[theme_of(element.tags)] += 1
        if preset_id:
            by_preset[preset_id] += 1
        batch.append(_row(event, element, preset_id))
        if len(batch) >= BATCH:
            OsmElement.objects.bulk_create(batch)
            batch = []
    OsmElement.objects.bulk_create(batch)
    return ImportSummary(report=report, kept=sum(themes.values()),
                         by_theme={theme: themes[theme] for theme in THEMES},
                         by_preset=dict(sorted(by_preset.items())),
                         basemap=basemap_build(event=event))
