"""osmChange: blocks in a valid order, applied by osmium onto the real Chambéry extract."""

from __future__ import annotations

import io
from pathlib import Path

from defusedxml import ElementTree
from shapely.geometry import Point, Polygon

from exports.osmchange import write_osc
from exports.records import ContextElement, ExportMeta, FeatureRecord
from mapping.osm_file import read_elements
from tests.exports.tools import CHAMBERY, fileinfo, needs_osmium, run

META = ExportMeta(event_name="Chambéry", event_slug="chambery")
SQUARE = [(5.9310, 45.5656), (5.9313, 45.5656), (5.9313, 45.5658), (5.9310, 45.5658)]


def context() -> dict:  # type: ignore[type-arg]
    """The real bench node 3415730562 (v1) and building way 146373383 of the extract."""
    found = read_elements(CHAMBERY, wanted=lambda tags: tags.get("amenity") == "bench"
                          or tags.get("building") == "yes")
    return {(e.type, e.id): ContextElement.of(e) for e in found}


def changes() -> list[FeatureRecord]:
    ctx = context()
    way_id = next(i for (t, i), e in sorted(ctx.items()) if t == "way")
    return [
        FeatureRecord("a", Point(5.9318, 45.5661), {"amenity": "bench", "backrest": "yes"}),
        FeatureRecord("b", Polygon(SQUARE), {"leisure": "playground"}),
        FeatureRecord("c", Point(0, 0), {"backrest": "no"}, osm_type="node", osm_id=3415730562),
        FeatureRecord("d", Polygon(SQUARE), {"building:levels": "3"}, osm_type="way",
                      osm_id=way_id),
    ]


def write(records: list[FeatureRecord]) -> str:
    stream = io.StringIO()
    write_osc(records, stream, meta=META, context=context())
    return stream.getvalue()


def test_create_block_lists_nodes_then_ways_then_modify_follows() -> None:
    root = ElementTree.fromstring(write(changes()).encode())
    assert root.tag == "osmChange"
    assert root.get("version") == "0.6"
    assert [block.tag for block in root] == ["create", "modify"]
    created = [(e.tag, e.get("id")) for e in root.find("create")]
    assert created == [("node", "-1"), ("node", "-2"), ("node", "-3"), ("node", "-4"),
                       ("node", "-5"), ("way", "-1")]
    modified = root.find("modify")
    assert [e.tag for e in modified] == ["node", "way"]
    assert all(e.get("changeset") for e in root.iter() if e.tag in {"node", "way"})


def test_modify_carries_base_version_and_all_tags() -> None:
    node = ElementTree.fromstring(write(changes()).encode()).find("modify/node")
    assert (node.get("id"), node.get("version")) == ("3415730562", "1")
    assert {t.get("k"): t.get("v") for t in node.iter("tag")} == {
        "amenity": "bench", "backrest": "no"}


@needs_osmium
def test_osmium_applies_changes_to_chambery_and_diff_shows_exactly_them(tmp_path: Path) -> None:
    osc = tmp_path / "export.osc"
    osc.write_text(write(changes()), "utf-8")
    merged = tmp_path / "merged.osm"
    done = run("osmium", "apply-changes", CHAMBERY, osc, "-o", merged)
    assert done.returncode == 0, done.stderr
    before, after = fileinfo(CHAMBERY)["data"]["count"], fileinfo(merged)["data"]["count"]
    assert after["nodes"] == before["nodes"] + 5
    assert after["ways"] == before["ways"] + 1
    diff = run("osmium", "diff", "-f", "opl", "-c", CHAMBERY, merged)
    lines = [line.split(" ")[0] for line in diff.stdout.splitlines()]
    way_id = changes()[3].osm_id
    assert sorted(lines) == sorted(
        ["+n-1", "+n-2", "+n-3", "+n-4", "+n-5", "+w-1",
         "-n3415730562", "+n3415730562", f"-w{way_id}", f"+w{way_id}"])
    new_bench = next(line for line in diff.stdout.splitlines() if line.startswith("+n3415730562"))
    assert "Tamenity=bench,backrest=no" in new_bench
