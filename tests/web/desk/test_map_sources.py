"""The desk maps' decision: GeoJSON pages or the data's vector tiles, with which URLs (issue 11)."""

from __future__ import annotations

import json
import re

import mapbox_vector_tile
import mercantile
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from exports.selectors_tiles import RECENT
from mapping.models import EventRole
from tests.factories import EventRoleFactory, MappedFeatureFactory, NuisanceReportFactory
from tests.geometries import INSIDE
from web.desk.map_sources import PUBLIC_STATUSES, map_sources

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_tiles():  # type: ignore[no-untyped-def]
    cache.clear()
    RECENT.clear()
    yield
    RECENT.clear()


def island(html: str, name: str) -> dict:  # type: ignore[type-arg]
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no {name} island"
    return json.loads(found.group(1))


def officer_client(event) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(EventRoleFactory(event=event, user__username="sig",
                                        role=EventRole.Role.OFFICER).user)
    return client


def test_default_threshold_is_2000():
    assert django_settings.MAP_TILES_ABOVE == 2000


@pytest.mark.parametrize(("features", "mode"), [(2, "geojson"), (3, "tiles")])
def test_a_layer_reads_tiles_only_above_the_threshold(event, settings, features, mode):
    settings.MAP_TILES_ABOVE = 2
    MappedFeatureFactory.create_batch(features, event=event)
    NuisanceReportFactory.create_batch(2, event=event)
    found = map_sources(event=event, audience="officer")
    assert found["threshold"] == 2
    assert found["layers"]["features"]["mode"] == mode
    assert found["layers"]["features"]["count"] == features
    # Per layer: the reports, at the threshold, stay GeoJSON whatever the features do.
    assert found["layers"]["reports"]["mode"] == "geojson"


def test_officer_urls_tiles_and_lists_with_the_session(event, settings):
    settings.MAP_TILES_ABOVE = 1
    NuisanceReportFactory.create_batch(2, event=event)
    MappedFeatureFactory(event=event)
    found = map_sources(event=event, audience="officer")
    assert found["credentials"] == "same-origin"  # the officer's session: exact places
    assert found["statuses"] == []
    assert found["layers"]["reports"] == {
        "mode": "tiles", "count": 2, "url": "/tiles/chambery/reports.json",
        "item_url": "/api/v1/events/chambery/reports/{id}/",
    }
    assert found["layers"]["features"] == {
        "mode": "geojson", "count": 1, "url": "/api/v1/events/chambery/features/",
        "item_url": "/api/v1/events/chambery/features/{id}/",
    }


def test_the_widget_counts_and_lists_only_what_it_shows(event, settings):
    settings.MAP_TILES_ABOVE = 2
    MappedFeatureFactory.create_batch(5, event=event)  # received: not in the widget
    MappedFeatureFactory.create_batch(2, event=event, status="accepted")
    NuisanceReportFactory.create_batch(2, event=event, status="accepted")
    NuisanceReportFactory(event=event, status="exported")
    found = map_sources(event=event, audience="public")
    assert found["credentials"] == "omit"  # never a session: the public view for everyone
    assert found["statuses"] == list(PUBLIC_STATUSES) == ["accepted", "exported"]
    assert found["layers"]["features"]["mode"] == "geojson"
    assert found["layers"]["features"]["count"] == 2
    assert found["layers"]["features"]["url"] == (
        "/api/v1/events/chambery/features/?status=accepted,exported")
    assert found["layers"]["reports"]["mode"] == "tiles"
    assert found["layers"]["reports"]["count"] == 3
    assert found["layers"]["reports"]["url"] == "/tiles/chambery/reports.json"


def test_officer_page_carries_the_decision_and_says_which_filters_apply(event, settings):
    settings.MAP_TILES_ABOVE = 1
    MappedFeatureFactory.create_batch(2, event=event)
    html = officer_client(event).get(reverse("desk:officer", args=[event.slug])).content.decode()
    sources = island(html, "map-sources")
    assert sources["layers"]["features"]["mode"] == "tiles"
    assert sources["layers"]["reports"]["mode"] == "geojson"
    assert 'id="tiles-features-note"' in html
    assert "only the status filter applies" in html
    assert 'id="tiles-figures-note"' in html


def test_small_officer_page_has_no_tile_notes(event):
    MappedFeatureFactory.create_batch(3, event=event)
    html = officer_client(event).get(reverse("desk:officer", args=[event.slug])).content.decode()
    assert {layer["mode"] for layer in island(html, "map-sources")["layers"].values()} == {
        "geojson"}
    assert "tiles-features-note" not in html
    assert "tiles-figures-note" not in html


def test_widget_opened_by_a_signed_in_officer_is_still_public(event, settings):
    settings.MAP_TILES_ABOVE = 0
    NuisanceReportFactory(event=event, status="accepted")
    client = officer_client(event)
    html = client.get(reverse("embed:map", args=[event.slug])).content.decode()
    sources = island(html, "map-sources")
    assert sources["credentials"] == "omit"
    assert sources["layers"]["reports"]["mode"] == "tiles"
    # What the widget's tile requests get (no cookie sent): the coarsened places.
    tile = mercantile.tile(*INSIDE["coordinates"], 16)
    path = f"/tiles/{event.slug}/reports/{tile.z}/{tile.x}/{tile.y}.mvt"
    public = mapbox_vector_tile.decode(Client().get(path).content)["reports"]["features"]
    assert [f["properties"]["coarsened"] for f in public] == [True]
    exact = mapbox_vector_tile.decode(client.get(path).content)["reports"]["features"]
    assert [f["properties"]["coarsened"] for f in exact] == [False]


def test_the_tilejson_the_config_names_serves_the_layer(event, settings):
    settings.MAP_TILES_ABOVE = 0
    MappedFeatureFactory(event=event, status="accepted")
    sources = map_sources(event=event, audience="public")
    body = Client().get(sources["layers"]["features"]["url"]).json()
    assert [layer["id"] for layer in body["vector_layers"]] == ["features"]
    assert body["tiles"][0].endswith(f"/tiles/{event.slug}/features/{{z}}/{{x}}/{{y}}.mvt")


@pytest.mark.parametrize("signed_in", [False, True])
def test_report_tiles_carry_what_the_tooltip_and_filters_read(event, signed_in):
    """Category, intensity, status and observed_at (UTC ISO text: the officer's date filter
    compares its first 19 characters); the public tile, the public list's values."""
    NuisanceReportFactory(event=event, status="accepted", category="noise", intensity=4)
    client = officer_client(event) if signed_in else Client()
    tile = mercantile.tile(*INSIDE["coordinates"], 16)
    data = client.get(f"/tiles/{event.slug}/reports/{tile.z}/{tile.x}/{tile.y}.mvt").content
    (props,) = [f["properties"] for f in mapbox_vector_tile.decode(data)["reports"]["features"]]
    (listed,) = client.get(f"/api/v1/events/{event.slug}/reports/").json()["features"]
    assert props["category"] == "noise"
    assert props["intensity"] == 4
    assert props["status"] == "accepted"
    assert props["observed_at"] == listed["properties"]["observed_at"]
    assert props["observed_at"].endswith("+00:00")
    # Privacy: the public tile holds no field the public list does not.
    assert set(props) <= set(listed["properties"]) | {"id"}


def test_the_tile_notes_are_in_french(event, settings):
    settings.MAP_TILES_ABOVE = 0
    MappedFeatureFactory(event=event)
    client = officer_client(event)
    html = client.get(reverse("desk:officer", args=[event.slug]),
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "seul le filtre de statut s’applique" in html
    assert "les chiffres comptent ce que la carte montre à l’écran" in html


def test_the_decision_costs_two_counts(event, django_assert_num_queries):
    MappedFeatureFactory(event=event)
    with django_assert_num_queries(2):
        map_sources(event=event, audience="public")


def test_the_citizen_map_counts_every_status_and_reads_public_tiles(event, settings):
    """The citizen map's lists ask for no status: every one counts; its tiles never carry
    the session (others' contributions, public and coarsened)."""
    settings.MAP_TILES_ABOVE = 2
    MappedFeatureFactory.create_batch(3, event=event)  # received: on the citizen map
    NuisanceReportFactory.create_batch(2, event=event, status="accepted")
    found = map_sources(event=event, audience="citizen")
    assert found["credentials"] == "omit"
    assert found["statuses"] == []
    assert found["layers"]["features"] == {
        "mode": "tiles", "count": 3, "url": "/tiles/chambery/features.json",
        "item_url": "/api/v1/events/chambery/features/{id}/",
    }
    assert found["layers"]["reports"]["mode"] == "geojson"
    assert found["layers"]["reports"]["url"] == "/api/v1/events/chambery/reports/"


@pytest.mark.parametrize(("above", "mode"), [(None, "geojson"), (0, "tiles")])
def test_the_citizen_map_page_carries_the_decision(event, settings, above, mode):
    if above is not None:
        settings.MAP_TILES_ABOVE = above
    MappedFeatureFactory(event=event)
    NuisanceReportFactory(event=event)
    html = Client().get(reverse("pages:event-map", args=[event.slug])).content.decode()
    sources = island(html, "map-sources")
    assert {layer["mode"] for layer in sources["layers"].values()} == {mode}
    assert sources["credentials"] == "omit"
