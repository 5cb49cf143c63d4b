"""The registry: every exporter is reachable by name and extension, and documented."""

from __future__ import annotations

import pytest

from exports.registry import EXPORTERS, exporter_for
from tests.exports.tools import ROOT


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_exporter_is_found_by_name_and_extension(name: str) -> None:
    exporter = EXPORTERS[name]
    assert exporter_for(name) is exporter is exporter_for(exporter.extension)


def test_only_osm_formats_are_for_osm() -> None:
    assert {e.name for e in EXPORTERS.values() if e.for_osm} == {"osm", "osc"}


def test_unknown_format_raises_key_error() -> None:
    with pytest.raises(KeyError):
        exporter_for("shp")


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_every_exporter_is_documented_in_the_readme(name: str) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"| `{name}` | `.{EXPORTERS[name].extension}` |" in readme
