"""``import_osm``: every tagged element of real extracts, what was missing, bounded, atomic."""

from __future__ import annotations

import gzip
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from exports.models import OsmElement
from exports.services import event_export, osm_context_import
from mapping.errors import InvalidInput
from mapping.models import MappedFeature
from tests.exports.tools import CHAMBERY, HELSINKI_PBF, needs_osmium, run

pytestmark = pytest.mark.django_db
FOUNTAIN = 1486157498  # a real node of the Chambéry extract, amenity=fountain, no preset


def test_chambery_keeps_every_tagged_element_with_real_ids_and_versions(event) -> None:  # type: ignore[no-untyped-def]
    summary = osm_context_import(event=event, path=CHAMBERY)
    assert summary.by_preset == {"amenity/bench": 1, "amenity/recycling_container": 1,
                                 "natural/tree": 23}
    assert summary.by_theme["buildings"] == 75
    assert summary.kept == OsmElement.objects.filter(event=event).count() > 25
    fountain = OsmElement.objects.get(event=event, osm_type="node", osm_id=FOUNTAIN)
    assert (fountain.tags["amenity"], fountain.version, fountain.preset_id) == ("fountain", 1, "")
    streets = {e.tags.get("name") for e in OsmElement.objects.filter(
        event=event, osm_type="way", tags__has_key="highway")}
    assert {"Rue de Warens", "Faubourg Montmélian", "Chemin du Peney"} <= streets
    building = OsmElement.objects.filter(event=event, tags__has_key="building").first()
    assert building is not None
    assert building.geometry.geom_type == "Polygon"
    assert all(len(node) == 4 and node[1] >= 1 for node in building.nodes)


def test_a_correction_of_an_existing_fountain_is_exported(event, joined, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Before: "not in the event's OSM context: run import_osm first", after running it.
    osm_context_import(event=event, path=CHAMBERY)
    MappedFeature.objects.create(
        event=event, author=joined.contributor, geometry="POINT (5.9325489 45.5664008)",
        tags={"amenity": "fountain", "drinking_water": "no"}, status="accepted",
        consent_osm=True, osm_type="node", osm_id=FOUNTAIN, osm_version=1)
    result = event_export(event=event, format_name="osm", path=tmp_path / "fix.osm")
    assert [i.code for i in result.issues] == []
    assert result.written == 1
    text = (tmp_path / "fix.osm").read_text("utf-8")
    assert f'id="{FOUNTAIN}" action="modify" version="1"' in text


def test_re_running_the_import_is_idempotent(event) -> None:  # type: ignore[no-untyped-def]
    first = osm_context_import(event=event, path=CHAMBERY)
    rows = set(OsmElement.objects.filter(event=event).values_list("osm_type", "osm_id", "version"))
    second = osm_context_import(event=event, path=CHAMBERY)
    assert second == first
    assert set(OsmElement.objects.filter(event=event).values_list(
        "osm_type", "osm_id", "version")) == rows


def test_a_refused_file_leaves_the_previous_context_whole(event, tmp_path) -> None:  # type: ignore[no-untyped-def]
    osm_context_import(event=event, path=CHAMBERY)
    before = OsmElement.objects.filter(event=event).count()
    broken = tmp_path / "broken.osm.gz"
    broken.write_bytes(gzip.compress(CHAMBERY.read_bytes())[:20_000])  # cut half-way
    with pytest.raises(InvalidInput, match="cannot be read as OSM data"):
        osm_context_import(event=event, path=broken)
    assert OsmElement.objects.filter(event=event).count() == before


@needs_osmium
def test_command_says_what_it_read_kept_and_found_missing(event) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("import_osm", str(HELSINKI_PBF), "--event", event.slug, stdout=out,
                 stderr=StringIO())
    text = out.getvalue()
    assert "Read helsinki_clip.osm.pbf: 2849 nodes, 550 ways, 56 relations." in text
    assert "amenity/bench: " in text
    kept = int(re.search(r"Kept (\d+) tagged OSM elements", text).group(1))  # type: ignore[union-attr]
    assert kept == OsmElement.objects.filter(event=event).count() > 1000
    # osmium check-refs is the independent count of the ways and relations missing something.
    missing = run("osmium", "check-refs", "-r", "-i", HELSINKI_PBF).stdout
    ways = len(set(re.findall(r" in w(\d+)", missing)))
    relations = len(set(re.findall(r" in r(\d+)", missing)))
    assert (ways, relations) == (83, 13)
    assert f"{ways} ways with missing nodes, {relations} relations with missing members" in text


def test_command_refuses_a_non_osm_file(event, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="not an OSM file"):
        call_command("import_osm", str(tmp_path / "x.txt"), "--event", event.slug)


def test_command_refusal_says_which_limit_and_how_to_raise_it(event, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "chambery.osm.gz"
    big.write_bytes(gzip.compress(CHAMBERY.read_bytes()))
    with pytest.raises(CommandError, match=r"limit max_bytes.*--max-bytes N or set OSM_MAX_BYTES"):
        call_command("import_osm", str(big), "--event", event.slug, "--max-bytes", "100000")
    with pytest.raises(CommandError, match=r"max_elements.*--max-elements N"):
        call_command("import_osm", str(CHAMBERY), "--event", event.slug, "--max-elements", "10")
    assert not OsmElement.objects.filter(event=event).exists()
