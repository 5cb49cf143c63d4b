"""GeoJSON export: RFC 7946, tags as properties, status and licence; read back by GDAL."""

from __future__ import annotations

import json
from pathlib import Path

from shapely.geometry import Point, Polygon, shape

from exports.geojson import write_geojson
from exports.records import LICENCE, ExportData, ExportMeta, FeatureRecord
from tests.exports.tools import TRICKY_TAGS, needs_gdal, ogr_layers

META = ExportMeta(event_name="Chambéry", event_slug="chambery")
CLOCKWISE = Polygon([(5.931, 45.565), (5.931, 45.566), (5.932, 45.566), (5.931, 45.565)])


def export(tmp_path: Path, records: list[FeatureRecord]) -> dict:  # type: ignore[type-arg]
    path = tmp_path / "e.geojson"
    assert write_geojson(ExportData(meta=META, features=records), path) == len(records)
    return json.loads(path.read_text("utf-8"))


def test_collection_carries_licence_and_attribution(tmp_path: Path) -> None:
    doc = export(tmp_path, [])
    assert doc["type"] == "FeatureCollection"
    assert doc["features"] == []
    assert doc["licence"] == LICENCE == "ODbL-1.0"
    assert "© OpenStreetMap contributors" in doc["attribution"]


def test_tags_are_properties_and_status_is_prefixed(tmp_path: Path) -> None:
    record = FeatureRecord("f1", Point(5.93123456789, 45.56), TRICKY_TAGS, "amenity/bench",
                           "exported", "node", 42)
    feature = export(tmp_path, [record])["features"][0]
    assert feature["id"] == "f1"
    assert feature["geometry"] == {"type": "Point", "coordinates": [5.9312346, 45.56]}
    props = feature["properties"]
    assert {k: v for k, v in props.items() if not k.startswith("@")} == TRICKY_TAGS
    assert (props["@status"], props["@preset"], props["@osm"]) == (
        "exported", "amenity/bench", "node/42")


def test_polygons_are_counter_clockwise(tmp_path: Path) -> None:
    geometry = export(tmp_path, [FeatureRecord("p", CLOCKWISE, {"leisure": "playground"})])[
        "features"][0]["geometry"]
    assert shape(geometry).exterior.is_ccw


@needs_gdal
def test_gdal_reads_fields_crs_and_count(tmp_path: Path) -> None:
    records = [FeatureRecord(str(i), Point(5.93, 45.56 + i * 1e-4), {"amenity": "bench"})
               for i in range(3)]
    export(tmp_path, records)
    layer = ogr_layers(tmp_path / "e.geojson")["chambery"]  # the collection's "name"
    assert layer["count"] == 3
    assert layer["geometry"] == "Point"
    assert layer["fields"]["amenity"] == "String"
    assert layer["fields"]["@status"] == "String"
    assert 'ID["EPSG",4326]' in layer["text"]
