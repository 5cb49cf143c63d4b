"""Field sheets of the demo carto-party: the OSM context is on the paper (streets, names…)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from django.urls import reverse

from exports.services import osm_context_import
from exports.sheets.selectors import sheet_context_of
from mapping.models import EventRole, GridCell
from mapping.services.demo import DEMO_OSM, ORGANISER, demo_load
from mapping.services.grid import grid_create

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def demo_event(django_user_model):
    event = demo_load().event
    osm_context_import(event=event, path=DEMO_OSM)  # what `cartoparty demo` does
    organiser = django_user_model.objects.get(username=ORGANISER)
    assert EventRole.objects.filter(event=event, user=organiser, role="organiser").exists()
    grid_create(event=event, actor=organiser, size_m=100)
    return event


@pytest.fixture
def demo_client(client, demo_event, django_user_model):
    client.force_login(django_user_model.objects.get(username=ORGANISER))
    return client


def sheets(client, event, language: str = "fr") -> pypdf.PdfReader:
    response = client.get(reverse("desk:field-sheets", args=[event.slug]),
                          HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"field-sheets-{language}.pdf").write_bytes(response.content)
    return pypdf.PdfReader(io.BytesIO(response.content))


def test_demo_sheets_name_the_streets_of_the_extract(demo_client, demo_event):
    pdf = sheets(demo_client, demo_event)
    assert len(pdf.pages) == GridCell.objects.filter(event=demo_event).count()
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for street in ("Rue de Warens", "Faubourg Montmélian"):
        assert street in text


def test_demo_sheets_have_legend_credit_and_existing_osm_kinds(demo_client, demo_event):
    pdf = sheets(demo_client, demo_event, "en")
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Legend" in text
    assert "© OpenStreetMap contributors, ODbL" in text
    # 23 trees and a bench are in the extract: their preset names are in the legends.
    assert "Tree" in text
    assert "Bench" in text
    assert "No OpenStreetMap extract" not in text


def test_demo_context_has_streets_buildings_and_preset_elements(demo_event):
    context = sheet_context_of(demo_event, "fr")
    assert context is not None
    assert len(context.buildings) >= 70
    assert {"Rue de Warens", "Chemin du Peney"} <= {s.name for s in context.streets}
    assert {"natural/tree", "amenity/bench"} <= {s.preset_id for s in context.symbols}
    assert "Arbre" in {s.label for s in context.symbols}


def test_an_event_without_extract_says_streets_are_not_drawn(client, event, organiser):
    grid_create(event=event, actor=organiser, size_m=100)
    client.force_login(organiser)
    assert sheet_context_of(event, "en") is None
    pdf = sheets(client, event, "en")
    assert "No OpenStreetMap extract for this event" in pdf.pages[0].extract_text()


def test_any_event_gets_the_streets_and_buildings_it_imported(client, event, organiser):
    # No special case for the demo: the same extract imported into another event.
    osm_context_import(event=event, path=DEMO_OSM)  # the test zone is the demo extract's box
    grid_create(event=event, actor=organiser, size_m=100)
    context = sheet_context_of(event, "en")
    assert context is not None
    assert {"Rue de Warens", "Chemin du Peney"} <= {s.name for s in context.streets}
    assert len(context.buildings) >= 70
    assert "Tree" in {s.label for s in context.symbols}
    client.force_login(organiser)
    pages = sheets(client, event, "en").pages
    text = "\n".join(p.extract_text() for p in pages)
    assert "Already in OpenStreetMap" in text
    assert "Rue de Warens" in text
    assert "No OpenStreetMap extract for this event" not in text
    assert all("© OpenStreetMap contributors" in p.extract_text() for p in pages)
