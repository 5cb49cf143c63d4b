"""CSV export: lon/lat + WKT + tags, formula injection neutralised, licence."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point

from exports.csv import neutralise, write_csv
from exports.records import ExportData, ExportMeta, FeatureRecord

META = ExportMeta(event_name="Chambéry", event_slug="chambery")


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+1", "'=1+1"), ("+33 4 79", "'+33 4 79"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("bench", "bench"), ("", ""),
])
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_rows_have_numbers_wkt_tags_and_neutralised_cells(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    tags = {"amenity": "bench", "name": "=HYPERLINK(1)"}
    records = [FeatureRecord("a", Point(-1.5, 45.56), tags),
               FeatureRecord("b", LineString([(5.93, 45.56), (5.94, 45.56)]), {"barrier": "kerb"})]
    data = ExportData(meta=META, features=records, tag_columns=("amenity", "name"))
    assert write_csv(data, path) == 2
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert rows[0]["lon"] == "-1.5"
    assert rows[0]["wkt"] == "POINT (-1.5 45.56)"
    assert rows[0]["tag:name"] == "'=HYPERLINK(1)"
    assert rows[0]["tag:amenity"] == "bench"
    assert rows[1]["wkt"] == "LINESTRING (5.93 45.56, 5.94 45.56)"
    assert rows[1]["licence"] == "ODbL-1.0"
    assert "OpenStreetMap" in rows[1]["attribution"]
