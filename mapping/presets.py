"""Tag presets (a subset of the iD tagging schema) and nuisance categories, as data (pure).

Both files live in ``mapping/data/``; events choose which presets and categories they offer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from mapping.errors import N_, InvalidInput

DATA_DIR = Path(__file__).resolve().parent / "data"

# A GeoJSON geometry type → the iD geometries a preset must list to accept it.
ID_GEOMETRIES = {
    "Point": {"point", "vertex"},
    "LineString": {"line"},
    "Polygon": {"area"},
    "MultiPolygon": {"area"},
}


@cache
def tag_presets() -> dict[str, dict[str, Any]]:
    """Every preset, keyed by its iD id (``"amenity/bench"``), with ``fields`` resolved."""
    raw = json.loads((DATA_DIR / "presets.json").read_text(encoding="utf-8"))
    fields = raw["fields"]
    return {
        preset_id: {**preset, "id": preset_id,
                    "fields": [fields[name] for name in preset["fields"]]}
        for preset_id, preset in raw["presets"].items()
    }


@cache
def nuisance_categories() -> dict[str, dict[str, Any]]:
    """Every nuisance category, keyed by id (``"noise"``), with names and sources (fr/en)."""
    raw = json.loads((DATA_DIR / "nuisances.json").read_text(encoding="utf-8"))
    return {key: {**value, "id": key} for key, value in raw["categories"].items()}


def check_known(ids: Iterable[str], known: Mapping[str, object], *, field: str) -> list[str]:
    """Return ``ids`` as a list if each is a known key, else raise naming the unknown ones."""
    ids = list(ids)
    unknown = [item for item in ids if item not in known]
    if unknown:
        raise InvalidInput(N_("Unknown {field_name}: {unknown}. Known: {known}."), field=field,
                           field_name=field, unknown=", ".join(map(str, unknown)),
                           known=", ".join(known))
    return ids


NONE_OFFERED = {
    "presets": N_("Choose at least one feature type to offer."),
    "nuisance_categories": N_("Choose at least one nuisance category to offer."),
}


def check_offered(ids: Iterable[str], known: Mapping[str, object], *, field: str) -> list[str]:
    """What an event offers (``field``: presets or nuisance_categories): known, and at least
    one (an event offering nothing could receive nothing)."""
    found = check_known(ids, known, field=field)
    if not found:
        raise InvalidInput(NONE_OFFERED[field], field=field)
    return found


def apply_preset(
    *, preset_id: str, offered: Sequence[str], tags: Mapping[str, str], geometry_type: str
) -> dict[str, str]:
    """Merge a preset's tags into the given tags and check that its geometry fits.

    The preset's own tags win over free tags with the same key, since they define it.

    Raises
    ------
    InvalidInput
        The preset does not exist, is not offered by the event, or does not accept this
        geometry type (a playground may be an area, a defibrillator may not).
    """
    preset = tag_presets().get(preset_id)
    if preset is None or preset_id not in offered:
        raise InvalidInput(N_("Preset {preset!r} is not offered by this event; "
                              "offered: {offered}."),
                           field="preset", preset=preset_id, offered=", ".join(offered))
    if not ID_GEOMETRIES[geometry_type] & set(preset["geometry"]):
        raise InvalidInput(N_("A {name} cannot be a {geometry_type}; it can be: {allowed}."),
                           field="geometry.type", name=preset["name"]["en"],
                           geometry_type=geometry_type,
                           allowed=", ".join(preset["geometry"]))
    return {**tags, **preset["tags"]}


def check_sources(*, category: str, sources: Sequence[str]) -> list[str]:
    """Check that each perceived source belongs to the category's list; no repeats."""
    known = nuisance_categories()[category]["sources"]
    checked = check_known(sources, known, field="sources")
    if len(set(checked)) != len(checked):
        raise InvalidInput(N_("Each source may be given once."), field="sources")
    return checked
