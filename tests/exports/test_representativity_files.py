"""Tests for exports.representativity: the numbers as a tidy CSV and a GeoPackage."""

from __future__ import annotations

import csv
from pathlib import Path

import pyogrio
import pytest

from exports.representativity import indicator_rows, representativity_files
from layers.representativity.document import representativity
from tests.layers.representativity_data import START, event_data, grid


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    inside = grid()[grid()["zone_share"] == 1].sort_values("population", ascending=False)
    point = inside.geometry.iloc[0].representative_point()
    rows = [(f"p{i}", "web", point.x, point.y, START) for i in range(6)]
    rows.append(("=cmd|' /C calc'!A0", "paper", point.x, point.y, None))
    return representativity(event_data(rows), k=5, public=True)


def test_every_number_has_its_row_named_by_section_item_and_measure(result) -> None:  # type: ignore[no-untyped-def]
    rows = {(s, i, m): v for s, i, m, v in indicator_rows(result.document)}
    assert rows[("time", "by_hour[10]", "contributions")] == 6
    assert rows[("concentration", "per_channel.self", "contributors")] == 6
    assert rows[("concentration", "lorenz[1.0]", "contributions_share")] == 1.0
    assert rows[("suppression", "", "k")] == 5
    assert ("coverage", "blank_spots[0]", "") in rows
    assert not any(item.startswith("cells") for _, item, _ in rows)


def test_the_csv_opens_in_a_spreadsheet_without_running_anything(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.csv"
    count = representativity_files(result, path, event_name="Démo")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["section", "item", "measure", "value"]
    assert len(table) == count + 1
    assert all(not cell.startswith(("=", "+", "@")) for row in table for cell in row)


def test_the_geopackage_has_cells_areas_and_indicators(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.gpkg"
    representativity_files(result, path, event_name="Démo")
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"cells", "areas", "indicators"}
    cells = pyogrio.read_dataframe(path, layer="cells")
    assert len(cells) == len(grid())
    assert set(cells["status"]) <= {"covered", "blank"}
    assert cells.crs.to_epsg() == 4326


def test_only_csv_and_geopackage_are_written(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=r"\.csv or \.gpkg"):
        representativity_files(result, tmp_path / "r.xlsx", event_name="x")
