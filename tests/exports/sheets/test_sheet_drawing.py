"""Drawing a square's map: scale bar, true north, street classes, names on the PDF (pure)."""

from __future__ import annotations

import io

import pypdf
import pyproj
import pytest
from shapely.geometry import LineString, Point, box

from exports.sheets.context import SheetContext, SheetStreet, SheetSymbol
from exports.sheets.drawing import nice_bar_m, north_angle_deg, street_class
from exports.sheets.pdf import SheetPage, field_sheets_pdf


@pytest.mark.parametrize(("frame_m", "bar_m"), [(116, 25), (58, 10), (232, 50), (1160, 250),
                                                (10, 5)])
def test_scale_bar_is_a_round_quarter(frame_m, bar_m):
    assert nice_bar_m(frame_m) == bar_m


@pytest.mark.parametrize(("kind", "drawn"), [("tertiary", "major"), ("residential", "street"),
                                             ("service", "service"), ("footway", "path"),
                                             ("steps", "path"), ("unknown_value", "service")])
def test_street_classes(kind, drawn):
    assert street_class(kind) == drawn


def test_true_north_is_about_two_degrees_off_lambert_93_in_chambery():
    forward = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    # Meridian convergence ≈ (lon - 3°) * sin(lat): 2.1° at 5.93° E, 45.57° N.
    assert north_angle_deg(forward.transform, 5.93, 45.566) == pytest.approx(-2.1, abs=0.15)


def test_the_page_names_its_streets_and_the_osm_kinds_in_the_legend():
    square = box(0, 0, 100, 100)
    context = SheetContext(
        streets=(SheetStreet(LineString([(-10, 50), (110, 50)]), "Rue de Boigne", "residential"),
                 SheetStreet(LineString([(30, -10), (30, 110)]), "Allée des Écoles", "tertiary"),
                 SheetStreet(LineString([(70, -10), (70, 40)]), "", "footway")),
        buildings=(box(40, 60, 60, 80),),
        symbols=(SheetSymbol(Point(80, 80), "amenity/bench", "Banc"),),
        has_extract=True,
    )
    page = SheetPage(label="A1", square=square, zone=box(-500, -500, 500, 500), context=context)
    pdf = pypdf.PdfReader(io.BytesIO(field_sheets_pdf([page], event_name="Test",
                                                      join_url="https://x.fr/#code=A")))
    text = pdf.pages[0].extract_text()
    for expected in ("Rue de Boigne", "Allée des Écoles", "Banc", "Legend",
                     "© OpenStreetMap contributors, ODbL", "25 m"):
        assert expected in text
    assert "No OpenStreetMap extract" not in text


def test_a_name_too_long_for_its_street_is_left_out():
    square = box(0, 0, 100, 100)
    stub = SheetStreet(LineString([(50, 50), (53, 50)]), "Boulevard du Théâtre", "residential")
    page = SheetPage(label="A1", square=square, zone=square,
                     context=SheetContext(streets=(stub,), has_extract=True))
    pdf = pypdf.PdfReader(io.BytesIO(field_sheets_pdf([page], event_name="Test",
                                                      join_url="https://x.fr/")))
    assert "Boulevard du Théâtre" not in pdf.pages[0].extract_text()
