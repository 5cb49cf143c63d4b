"""The JOSM review file: structure, ids, polygons, long ways, escaping — and osmium/GDAL."""

from __future__ import annotations

import io
from pathlib import Path

from defusedxml import ElementTree
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from exports.osm_xml import write_osm
from exports.records import ContextElement, ExportMeta, FeatureRecord
from tests.exports.tools import CHAMBERY, TRICKY_TAGS, fileinfo, needs_gdal, needs_osmium, run

META = ExportMeta(event_name="Carto-party Chambéry", event_slug="chambery-centre")
FOUNTAIN = ContextElement("node", 1486157498, 1, {"amenity": "fountain"}, 5.9325489, 45.5664008)
SQUARE = [(5.9310, 45.5656), (5.9313, 45.5656), (5.9313, 45.5658), (5.9310, 45.5658),
          (5.9310, 45.5656)]
HOLE = [(5.9311, 45.5657), (5.9312, 45.5657), (5.9312, 45.56575), (5.9311, 45.5657)]


def write(records: list[FeatureRecord], context: dict | None = None) -> str:  # type: ignore[type-arg]
    stream = io.StringIO()
    write_osm(records, stream, meta=META, context=context or {})
    return stream.getvalue()


def parse(text: str):  # type: ignore[no-untyped-def]
    return ElementTree.fromstring(text.encode())


def bench(x: float = 5.9318, y: float = 45.5661, **tags: str) -> FeatureRecord:
    return FeatureRecord("b", Point(x, y), {"amenity": "bench", **tags})


def test_root_is_josm_review_file() -> None:
    root = parse(write([bench()]))
    assert root.tag == "osm"
    assert (root.get("version"), root.get("upload")) == ("0.6", "false")
    assert root.get("generator").startswith("cartoparty/")


def test_changeset_block_has_comment_source_hashtags_created_by() -> None:
    tags = {t.get("k"): t.get("v") for t in parse(write([bench()])).find("changeset")}
    assert tags["source"] == "survey"
    assert tags["hashtags"] == "#cartopartie;#cartopartie_chambery_centre"
    assert tags["created_by"].startswith("cartoparty/")
    assert "Carto-party Chambéry" in tags["comment"]
    assert "#cartopartie" in tags["comment"]


def test_changeset_comment_stays_within_255_characters() -> None:
    meta = ExportMeta(event_name="x" * 400, event_slug="long")
    assert len(meta.changeset_tags(count=12)["comment"]) <= 255


def test_bounds_cover_every_node_with_seven_decimals() -> None:
    root = parse(write([bench(5.93, 45.56), bench(5.94, 45.57)]))
    bounds = root.find("bounds")
    assert dict(bounds.attrib) == {"minlat": "45.5600000", "minlon": "5.9300000",
                                   "maxlat": "45.5700000", "maxlon": "5.9400000"}


def test_coordinates_are_rounded_to_seven_decimals() -> None:
    node = parse(write([bench(5.931812345678, 45.566123456789)])).find("node")
    assert (node.get("lon"), node.get("lat")) == ("5.9318123", "45.5661235")


def test_new_objects_have_negative_ids_in_creation_order_per_type() -> None:
    root = parse(write([bench(), FeatureRecord("p", Polygon(SQUARE), {"leisure": "playground"}),
                        bench(5.932, 45.566)]))
    assert [n.get("id") for n in root.iter("node")] == ["-1", "-2", "-3", "-4", "-5", "-6"]
    assert [w.get("id") for w in root.iter("way")] == ["-1"]
    assert all(n.get("version") is None and n.get("action") is None for n in root.iter("node"))


def test_polygon_becomes_closed_way_with_tags() -> None:
    way = parse(write([FeatureRecord("p", Polygon(SQUARE), {"leisure": "playground"})])).find("way")
    refs = [nd.get("ref") for nd in way.iter("nd")]
    assert refs == ["-1", "-2", "-3", "-4", "-1"]
    assert {t.get("k"): t.get("v") for t in way.iter("tag")} == {"leisure": "playground"}


def test_polygon_with_hole_becomes_multipolygon_relation_with_tags_on_relation() -> None:
    root = parse(write([FeatureRecord("p", Polygon(SQUARE, [HOLE]), {"leisure": "playground"})]))
    relation = root.find("relation")
    assert {t.get("k"): t.get("v") for t in relation.iter("tag")} == {
        "leisure": "playground", "type": "multipolygon"}
    roles = [(m.get("type"), m.get("ref"), m.get("role")) for m in relation.iter("member")]
    assert roles == [("way", "-1", "outer"), ("way", "-2", "inner")]
    assert all(not list(w.iter("tag")) for w in root.iter("way"))


def test_multipolygon_has_one_outer_per_part() -> None:
    parts = MultiPolygon([Polygon(SQUARE), Polygon([(x + 0.001, y) for x, y in SQUARE])])
    relation = parse(write([FeatureRecord("m", parts, {"amenity": "toilets"})])).find("relation")
    assert [m.get("role") for m in relation.iter("member")] == ["outer", "outer"]


def test_way_over_2000_nodes_is_split_into_ways_sharing_end_nodes() -> None:
    line = LineString([(5.93 + k * 1e-6, 45.56 + (k % 2) * 1e-6) for k in range(4500)])
    root = parse(write([FeatureRecord("l", line, {"barrier": "kerb"})]))
    ways = [[nd.get("ref") for nd in w.iter("nd")] for w in root.iter("way")]
    assert [len(w) for w in ways] == [2000, 2000, 502]
    assert ways[0][-1] == ways[1][0]
    assert ways[1][-1] == ways[2][0]
    assert len(list(root.iter("node"))) == 4500
    assert all({t.get("k") for t in w.iter("tag")} == {"barrier"} for w in root.iter("way"))


def test_ring_over_2000_nodes_becomes_relation_of_chained_ways() -> None:
    ring = Point(5.93, 45.56).buffer(0.001, quad_segs=700)  # 2,801 ring nodes
    root = parse(write([FeatureRecord("p", ring, {"leisure": "playground"})]))
    assert len(list(root.iter("way"))) == 2
    assert root.find("relation") is not None


def test_edit_of_existing_node_keeps_its_position_and_merges_tags() -> None:
    record = FeatureRecord("e", Point(5.93, 45.56), {"drinking_water": "no"}, osm_type="node",
                           osm_id=1486157498, osm_version=1)
    node = parse(write([record], {("node", 1486157498): FOUNTAIN})).find("node")
    assert dict(node.attrib) == {"id": "1486157498", "action": "modify", "version": "1",
                                 "lat": "45.5664008", "lon": "5.9325489"}
    assert {t.get("k"): t.get("v") for t in node.iter("tag")} == {
        "amenity": "fountain", "drinking_water": "no"}


def test_edit_of_existing_way_carries_all_its_nodes_untouched() -> None:
    nodes = ((11, 3, 5.931, 45.565), (12, 1, 5.932, 45.565), (13, 2, 5.932, 45.566),
             (11, 3, 5.931, 45.565))
    way = ContextElement("way", 500, 7, {"leisure": "playground"}, 5.9315, 45.5655, nodes)
    record = FeatureRecord("w", Polygon(SQUARE), {"surface": "sand"}, osm_type="way", osm_id=500)
    root = parse(write([bench(), record], {("way", 500): way}))
    assert [(n.get("id"), n.get("version"), n.get("action")) for n in root.iter("node")] == [
        ("-1", None, None), ("11", "3", None), ("12", "1", None), ("13", "2", None)]
    out = root.find("way")
    assert (out.get("id"), out.get("action"), out.get("version")) == ("500", "modify", "7")
    assert [nd.get("ref") for nd in out.iter("nd")] == ["11", "12", "13", "11"]


def test_no_author_or_pseudonym_attribute_is_written() -> None:
    text = write([bench()])
    assert "user=" not in text
    assert "uid=" not in text


def test_tricky_tags_round_trip_through_xml_parser() -> None:
    node = parse(write([FeatureRecord("t", Point(5.93, 45.56), TRICKY_TAGS)])).find("node")
    assert {t.get("k"): t.get("v") for t in node.iter("tag")} == TRICKY_TAGS


@needs_osmium
def test_tricky_tags_round_trip_through_osmium(tmp_path: Path) -> None:
    path = tmp_path / "t.osm"
    path.write_text(write([FeatureRecord("t", Point(5.93, 45.56), TRICKY_TAGS)]), "utf-8")
    out = tmp_path / "t.geojsonseq"
    done = run("osmium", "export", "-f", "geojsonseq", "-x", "print_record_separator=false",
               path, "-o", out)
    assert done.returncode == 0, done.stderr
    import json

    properties = json.loads(out.read_text("utf-8").splitlines()[0])["properties"]
    assert properties == TRICKY_TAGS


@needs_osmium
def test_osmium_reads_and_checks_refs_of_every_geometry_kind(tmp_path: Path) -> None:
    path = tmp_path / "all.osm"
    path.write_text(write([
        bench(),
        FeatureRecord("l", LineString([(5.931, 45.565), (5.932, 45.566)]), {"barrier": "kerb"}),
        FeatureRecord("p", Polygon(SQUARE), {"leisure": "playground"}),
        FeatureRecord("h", Polygon(SQUARE, [HOLE]), {"leisure": "playground"}),
        FeatureRecord("e", Point(0, 0), {"drinking_water": "no"}, osm_type="node",
                      osm_id=1486157498),
    ], {("node", 1486157498): FOUNTAIN}), "utf-8")
    info = fileinfo(path)
    assert info["data"]["count"] == {"changesets": 1, "nodes": 15, "ways": 4, "relations": 1}
    assert info["data"]["objects_ordered"] is True
    assert run("osmium", "check-refs", "-r", path).returncode == 0


@needs_gdal
def test_gdal_builds_points_lines_and_polygons(tmp_path: Path) -> None:
    path = tmp_path / "all.osm"
    path.write_text(write([
        bench(),
        FeatureRecord("l", LineString([(5.931, 45.565), (5.932, 45.566)]), {"barrier": "kerb"}),
        FeatureRecord("p", Polygon(SQUARE), {"leisure": "playground"}),
        FeatureRecord("h", Polygon(SQUARE, [HOLE]), {"leisure": "playground", "name": "Trou"}),
    ]), "utf-8")
    env = {"OSM_USE_CUSTOM_INDEXING": "NO"}
    points = run("ogrinfo", "-ro", "-q", path, "points", env=env).stdout
    lines = run("ogrinfo", "-ro", "-q", path, "lines", env=env).stdout
    polygons = run("ogrinfo", "-ro", "-q", path, "multipolygons", env=env).stdout
    assert points.count("OGRFeature(points)") == 1
    assert "POINT (5.9318 45.5661)" in points
    assert lines.count("OGRFeature(lines)") == 1
    assert "LINESTRING (5.931 45.565" in lines
    assert polygons.count("OGRFeature(multipolygons)") == 2
    # the holed playground is one polygon with two rings, built from the relation
    assert "MULTIPOLYGON (((5.931 45.5656,5.9313 45.5656" in polygons
    assert polygons.count("),(") == 1
    assert "name (String) = Trou" in polygons


def test_chambery_fixture_is_there() -> None:
    assert CHAMBERY.exists()
