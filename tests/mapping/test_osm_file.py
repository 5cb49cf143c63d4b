"""Reading ways by key from an OSM XML file (mapping.osm_file.ways_with_keys)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapping.osm_file import ways_with_keys
from mapping.services.demo import DEMO_OSM

TINY = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" version="1" lat="45.5650" lon="5.9300"/>
 <node id="2" version="1" lat="45.5651" lon="5.9310"/>
 <node id="3" version="1" lat="45.5660" lon="5.9310"/>
 <way id="10" version="1"><nd ref="1"/><nd ref="2"/>
  <tag k="highway" v="residential"/><tag k="name" v="Rue de Boigne"/></way>
 <way id="11" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/>
  <tag k="building" v="yes"/></way>
 <way id="12" version="1"><nd ref="2"/><nd ref="3"/><tag k="barrier" v="wall"/></way>
 <way id="13" version="1"><nd ref="3"/><nd ref="99"/><tag k="highway" v="footway"/></way>
</osm>
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.osm"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_only_ways_with_the_keys_asked(tiny):
    ways = ways_with_keys(tiny, ["highway", "building"])
    assert [w.id for w in ways] == [10, 11]
    assert ways[0].tags["name"] == "Rue de Boigne"
    assert ways[0].coords == ((5.93, 45.565), (5.931, 45.5651))


def test_closed_way_is_an_area(tiny):
    road, building = ways_with_keys(tiny, ["highway", "building"])
    assert building.closed
    assert not road.closed


def test_ways_missing_nodes_keep_what_the_file_has(tiny):
    # Way 13 has one node in the file, one missing: fewer than two known nodes, dropped.
    assert 13 not in [w.id for w in ways_with_keys(tiny, ["highway"])]


def test_refuses_a_dtd(tmp_path):
    path = tmp_path / "evil.osm"
    path.write_text('<?xml version="1.0"?><!DOCTYPE osm [<!ENTITY a "x">]>'
                    '<osm version="0.6">&a;</osm>', encoding="utf-8")
    with pytest.raises(Exception, match=r"(?i)entit|dtd"):
        ways_with_keys(path, ["highway"])


def test_the_demo_extract_has_named_streets_and_buildings():
    ways = ways_with_keys(DEMO_OSM, ["highway", "building"])
    names = {w.tags.get("name") for w in ways if "highway" in w.tags}
    assert {"Rue de Warens", "Faubourg Montmélian", "Chemin du Peney"} <= names
    assert sum("building" in w.tags for w in ways) == 75
