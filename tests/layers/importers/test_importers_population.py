"""Tests for layers.importers.population: Filosofi grids of every release and generic grids."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyproj
import pytest
from shapely.geometry import box

from layers.importers import population
from layers.importers.population import ImportFormatError, inspire_square, parse_population
from tests.layers.population_data import (
    BOTH_COMMUNES,
    CELLS,
    FILOSOFI_2015,
    FIRST_CELL,
    IMPUTED,
    INHABITANTS,
    TALENCE_PART,
    filosofi_rows,
    write_csv,
)

# 2015 → 2017 names (INSEE renamed the identifiers; 2019 and 2021 write 2017's in lower case).
RENAMED_2017 = {"IdINSPIRE": "Idcar_200m", "Id_carr1km": "Idcar_1km", "I_est_cr": "I_est_200",
                "Id_carr_n": "Idcar_nat", "Depcom": "lcog_geo"}
DROPPED_AFTER_2015 = {"I_pauv", "Id_car2010"}


def _release(tmp_path: Path, year: int) -> Path:
    header, rows = filosofi_rows()
    keep = [i for i, name in enumerate(header) if name not in DROPPED_AFTER_2015]
    names = [RENAMED_2017.get(header[i], header[i]) for i in keep]
    if year >= 2019:
        names = [name.lower() for name in names]
    return write_csv(tmp_path / f"filosofi{year}.csv", names,
                     [[row[i] for i in keep] for row in rows])


def test_the_real_2015_file_is_read_whole() -> None:
    parsed = parse_population(FILOSOFI_2015, zone_wgs84=BOTH_COMMUNES)
    assert (parsed.format, parsed.vintage, parsed.cell_crs) == ("filosofi", "Filosofi 2015",
                                                                  "EPSG:3035")
    assert (parsed.rows, len(parsed.cells), parsed.imputed, parsed.errors) == (
        CELLS, CELLS, IMPUTED, [])
    assert sum(c.population for c in parsed.cells) == pytest.approx(INHABITANTS)
    by_commune = {}
    for cell in parsed.cells:
        by_commune[cell.attributes["commune"]] = by_commune.get(cell.attributes["commune"], 0) + 1
    assert by_commune == {"33522": 183, "33039": 174}


def test_a_cell_square_is_rebuilt_from_its_inspire_code_in_epsg_3035() -> None:
    crs, square = inspire_square(FIRST_CELL)
    assert (crs, square.bounds) == ("EPSG:3035", (3486400.0, 2467200.0, 3486600.0, 2467400.0))
    parsed = parse_population(FILOSOFI_2015, zone_wgs84=BOTH_COMMUNES)
    cell = next(c for c in parsed.cells if c.code == FIRST_CELL)
    # The README's check: the cell lies at about 44.78 N, 0.565 W, in Bègles.
    assert cell.polygon.centroid.y == pytest.approx(44.786, abs=0.003)
    assert cell.polygon.centroid.x == pytest.approx(-0.565, abs=0.003)
    assert cell.attributes["commune"] == "33039"
    # Back in EPSG:3035 the WGS84 polygon is the 200 m square again (to the centimetre).
    to_laea = pyproj.Transformer.from_crs(4326, 3035, always_xy=True)
    xs, ys = to_laea.transform(*cell.polygon.exterior.xy)
    assert (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)) == (
        3486400.0, 2467200.0, 3486600.0, 2467400.0)


@pytest.mark.parametrize(("year", "vintage"), [(2017, "Filosofi 2017"),
                                               (2019, "Filosofi 2019 or later"),
                                               (2021, "Filosofi 2019 or later")])
def test_later_releases_spell_columns_otherwise_and_give_the_same_cells(
    tmp_path: Path, year: int, vintage: str,
) -> None:
    reference = parse_population(FILOSOFI_2015, zone_wgs84=TALENCE_PART)
    parsed = parse_population(_release(tmp_path, year), zone_wgs84=TALENCE_PART)
    assert parsed.vintage == vintage
    assert [(c.code, c.population, c.imputed, c.zone_share) for c in parsed.cells] == [
        (c.code, c.population, c.imputed, c.zone_share) for c in reference.cells]
    assert parsed.cells[0].attributes["commune"] == reference.cells[0].attributes["commune"]
    assert parsed.cells[0].attributes["ind_25_39"] == reference.cells[0].attributes["ind_25_39"]


def test_cells_outside_the_zone_are_left_out_and_edge_cells_carry_their_share() -> None:
    parsed = parse_population(FILOSOFI_2015, zone_wgs84=TALENCE_PART)
    assert parsed.rows == CELLS
    assert 0 < len(parsed.cells) < CELLS
    shares = [c.zone_share for c in parsed.cells]
    assert all(0 < s <= 1 for s in shares)
    assert any(s < 1 for s in shares)
    # A share is the cell's area in the zone: recompute one in EPSG:3035 (equal-area).
    edge = next(c for c in parsed.cells if c.zone_share < 0.9)
    _crs, square = inspire_square(edge.code)
    to_laea = pyproj.Transformer.from_crs(4326, 3035, always_xy=True)
    from shapely.ops import transform

    zone = transform(to_laea.transform, TALENCE_PART)
    assert edge.zone_share == pytest.approx(square.intersection(zone).area / 40_000, abs=1e-4)


def test_a_french_excel_csv_with_semicolons_decimal_commas_and_cp1252_is_read(
    tmp_path: Path,
) -> None:
    header, rows = filosofi_rows()
    french = [[value.replace(".", ",") for value in row] for row in rows]
    path = write_csv(tmp_path / "excel.csv", header, french, delimiter=";", encoding="cp1252")
    parsed = parse_population(path, zone_wgs84=BOTH_COMMUNES)
    assert len(parsed.cells) == CELLS
    assert sum(c.population for c in parsed.cells) == pytest.approx(INHABITANTS)


def test_bad_rows_are_refused_one_by_one_and_the_good_ones_kept(tmp_path: Path) -> None:
    header, rows = filosofi_rows()
    rows = [list(row) for row in rows[:6]]
    ind = header.index("Ind")
    rows[1][0] = "N2467200E3486600"  # not an INSPIRE code
    rows[2][ind] = "-3"
    rows[3][ind] = "beaucoup"
    rows[4] = rows[0]  # the same cell again
    rows.append(rows[5][:5])  # a truncated line
    parsed = parse_population(write_csv(tmp_path / "bad.csv", header, rows),
                              zone_wgs84=BOTH_COMMUNES)
    assert parsed.rows == 7
    assert [c.code for c in parsed.cells] == [rows[0][0], rows[5][0]]
    reasons = {e.row: e.reason for e in parsed.errors}
    assert sorted(reasons) == [2, 3, 4, 5, 7]
    assert "not an INSPIRE cell code" in reasons[2]
    assert "negative" in reasons[3]
    assert "not a number" in reasons[4]
    assert "appears twice" in reasons[5]
    assert "fewer values" in reasons[7]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty file"),
    (b"a,b\n1,2\n", "no population column"),
    (b"population,name\n12,x\n", "no cell code column"),
    (b"IdINSPIRE,Ind\n", "no data row"),
    (b"SQLite format 3\x00" + b"\x00" * 200, "not a readable GeoPackage"),
])
def test_files_that_cannot_be_read_are_refused_as_a_whole(
    tmp_path: Path, content: bytes, message: str,
) -> None:
    path = tmp_path / "grid.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match=message):
        parse_population(path, zone_wgs84=BOTH_COMMUNES)


@pytest.mark.parametrize(("limit", "value", "message"), [
    ("MAX_ROWS", 100, "more than 100 rows"),
    ("MAX_KEPT", 50, "more than 50 cells in the zone"),
    ("MAX_BYTES", 1000, "larger than"),
])
def test_parsing_is_bounded(monkeypatch: pytest.MonkeyPatch, limit: str, value: int,
                            message: str) -> None:
    monkeypatch.setattr(population, limit, value)
    with pytest.raises(ImportFormatError, match=message):
        parse_population(FILOSOFI_2015, zone_wgs84=BOTH_COMMUNES)


def test_errors_beyond_the_listed_ones_are_counted(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setattr(population, "MAX_ERRORS", 3)
    path = tmp_path / "bad.csv"
    path.write_text("IdINSPIRE,Ind\n" + "x,1\n" * 10, encoding="utf-8")
    parsed = parse_population(path, zone_wgs84=BOTH_COMMUNES)
    assert (len(parsed.errors), parsed.errors_not_listed, parsed.cells) == (3, 7, [])


def test_a_generic_csv_with_wkt_polygons_in_lambert_93(tmp_path: Path) -> None:
    to_l93 = pyproj.Transformer.from_crs(4326, 2154, always_xy=True)
    x, y = to_l93.transform(-0.59, 44.80)
    lines = ["id;population;imputed;wkt"]
    for n, (dx, dy, people) in enumerate([(0, 0, 120), (500, 0, 0.5), (90_000, 0, 40)]):
        square = box(x + dx, y + dy, x + dx + 250, y + dy + 250)
        lines.append(f"iris-{n};{people};{int(n == 1)};{square.wkt}")
    path = tmp_path / "grid.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = parse_population(path, zone_wgs84=BOTH_COMMUNES, crs="EPSG:2154")
    assert parsed.format == "generic"
    assert [(c.code, c.population, c.imputed, c.zone_share) for c in parsed.cells] == [
        ("iris-0", 120.0, False, 1.0), ("iris-1", 0.5, True, 1.0)]  # the third is 90 km away
    assert parsed.cells[0].polygon.contains(box(-0.5899, 44.8001, -0.5898, 44.8002))


def test_a_generic_csv_names_its_population_column(tmp_path: Path) -> None:
    path = tmp_path / "grid.csv"
    path.write_text(f"cell,habitants\n{FIRST_CELL},42\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="no population column"):
        parse_population(path, zone_wgs84=BOTH_COMMUNES)
    parsed = parse_population(path, zone_wgs84=BOTH_COMMUNES, population_column="Habitants")
    assert [(c.code, c.population) for c in parsed.cells] == [(FIRST_CELL, 42.0)]


def _filosofi_gpkg(path: Path) -> Path:
    """A GeoPackage like INSEE's 2019 one: lower-case columns, squares in Lambert-93."""
    header, rows = filosofi_rows()
    frame = gpd.GeoDataFrame(
        [dict(zip([h.lower() for h in header], row, strict=True)) for row in rows[:40]],
        geometry=[inspire_square(row[0])[1] for row in rows[:40]], crs="EPSG:3035")
    for column in ("ind", "men", "i_est_cr"):
        frame[column] = frame[column].astype(float)
    frame = frame.rename(columns={"idinspire": "idcar_200m", "i_est_cr": "i_est_200"})
    pyogrio.write_dataframe(frame.to_crs(2154), path, layer="carreaux_200m_met", driver="GPKG")
    return path


def test_a_filosofi_geopackage_is_read_without_gdal(tmp_path: Path) -> None:
    parsed = parse_population(_filosofi_gpkg(tmp_path / "filosofi.gpkg"),
                              zone_wgs84=BOTH_COMMUNES)
    reference = parse_population(FILOSOFI_2015, zone_wgs84=BOTH_COMMUNES)
    assert parsed.vintage == "Filosofi 2019 or later"
    assert [(c.code, c.population, c.imputed) for c in parsed.cells] == [
        (c.code, c.population, c.imputed) for c in reference.cells[:40]]


def test_a_generic_geopackage_with_polygons_and_a_pop_column(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"name": ["a", "b"], "pop": [10.0, 20.0]},
                             geometry=[box(-0.60, 44.80, -0.59, 44.81),
                                       box(-0.40, 44.80, -0.39, 44.81)], crs="EPSG:4326")
    path = tmp_path / "grid.gpkg"
    pyogrio.write_dataframe(frame, path, layer="grid", driver="GPKG")
    with sqlite3.connect(path) as db:  # the first feature table is the one read
        assert db.execute("SELECT count(*) FROM gpkg_geometry_columns").fetchone() == (1,)
    parsed = parse_population(path, zone_wgs84=BOTH_COMMUNES)
    assert [(c.code, c.population, c.zone_share) for c in parsed.cells] == [("1", 10.0, 1.0)]
