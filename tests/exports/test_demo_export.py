"""The demo carto-party, exported and checked by osmium against the real Chambéry extract."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.services import event_export, osm_context_import
from mapping.services.demo import demo_load
from tests.exports.tools import CHAMBERY, fileinfo, needs_osmium, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():  # type: ignore[no-untyped-def]
    event = demo_load().event
    osm_context_import(event=event, path=CHAMBERY)
    return event


def test_without_osm_context_the_correction_is_refused(tmp_path: Path) -> None:
    event = demo_load().event
    result = event_export(event=event, format_name="osm", path=tmp_path / "d.osm")
    assert [i.code for i in result.issues] == ["not_in_osm_context"]
    assert result.written == 1


@needs_osmium
def test_demo_osm_file_passes_osmium(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.osm"
    result = event_export(event=demo, format_name="osm", path=path)
    assert (result.written, result.issues) == (2, [])  # defibrillator + bench correction
    info = fileinfo(path)["data"]
    assert info["count"]["nodes"] == 2
    assert info["objects_ordered"] is True
    assert run("osmium", "check-refs", "-r", path).returncode == 0
    text = path.read_text("utf-8")
    for private in ("Camille", "Noé", "Scooters", "bicycle_parking"):  # pseudonyms, reports,
        assert private not in text  # a feature without consent


@needs_osmium
def test_demo_osc_applies_to_chambery_with_exactly_the_intended_changes(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    osc, merged = tmp_path / "demo.osc", tmp_path / "merged.osm"
    event_export(event=demo, format_name="osc", path=osc, mark_exported=True)
    assert run("osmium", "apply-changes", CHAMBERY, osc, "-o", merged).returncode == 0
    assert fileinfo(merged)["data"]["count"]["nodes"] == 814  # 813 + the defibrillator
    diff = run("osmium", "diff", "-f", "opl", "-c", CHAMBERY, merged).stdout.splitlines()
    assert sorted(line.split(" ")[0] for line in diff) == ["+n-1", "+n3415730562", "-n3415730562"]
    bench = next(line for line in diff if line.startswith("+n3415730562"))
    assert "Tamenity=bench,backrest=yes,material=wood" in bench
    defibrillator = next(line for line in diff if line.startswith("+n-1"))
    assert "emergency=defibrillator" in defibrillator
