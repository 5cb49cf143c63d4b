"""GeoPackage: layers features and reports (and measurements when given), read by GDAL."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely.geometry import Point, Polygon

from exports.geopackage import write_gpkg
from exports.records import ExportData, ExportMeta, FeatureRecord, ReportRecord
from tests.exports.tools import TRICKY_TAGS, needs_gdal, ogr_layers, run

META = ExportMeta(event_name="Chambéry", event_slug="chambery")
AT = dt.datetime(2026, 11, 25, 20, 30, tzinfo=dt.UTC)
FEATURES = [
    FeatureRecord("a", Point(5.93, 45.56), TRICKY_TAGS, "amenity/bench", "accepted",
                  created_at=AT),
    FeatureRecord("b", Polygon([(5.93, 45.56), (5.931, 45.56), (5.931, 45.561)]),
                  {"leisure": "playground"}, "leisure/playground", "exported", "way", 12,
                  created_at=AT),
]
REPORTS = [ReportRecord("r", Point(5.932, 45.565), "noise", 4, ("road", "bar"), AT, None,
                        "accepted", "Scooters")]


def export(tmp_path: Path, measurements: object = None) -> Path:
    path = tmp_path / "e.gpkg"
    data = ExportData(meta=META, features=FEATURES, reports=REPORTS, measurements=measurements,
                      tag_columns=("amenity", "name", "backrest"))
    assert write_gpkg(data, path) == 2
    return path


def test_layers_and_round_trip(tmp_path: Path) -> None:
    path = export(tmp_path)
    assert [name for name, _ in pyogrio.list_layers(path)] == ["features", "reports",
                                                              "layer_styles"]
    features = gpd.read_file(path, layer="features")
    assert features.crs.to_epsg() == 4326
    assert features["name"][0] == TRICKY_TAGS["name"]
    assert features["osm_id"][1] == 12
    assert list(features.geometry.geom_type) == ["Point", "Polygon"]
    reports = gpd.read_file(path, layer="reports")
    assert reports["sources"][0] == "road,bar"
    assert reports["intensity"][0] == 4


def test_measurements_layer_when_the_layers_app_gives_one(tmp_path: Path) -> None:
    summary = gpd.GeoDataFrame({"sensor": ["s1"], "laeq_db": [61.5]},
                               geometry=[Point(5.93, 45.56)], crs="EPSG:4326")
    path = export(tmp_path, summary)
    assert [name for name, _ in pyogrio.list_layers(path)] == ["features", "reports",
                                                              "measurements", "layer_styles"]


@needs_gdal
def test_ogrinfo_sees_layer_names_field_types_crs_and_counts(tmp_path: Path) -> None:
    layers = ogr_layers(export(tmp_path))
    assert set(layers) == {"features", "reports", "layer_styles"}
    assert (layers["features"]["count"], layers["reports"]["count"]) == (2, 1)
    assert layers["features"]["fields"]["osm_id"] == "Integer64"
    assert layers["features"]["fields"]["created_at"] == "DateTime"
    assert layers["reports"]["fields"]["intensity"] == "Integer"
    assert 'ID["EPSG",4326]' in layers["features"]["text"]


def test_every_layer_states_licence_and_attribution(tmp_path: Path) -> None:
    with sqlite3.connect(export(tmp_path)) as db:
        descriptions = dict(db.execute("SELECT table_name, description FROM gpkg_contents "
                                       "WHERE data_type = 'features'"))
    assert set(descriptions) == {"features", "reports"}
    assert all("© OpenStreetMap contributors" in d and "ODbL-1.0" in d
               for d in descriptions.values())


@needs_gdal
def test_debian_gdal_reads_every_record_without_a_warning(tmp_path: Path) -> None:
    # GDAL 3.6 (Debian 12, its QGIS) warned on GeoPackage 1.4 and on datetimes without ms.
    done = run("ogrinfo", "-ro", "-al", export(tmp_path))
    assert done.returncode == 0
    assert "Warning" not in done.stderr, done.stderr
    assert "created_at (DateTime) = 2026/11/25 20:30:00+00" in done.stdout
