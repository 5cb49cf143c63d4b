"""Reads of the field sheets: the event's squares, features and imported OSM context.

Any event that ran ``cartoparty import_osm PATH --event SLUG`` gets its streets, buildings,
water and existing elements of the preset kinds on paper; an event without an import gets
sheets that say so. Data © OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

import shapely
from django.contrib.gis.db.models.functions import AsWKB

from exports.models import OsmElement
from exports.sheets.context import SheetContext, SheetSymbol, context_from_elements
from exports.sheets.layout import SheetSquare, sheet_pages
from exports.sheets.pdf import SheetPage
from mapping.models import Event, GridCell, MappedFeature
from mapping.osm_areas import is_building, is_water_area
from mapping.presets import tag_presets
from mapping.workflow import Status


def preset_label(preset_id: str, language: str) -> str:
    """The preset's name in ``language`` (fr/en), else English, else its id."""
    names = tag_presets().get(preset_id, {}).get("name", {})
    return str(names.get(language[:2]) or names.get("en") or preset_id)


def _drawn(tags: dict[str, str]) -> bool:
    return ("highway" in tags or "waterway" in tags or is_building(tags)
            or is_water_area(tags))


def sheet_context_of(event: Event, language: str) -> SheetContext | None:
    """Streets, buildings, water (WGS84) and the preset-kind elements named in ``language``.

    ``None`` when the event has no imported OSM context.
    """
    rows = OsmElement.objects.filter(event=event).annotate(wkb=AsWKB("geometry")).values_list(
        "tags", "preset_id", "wkb").iterator(chunk_size=2000)
    drawn, symbols = [], []
    for tags, preset_id, wkb in rows:
        if preset_id:
            symbols.append((preset_id, bytes(wkb)))
        elif _drawn(tags):
            drawn.append((tags, bytes(wkb)))
    if not drawn and not symbols:
        return None
    geometries = shapely.from_wkb([wkb for _tags, wkb in drawn])
    labels = shapely.from_wkb([wkb for _preset, wkb in symbols])
    return context_from_elements(
        zip([tags for tags, _wkb in drawn], geometries, strict=True),
        [SheetSymbol(geometry, preset_id, preset_label(preset_id, language))
         for (preset_id, _wkb), geometry in zip(symbols, labels, strict=True)])


def field_sheet_pages(*, event: Event, language: str) -> list[SheetPage]:
    """One page per grid square of ``event``, with its OSM context and features, in metres."""
    zone = shapely.from_wkb(bytes(event.zone.wkb))
    squares = [SheetSquare(cell.label, shapely.from_wkb(bytes(cell.geometry.wkb)),
                           cell.team.name if cell.team else "")
               for cell in GridCell.objects.filter(event=event).select_related("team")
               .order_by("row", "col")]
    rows = MappedFeature.objects.filter(event=event).exclude(
        status__in=[Status.REJECTED, Status.MERGED]).order_by("created_at").annotate(
        wkb=AsWKB("geometry")).values_list("wkb", "preset", "tags")
    features = []
    for wkb, preset, tags in rows:
        name = preset_label(preset, language) if preset else ""
        label = (": ".join(filter(None, [name, tags.get("name", "")]))
                 or ", ".join(f"{k}={v}" for k, v in tags.items()))
        features.append((shapely.from_wkb(bytes(wkb)), label))
    context = sheet_context_of(event, language) if squares else None
    return sheet_pages(zone=zone, squares=squares, features=features, context=context)
