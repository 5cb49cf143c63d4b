"""Reading real extracts offline: Chambéry (.osm), Helsinki clipped (.osm.pbf, .osm.bz2)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from exports.osm_extract import ExtractError, read_extract
from mapping.presets import tag_presets
from tests.exports.tools import CHAMBERY, HELSINKI_BZ2, HELSINKI_PBF, needs_osmium

PRESETS = {key: dict(p["tags"]) for key, p in tag_presets().items()}


def kinds(path: Path) -> Counter[tuple[str, str]]:
    return Counter((e.kind, e.element.type) for e in read_extract(path, PRESETS))


def test_chambery_keeps_preset_kinds_with_real_ids_and_versions() -> None:
    found = {e.element.id: e for e in read_extract(CHAMBERY, PRESETS)}
    bench = found[3415730562]
    assert (bench.kind, bench.element.version) == ("amenity/bench", 1)
    assert (bench.element.lon, bench.element.lat) == (5.9327031, 45.5666518)
    assert kinds(CHAMBERY) == Counter({("natural/tree", "node"): 23,
                                       ("amenity/bench", "node"): 1,
                                       ("amenity/recycling_container", "node"): 1})


@needs_osmium
def test_helsinki_pbf_and_bz2_give_the_same_elements() -> None:
    pbf = kinds(HELSINKI_PBF)
    assert pbf == kinds(HELSINKI_BZ2)
    assert pbf[("amenity/bench", "node")] == 16
    assert pbf[("amenity/bicycle_parking", "way")] == 3


def test_clipped_way_keeps_present_nodes_and_marks_missing_ones(tmp_path: Path) -> None:
    path = tmp_path / "clip.osm"
    path.write_text("""<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
 <node id="1" version="2" lat="60.17" lon="24.94"/>
 <node id="2" version="1" lat="60.17" lon="24.941"/>
 <way id="10" version="4"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/>
  <tag k="leisure" v="playground"/></way>
 <way id="11" version="1"><nd ref="98"/><nd ref="99"/><tag k="leisure" v="playground"/></way>
 <relation id="20" version="1"><member type="way" ref="10" role="outer"/>
  <member type="way" ref="777" role="outer"/>
  <tag k="type" v="multipolygon"/><tag k="amenity" v="toilets"/></relation>
 <relation id="21" version="1"><member type="way" ref="778" role="outer"/>
  <tag k="amenity" v="toilets"/></relation>
</osm>""", "utf-8")
    found = {(e.element.type, e.element.id): e for e in read_extract(path, PRESETS)}
    assert set(found) == {("way", 10), ("relation", 20)}  # nothing present of 11 and 21
    way = found[("way", 10)]
    assert way.element.nodes == ((1, 2, 24.94, 60.17), (2, 1, 24.941, 60.17),
                                 (3, None, None, None), (1, 2, 24.94, 60.17))
    assert way.geometry.geom_type == "LineString"
    assert found[("relation", 20)].geometry.geom_type == "Point"


def test_dtd_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.osm"
    path.write_text('<?xml version="1.0"?><!DOCTYPE osm [<!ENTITY a "b">]><osm>&a;</osm>')
    with pytest.raises(ExtractError):
        list(read_extract(path, PRESETS))


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="not an OSM file"):
        list(read_extract(tmp_path / "x.shp", PRESETS))
