"""The one OSM reader (mapping.osm_file): every format, clipped extracts, bounded reads."""

from __future__ import annotations

import bz2
import gzip
import shutil
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from mapping.osm_file import (
    OsmFileError,
    OsmLimitError,
    OsmLimits,
    ReadReport,
    read_bounds,
    read_elements,
    tagged_nodes,
)
from mapping.services.demo import DEMO_OSM
from tests.exports.tools import HELSINKI_BZ2, HELSINKI_PBF, fileinfo, needs_osmium

CLIPPED = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
 <node id="1" version="2" lat="60.17" lon="24.94"/>
 <node id="2" version="1" lat="60.17" lon="24.941"><tag k="amenity" v="fountain"/></node>
 <node id="4" version="3" lat="60.171" lon="24.941"/>
 <node id="5" version="1" lat="60.171" lon="24.942"><tag k="created_by" v="JOSM"/></node>
 <way id="10" version="4"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
  <tag k="leisure" v="playground"/></way>
 <way id="11" version="1"><nd ref="98"/><nd ref="99"/><tag k="highway" v="footway"/></way>
 <way id="12" version="1"><nd ref="1"/><nd ref="2"/><nd ref="4"/><nd ref="1"/>
  <tag k="building" v="yes"/></way>
 <way id="13" version="1"><nd ref="1"/><nd ref="2"/><nd ref="4"/><nd ref="1"/>
  <tag k="highway" v="residential"/><tag k="junction" v="roundabout"/></way>
 <relation id="20" version="1"><member type="way" ref="12" role="outer"/>
  <member type="way" ref="777" role="outer"/><tag k="type" v="multipolygon"/>
  <tag k="amenity" v="toilets"/></relation>
 <relation id="21" version="1"><member type="way" ref="778" role="outer"/>
  <tag k="amenity" v="toilets"/></relation>
</osm>
"""


@pytest.fixture
def clipped(tmp_path: Path) -> Path:
    path = tmp_path / "clipped.osm"
    path.write_text(CLIPPED, encoding="utf-8")
    return path


def summary(path: Path) -> Counter[tuple[str, str]]:
    return Counter((e.type, e.geometry.geom_type) for e in read_elements(path))


@pytest.fixture(scope="module")
def helsinki_gz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("osm") / "helsinki_clip.osm.gz"
    with bz2.open(HELSINKI_BZ2, "rb") as source, gzip.open(path, "wb") as target:
        shutil.copyfileobj(source, target)
    return path


@pytest.mark.parametrize("name", ["pbf", "bz2", "gz", "osm"])
def test_every_format_gives_the_same_elements(name: str, helsinki_gz: Path,
                                              tmp_path: Path) -> None:
    plain = tmp_path / "helsinki_clip.osm"
    with bz2.open(HELSINKI_BZ2, "rb") as source:
        plain.write_bytes(source.read())
    path = {"pbf": HELSINKI_PBF, "bz2": HELSINKI_BZ2, "gz": helsinki_gz, "osm": plain}[name]
    assert summary(path) == summary(HELSINKI_PBF)


@needs_osmium
def test_counts_match_osmium_fileinfo() -> None:
    report = ReadReport()
    list(read_elements(HELSINKI_PBF, report=report))
    count = fileinfo(HELSINKI_PBF)["data"]["count"]
    assert (report.nodes, report.ways, report.relations) == (
        count["nodes"], count["ways"], count["relations"])


def test_clipped_way_keeps_present_nodes_and_lists_missing_ones(clipped: Path) -> None:
    found = {(e.type, e.id): e for e in read_elements(clipped)}
    way = found[("way", 10)]
    assert way.nodes == ((1, 2, 24.94, 60.17), (2, 1, 24.941, 60.17), (3, None, None, None),
                         (4, 3, 24.941, 60.171), (1, 2, 24.94, 60.17))
    assert not way.complete
    # Not a polygon through the gap: the line runs through the nodes the file has.
    assert way.geometry.geom_type == "MultiLineString"


def test_report_counts_what_the_clipped_file_misses(clipped: Path) -> None:
    report = ReadReport()
    found = {(e.type, e.id) for e in read_elements(clipped, report=report)}
    assert (report.nodes, report.ways, report.relations) == (4, 4, 2)
    assert (report.ways_missing_nodes, report.relations_missing_members) == (2, 2)
    # Way 11 and relation 21 have nothing in the file: no place to put them.
    assert ("way", 11) not in found
    assert ("relation", 21) not in found
    # Node 5 is tagged only by its editor: it says nothing of what is on the ground.
    assert ("node", 5) not in found


def test_closed_ways_are_areas_only_when_their_tags_say_so(clipped: Path) -> None:
    found = {(e.type, e.id): e for e in read_elements(clipped)}
    assert found[("way", 12)].geometry.geom_type == "Polygon"
    assert found[("way", 13)].geometry.geom_type == "LineString"  # a roundabout


def test_complete_multipolygons_are_assembled() -> None:
    relations = [e for e in read_elements(HELSINKI_PBF) if e.type == "relation"]
    polygons = [e for e in relations if e.geometry.geom_type == "MultiPolygon"]
    assert polygons
    assert all(e.complete for e in polygons)
    assert all(e.geometry.is_valid and e.geometry.area > 0 for e in polygons)


def test_demo_extract_bounds_and_tagged_nodes() -> None:
    assert read_bounds(DEMO_OSM) == (5.93019, 45.56533, 5.93355, 45.56666)
    nodes = tagged_nodes(DEMO_OSM)
    assert {"bench", "recycling", "fountain"} <= {n.tags.get("amenity") for n in nodes}
    fountain = next(n for n in nodes if n.id == 1486157498)
    assert (fountain.version, fountain.lon, fountain.lat) == (1, 5.9325489, 45.5664008)


def test_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.osm"
    path.write_text('<?xml version="1.0"?><!DOCTYPE osm [<!ENTITY a "b">]><osm version="0.6">'
                    '<node id="1" version="1" lat="1" lon="1"><tag k="x" v="&a;"/></node></osm>')
    with pytest.raises(OsmFileError, match="entities"):
        list(read_elements(path))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("x.shp", b"", "not an OSM file"),
    ("x.osm", b"<osm><node", "cannot be read as OSM data"),
    ("x.osm.gz", b"plain text, not gzip", "cannot be read as OSM data"),
    ("x.osm.bz2", b"plain text, not bzip2", "cannot be read as OSM data"),
    ("x.osm.pbf", b"\x00\x00\x00\x0dnot a pbf", "cannot be read as OSM data"),
])
def test_what_is_not_osm_is_refused_with_a_reason(tmp_path: Path, name: str, content: bytes,
                                                  message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(OsmFileError, match=message):
        list(read_elements(path))


def whitespace_bomb(path: Path, *, members: int, member_bytes: int = 100 << 20) -> Path:
    """A gzip file of ``members`` × ``member_bytes`` of spaces (≈ 1,000:1)."""
    member = gzip.compress(b"<osm version='0.6'>" + b" " * member_bytes, compresslevel=9)
    with path.open("wb") as out:
        for _ in range(members):
            out.write(member)
    return path


def test_a_gzip_bomb_is_refused_by_bytes_produced_with_bounded_memory(tmp_path: Path) -> None:
    # 10 MB on disk, 10 GB once inflated (the bomb of issue 14).
    bomb = whitespace_bomb(tmp_path / "bomb.osm.gz", members=100)
    assert bomb.stat().st_size < 12 << 20
    tracemalloc.start()
    with pytest.raises(OsmLimitError, match="max_bytes") as refused:
        list(read_elements(bomb, limits=OsmLimits(max_bytes=64 << 20)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert refused.value.limit == "max_bytes"
    assert "67,108,864 bytes" in refused.value.message
    assert peak < 16 << 20  # a few 1 MiB chunks, never the expanded file


def test_too_many_elements_are_refused(clipped: Path) -> None:
    with pytest.raises(OsmLimitError, match="more than 5 OSM elements") as refused:
        list(read_elements(clipped, limits=OsmLimits(max_elements=5)))
    assert refused.value.limit == "max_elements"


def test_a_plain_file_over_the_byte_limit_is_refused_before_reading(clipped: Path) -> None:
    with pytest.raises(OsmLimitError, match="max_bytes"):
        list(read_elements(clipped, limits=OsmLimits(max_bytes=100)))
