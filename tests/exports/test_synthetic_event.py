"""A synthetic event of 10,000 features of every geometry kind, checked by osmium and GDAL.

Written once per module (about a second); the 100,000-feature timing lives in bench/.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyogrio
import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from exports import conflation
from exports.geojson import write_geojson
from exports.geopackage import write_gpkg
from exports.osm_xml import write_osm
from exports.osmchange import write_osc
from exports.records import ExportData, ExportMeta
from exports.tags.validation import Validator, blocking
from tests.exports.synthetic import context_elements, records
from tests.exports.tools import fileinfo, needs_gdal, needs_osmium, run

COUNT = 10_000
META = ExportMeta(event_name="Synthetic", event_slug="synthetic")


def kind(geometry) -> str:  # type: ignore[no-untyped-def]
    if isinstance(geometry, Polygon) and not geometry.interiors:
        return "polygon"
    return "relation" if isinstance(geometry, Polygon | MultiPolygon) else type(geometry).__name__


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("synthetic")
    context = context_elements()
    index = conflation.CandidateIndex([])
    validator = Validator(context=context, index=index, presets={})
    assert not any(blocking(validator.check(r)) for r in records(COUNT))
    paths = {ext: folder / f"synthetic.{ext}" for ext in ("osm", "osc", "gpkg", "geojson")}
    with paths["osm"].open("w", encoding="utf-8") as stream:
        write_osm(records(COUNT), stream, meta=META, context=context)
    with paths["osc"].open("w", encoding="utf-8") as stream:
        write_osc(records(COUNT), stream, meta=META, context=context)
    write_gpkg(ExportData(meta=META, features=records(COUNT), tag_columns=("amenity",)),
               paths["gpkg"])
    write_geojson(ExportData(meta=META, features=records(COUNT)), paths["geojson"])
    return paths


def expected() -> Counter[str]:
    return Counter(kind(r.geometry) for r in records(COUNT))


def test_every_geometry_kind_is_there() -> None:
    assert set(expected()) == {"Point", "LineString", "polygon", "relation"}


@needs_osmium
def test_osmium_counts_and_order(exported: dict[str, Path]) -> None:
    info = fileinfo(exported["osm"])["data"]
    assert info["objects_ordered"] is True
    counts = expected()
    assert info["count"]["relations"] == counts["relation"]
    assert run("osmium", "check-refs", "-r", exported["osm"]).returncode == 0


@needs_osmium
def test_osc_applies_onto_an_empty_base(exported: dict[str, Path], tmp_path: Path) -> None:
    base = tmp_path / "base.osm"
    base.write_text("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\"></osm>\n")
    merged = tmp_path / "merged.osm"
    done = run("osmium", "apply-changes", base, exported["osc"], "-o", merged)
    assert done.returncode == 0, done.stderr
    osm, osc = fileinfo(exported["osm"])["data"]["count"], fileinfo(merged)["data"]["count"]
    assert {k: osm[k] for k in ("nodes", "ways", "relations")} == {
        k: osc[k] for k in ("nodes", "ways", "relations")}


@needs_gdal
def test_gdal_builds_the_right_geometry_types(exported: dict[str, Path]) -> None:
    counts = expected()
    env = {"OSM_USE_CUSTOM_INDEXING": "NO"}

    def count(layer: str) -> int:
        out = run("ogrinfo", "-ro", "-q", "-sql", f"SELECT COUNT(*) FROM {layer}",
                  exported["osm"], env=env).stdout
        return int(out.split("=")[-1])

    # points: the new ones only (edited nodes of the synthetic context have tags too)
    assert count("points") == counts["Point"]
    # long lines are split into several ways, each a GDAL line
    assert count("lines") >= counts["LineString"]
    assert count("multipolygons") == counts["polygon"] + counts["relation"]


def test_gpkg_and_geojson_hold_every_feature(exported: dict[str, Path]) -> None:
    assert pyogrio.read_info(exported["gpkg"], layer="features")["features"] == COUNT
    assert pyogrio.read_info(exported["geojson"])["features"] == COUNT
    types = Counter(pyogrio.read_dataframe(exported["gpkg"], layer="features",
                                           columns=[]).geometry.geom_type)
    assert set(types) == {"Point", "LineString", "Polygon", "MultiPolygon"}


def test_records_have_no_author() -> None:
    record = next(records(1))
    assert not hasattr(record, "author")
    assert isinstance(record.geometry, Point | LineString)
