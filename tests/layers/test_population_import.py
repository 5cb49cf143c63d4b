"""Tests for layers.services.population and ``cartoparty import_population``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from layers.models_population import PopulationCell, PopulationGrid
from layers.services.population import population_import
from mapping.errors import InvalidInput
from tests.conftest import make_event
from tests.layers.population_data import (
    CELLS,
    FILOSOFI_2015,
    IMPUTED,
    INHABITANTS,
    TALENCE_PART,
    filosofi_rows,
    write_csv,
    zone_geojson,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def talence_begles():  # type: ignore[no-untyped-def]
    return make_event("talence-begles", zone_geojson=zone_geojson())


def test_the_real_grid_is_stored_with_inseess_attribution(talence_begles) -> None:  # type: ignore[no-untyped-def]
    summary = population_import(event=talence_begles, path=FILOSOFI_2015)
    assert (summary.rows, summary.kept, summary.imputed, summary.new) == (
        CELLS, CELLS, IMPUTED, CELLS)
    assert summary.inhabitants == pytest.approx(INHABITANTS)
    grid = PopulationGrid.objects.get(event=talence_begles)
    assert grid.attribution == "Source : Insee, Filosofi 2015, données carroyées à 200 m"
    assert grid.cells.count() == CELLS
    assert grid.cells.filter(imputed=True).count() == IMPUTED
    cell = grid.cells.get(code="CRS3035RES200mN2467200E3486400")
    assert (cell.population, cell.households, cell.attributes["ind_25_39"]) == (175.0, 99.0, 68.0)


def test_importing_the_same_file_twice_stores_nothing_new(talence_begles) -> None:  # type: ignore[no-untyped-def]
    population_import(event=talence_begles, path=FILOSOFI_2015)
    again = population_import(event=talence_begles, path=FILOSOFI_2015)
    assert (again.new, again.updated, again.unchanged, again.removed) == (0, 0, CELLS, 0)
    assert PopulationCell.objects.count() == CELLS
    assert len(PopulationGrid.objects.get().sources) == 1


def test_only_the_cells_of_the_zone_are_kept_weighted_by_their_share() -> None:
    event = make_event("talence-part", zone_geojson=zone_geojson(TALENCE_PART))
    summary = population_import(event=event, path=FILOSOFI_2015)
    assert summary.rows == CELLS
    assert 0 < summary.kept < CELLS
    cells = list(PopulationCell.objects.filter(grid__event=event))
    assert len(cells) == summary.kept
    assert summary.inhabitants == pytest.approx(sum(c.population * c.zone_share for c in cells))
    assert summary.inhabitants < sum(c.population for c in cells)


def test_a_later_release_updates_cells_and_replace_removes_the_others(  # type: ignore[no-untyped-def]
    talence_begles, tmp_path: Path,
) -> None:
    population_import(event=talence_begles, path=FILOSOFI_2015)
    header, rows = filosofi_rows()
    names = [h.lower().replace("idinspire", "idcar_200m").replace("i_est_cr", "i_est_200")
             for h in header]
    ind = header.index("Ind")
    later = [list(row) for row in rows[:10]]
    later[0][ind] = "180"
    path = write_csv(tmp_path / "filosofi2019.csv", names, later)
    summary = population_import(event=talence_begles, path=path, replace=True)
    assert (summary.new, summary.updated, summary.unchanged, summary.removed) == (0, 1, 9,
                                                                                   CELLS - 10)
    grid = PopulationGrid.objects.get()
    assert grid.cells.count() == 10
    assert grid.cells.get(code=rows[0][0]).population == 180.0
    assert grid.vintage == "Filosofi 2019 or later"
    assert [s["file"] for s in grid.sources] == ["filosofi2019.csv"]


def test_a_file_with_no_cell_in_the_zone_writes_nothing(tmp_path: Path) -> None:
    event = make_event("chambery")  # the Chambéry zone, 500 km from Bègles
    with pytest.raises(InvalidInput, match="No cell of filosofi2015"):
        population_import(event=event, path=FILOSOFI_2015)
    assert not PopulationGrid.objects.exists()


def test_an_unreadable_file_is_refused_by_name(talence_begles, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "grid.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no population column") as caught:
        population_import(event=talence_begles, path=path)
    assert caught.value.field == "file"


def test_the_command_prints_cells_read_kept_and_imputed(talence_begles, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header, rows = filosofi_rows()
    rows = [list(row) for row in rows]
    rows[3][header.index("Ind")] = "n/a"
    path = write_csv(tmp_path / "filosofi.csv", header, rows)
    out = io.StringIO()
    call_command("import_population", str(path), "--event", "talence-begles",
                 "--errors", str(tmp_path / "refused.csv"), stdout=out)
    text = out.getvalue()
    assert f"cells read: {CELLS}, kept (inside the zone): {CELLS - 1}, imputed: " in text
    assert "refused: row 4: ind: 'n/a' is not a number" in text
    with (tmp_path / "refused.csv").open(encoding="utf-8") as handle:
        assert list(csv.reader(handle))[1] == ["filosofi.csv", "4", "ind: 'n/a' is not a number"]
    out = io.StringIO()
    call_command("import_population", str(path), "--event", "talence-begles", stdout=out)
    assert f"stored: 0 new, 0 updated, {CELLS - 1} unchanged, 0 removed" in out.getvalue()


def test_the_command_names_an_unknown_event() -> None:
    with pytest.raises(CommandError, match="No carto-party called 'nowhere'"):
        call_command("import_population", str(FILOSOFI_2015), "--event", "nowhere")
