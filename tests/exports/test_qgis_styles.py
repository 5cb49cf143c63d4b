"""The GeoPackage export carries QGIS styles (``layer_styles``): the layers open styled."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from xml.etree import ElementTree as ET

import geopandas as gpd
import pyogrio
from shapely.geometry import Point

from exports.qgis_styles import STYLES, qml, reports_rules
from tests.exports.test_geopackage import export

KIND_OF = {"Point": "marker", "Line": "line", "Polygon": "fill"}


def styles(path: Path) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT f_table_name, f_geometry_column, styleName, styleQML, "
            "useAsDefault, update_time FROM layer_styles ORDER BY id"
        ).fetchall()


def test_each_layer_has_its_default_style_where_qgis_looks(tmp_path: Path) -> None:
    summary = gpd.GeoDataFrame(
        {"code": ["s1"], "laeq_db": [61.5]}, geometry=[Point(5.93, 45.56)], crs="EPSG:4326"
    )
    path = export(tmp_path, summary)
    rows = styles(path)
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("features", "geom", 1),
        ("reports", "geom", 1),
        ("measurements", "geom", 1),
    ]
    for name, column, *_ in rows:
        assert pyogrio.read_info(path, layer=name)["geometry_name"] == column
    with sqlite3.connect(path) as db:
        kind = db.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"
        ).fetchone()
    assert kind == ("attributes",)  # as QGIS writes it: a table, not a map layer


def test_every_style_is_a_rule_renderer_whose_symbols_fit_their_geometry(tmp_path: Path) -> None:
    path = export(
        tmp_path,
        gpd.GeoDataFrame(
            {"code": ["s1"], "laeq_db": [61.5]}, geometry=[Point(5.93, 45.56)], crs="EPSG:4326"
        ),
    )
    layers = {name: gpd.read_file(path, layer=name) for name in STYLES}
    for name, _column, _style_name, text, *_ in styles(path):
        assert text.startswith("<!DOCTYPE qgis")
        root = ET.fromstring(text.split("\n", 1)[1])
        renderer = root.find("renderer-v2")
        assert renderer is not None
        assert renderer.get("type") == "RuleRenderer"
        symbols = {s.get("name"): s for s in renderer.iter("symbol")}
        rules = list(renderer.iter("rule"))
        assert rules
        for rule in rules:
            symbol = symbols[rule.get("symbol")]
            geometry = re.search(r"geometry_type\(\$geometry\) = '(\w+)'", rule.get("filter"))
            if geometry:
                assert symbol.get("type") == KIND_OF[geometry.group(1)], rule.get("label")
            # Every column a filter names is a column of the layer.
            for column in re.findall(r'"(\w+)"', rule.get("filter")):
                assert column in layers[name].columns, (name, column)
            (layer,) = symbol.iter("layer")
            options = {o.get("name"): o.get("value") for o in layer.iter("Option") if o.get("name")}
            assert re.fullmatch(r"\d+,\d+,\d+,\d+", options.get("color") or options["line_color"])


def test_reports_darken_with_intensity() -> None:
    colours = [r.colour for r in reports_rules() if "line" not in r.label]
    assert len(colours) == 5
    reds = [sum(int(c) for c in colour.split(",")) for colour in colours]
    assert reds == sorted(reds, reverse=True)  # 1 pale … 5 dark
    assert "Intensity 5" in qml(reports_rules())
