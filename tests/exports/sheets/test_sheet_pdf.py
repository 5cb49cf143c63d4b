"""Printable field sheets: the PDF opens, one page per square, the QR code opens the join URL."""

from __future__ import annotations

import io

import pypdf
import pytest
import zxingcpp

from exports.sheets.pdf import field_sheets_pdf
from exports.sheets.selectors import field_sheet_pages
from mapping.services import feature_submit
from mapping.services.grid import cell_assign, grid_create, team_create
from tests.geometries import INSIDE, SHORT_LINE

pytestmark = pytest.mark.django_db
JOIN_URL = "https://carto.example.fr/events/chambery/#code=SAVOIE73"


def decoded_qr_codes(page: pypdf.PageObject) -> list[str]:
    """Decode every QR code among the page's images (zxing-cpp, not our own encoder)."""
    texts = []
    for image in page.images:
        texts += [r.text for r in zxingcpp.read_barcodes(image.image)]
    return texts


def test_one_page_per_square_with_a_qr_code_to_join(event, organiser, author):
    cells = grid_create(event=event, actor=organiser, size_m=100)
    team = team_create(event=event, actor=organiser, name="Les Charmettes")
    cell_assign(cell=cells[0], actor=organiser, team=team)
    feature_submit(event=event, author=author, geometry=INSIDE,
                   tags={"amenity": "bench", "name": "Banc du square"})
    feature_submit(event=event, author=author, geometry=SHORT_LINE, tags={"highway": "footway"})
    pages = field_sheet_pages(event=event, language="en")
    assert len(pages) == len(cells)
    assert sum(len(p.features) for p in pages) >= 2

    pdf = pypdf.PdfReader(io.BytesIO(field_sheets_pdf(pages, event_name=event.name,
                                                      join_url=JOIN_URL)))
    assert len(pdf.pages) == len(cells)
    for number, page in enumerate(pdf.pages):
        assert decoded_qr_codes(page) == [JOIN_URL]
        text = page.extract_text()
        assert f"Square {pages[number].label}" in text
    texts = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Banc du square" in texts
    assert "highway=footway" in texts
    assert "Les Charmettes" in pdf.pages[0].extract_text()


def test_no_grid_still_gives_a_valid_pdf(event):
    pages = field_sheet_pages(event=event, language="en")
    pdf = pypdf.PdfReader(io.BytesIO(field_sheets_pdf(pages, event_name=event.name,
                                                      join_url=JOIN_URL)))
    assert len(pdf.pages) == 1
    assert "no grid yet" in pdf.pages[0].extract_text()


def test_a_soundscape_page_follows_when_the_event_offers_it(event):
    pages = field_sheet_pages(event=event, language="en")
    pdf = pypdf.PdfReader(io.BytesIO(field_sheets_pdf(pages, event_name=event.name,
                                                      join_url=JOIN_URL, soundscape=True)))
    assert len(pdf.pages) == 2
    text = pdf.pages[1].extract_text()
    assert "Soundscape questionnaire (ISO/TS 12913-2)" in text
    for word in ("Pleasant", "Chaotic", "Vibrant", "Uneventful", "Calm", "Annoying", "Eventful",
                 "Monotonous", "How loud is it here?"):
        assert text.count(word) == 2  # two blank answers a page
    assert "pleasant … monotonous, loudness, overall" in text
