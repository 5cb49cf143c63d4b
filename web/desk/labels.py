"""Words for the codes the desk shows (statuses, channels, categories, presets), translated."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, pgettext_lazy

from mapping.models import Channel
from mapping.presets import nuisance_categories, tag_presets
from mapping.workflow import Status

# pgettext: "received" etc. are also ordinary English words elsewhere in the site.
STATUS_NAMES = {
    Status.RECEIVED: pgettext_lazy("contribution status", "received"),
    Status.ACCEPTED: pgettext_lazy("contribution status", "accepted"),
    Status.MERGED: pgettext_lazy("contribution status", "merged"),
    Status.REJECTED: pgettext_lazy("contribution status", "rejected"),
    Status.EXPORTED: pgettext_lazy("contribution status", "exported"),
}


def language() -> str:
    """The active language's two-letter code (fr by default)."""
    return (get_language() or "fr")[:2]


def _local(names: Any, fallback: str) -> str:
    if not isinstance(names, dict):
        return fallback
    return str(names.get(language()) or names.get("en") or fallback)


def status_names() -> dict[str, str]:
    """Status code → its name in the active language."""
    return {status.value: str(name) for status, name in STATUS_NAMES.items()}


def status_name(code: str) -> str:
    """One status's name ("" stays "")."""
    return status_names().get(code, code)


def channel_names() -> dict[str, str]:
    """Channel code (web, mediator, paper, import) → its name in the active language."""
    return {value: str(label) for value, label in Channel.choices}


def category_name(key: str) -> str:
    """A nuisance category's name ("noise" → "Bruit" in French)."""
    return _local(nuisance_categories().get(key, {}).get("name"), key)


def preset_name(key: str) -> str:
    """A tag preset's name ("amenity/bench" → "Banc" in French)."""
    return _local(tag_presets().get(key, {}).get("name"), key)


def source_name(category: str, source: str) -> str:
    """A nuisance source's name within its category ("road" → "Circulation routière")."""
    sources = nuisance_categories().get(category, {}).get("sources", {})
    return _local(sources.get(source), source)
