"""The Talence–Bègles demo: real population grid, made-up participation, labelled as a demo."""

from __future__ import annotations

import pytest

from layers.models_population import PopulationCell
from layers.representativity.document import Query
from layers.selectors_representativity import event_representativity
from layers.services.demo_representativity import SLUG, representativity_demo_load
from mapping.models import Contributor, MappedFeature, NuisanceReport
from mapping.models_profile import ParticipantProfile
from tests.layers.population_data import CELLS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the demo once for the module and roll it back afterwards."""
    with django_db_blocker.unblock():
        from django.db import transaction

        from mapping.services.demo import demo_load

        with transaction.atomic():
            demo_load()  # the demo organiser, who lays out the task grid
            yield representativity_demo_load()
            transaction.set_rollback(True)


def test_the_demo_says_it_is_one_and_carries_the_real_grid(demo) -> None:  # type: ignore[no-untyped-def]
    assert demo.event.slug == SLUG
    assert "DÉMO" in demo.event.name
    assert "fictifs" in demo.event.description
    assert "Insee, Filosofi 2015" in demo.event.description
    assert PopulationCell.objects.filter(grid__event=demo.event).count() == CELLS == demo.cells


def test_loading_it_again_stores_nothing_new(demo) -> None:  # type: ignore[no-untyped-def]
    models = (Contributor, MappedFeature, NuisanceReport, ParticipantProfile, PopulationCell)
    before = [m.objects.count() for m in models]
    again = representativity_demo_load()
    assert not again.created
    assert again.contributions == demo.contributions
    assert [m.objects.count() for m in models] == before


def test_its_indicators_tell_the_story_of_a_first_carto_party(demo) -> None:  # type: ignore[no-untyped-def]
    doc = event_representativity(event=demo.event, public=False, query=Query(), k=5).document
    coverage, concentration, time = doc["coverage"], doc["concentration"], doc["time"]
    assert 150 < coverage["contributions"] < 400
    assert 0 < coverage["covered"] < coverage["populated_cells"] / 2  # many blank spots
    assert coverage["inhabitants_in_blank_spots"] > coverage["inhabitants"] / 2
    assert concentration["top10_share"] > 0.3  # a few enthusiasts
    assert set(concentration["per_channel"]) >= {"self", "mediator", "paper"}
    assert concentration["per_channel"]["mediator"]["contributors"] == 9
    assert time["after_window"] > 0
    assert time["inside_window"] > time["after_window"]
    assert time["peak_hour"] in range(10, 17)
    assert coverage["task_squares"]["squares"] > 50
    declared = doc["profile"]["declared"]
    assert declared["respondents"] >= 20
    assert doc["profile"]["population"]["age_band"]["25_39"] > 0


def test_its_public_variant_hides_small_groups(demo) -> None:  # type: ignore[no-untyped-def]
    doc = event_representativity(event=demo.event, public=True, query=Query(), k=5).document
    areas = [f["properties"] for f in doc["coverage"]["areas"]["features"]]
    assert all(a["contributors"] in (None, 0) or a["contributors"] >= 5 for a in areas)
    assert any(a["status"] == "suppressed" for a in areas)
    assert doc["profile"]["declared"] is None
    assert doc["coverage"]["contributions"] > 100
