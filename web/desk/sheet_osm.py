"""The OSM context of a field sheet: which extract an event has, read into plain geometries.

There is no per-event extract record, so the convention is: the demo carto-party uses the demo
extract it was built from (streets, buildings, water and the preset-kind elements); any other
event uses the preset-kind elements ``cartoparty import_osm PATH --event SLUG`` stored
(``exports.OsmElement``), when the exports app is installed — no streets then, and the sheet
says so. The exports app is imported lazily: the desk works without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from shapely import wkb as shapely_wkb

from mapping.models import Event
from mapping.osm_file import ways_with_keys
from mapping.presets import tag_presets
from mapping.services import demo
from mapping.sheet_context import CONTEXT_KEYS, SheetContext, SheetSymbol, context_from_ways


def extract_of(event: Event) -> Path | None:
    """The ``.osm`` file the event's streets and buildings come from, if there is one."""
    if event.slug == demo.SLUG and demo.DEMO_OSM.exists():
        return demo.DEMO_OSM
    return None


def preset_label(kind: str, language: str) -> str:
    """The preset's name in ``language`` (fr/en), else English, else its id."""
    names = tag_presets().get(kind, {}).get("name", {})
    return str(names.get(language[:2]) or names.get("en") or kind)


def _stored_symbols(event: Event, language: str) -> list[SheetSymbol]:
    if not apps.is_installed("exports"):
        return []
    from exports.selectors import osm_elements

    return [SheetSymbol(shapely_wkb.loads(bytes(geometry.wkb)), kind, preset_label(kind, language))
            for kind, geometry in osm_elements(event=event).values_list("kind", "geometry")]


def _extract_symbols(path: Path, language: str) -> list[SheetSymbol]:
    if not apps.is_installed("exports"):
        return []
    from exports.osm_extract import read_extract
    from exports.selectors import preset_tags

    return [SheetSymbol(found.geometry, found.kind, preset_label(found.kind, language))
            for found in read_extract(path, preset_tags())]


def sheet_context_of(event: Event, language: str) -> SheetContext:
    """Streets, buildings, water (WGS84) and the existing elements of the preset kinds."""
    symbols: list[Any] = _stored_symbols(event, language)
    path = extract_of(event)
    if path is None:
        return SheetContext(symbols=tuple(symbols))
    if not symbols:
        symbols = _extract_symbols(path, language)
    return context_from_ways(ways_with_keys(path, CONTEXT_KEYS), symbols)
