"""Creating and editing a carto-party from the desk: zone pasted, drawn or uploaded."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from shapely.geometry import shape

from mapping.models import Event, EventRole
from tests.factories import EventRoleFactory, UserFactory
from tests.geometries import ZONE

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "data" / "desk"


@pytest.fixture
def creator():
    user = UserFactory(username="createur")
    user.user_permissions.add(Permission.objects.get(codename="add_event"))
    return user


def form_data(**overrides):
    data = {"name": "Fête du quartier", "slug": "fete-quartier",
            "starts_at": "2026-12-05T14:00", "ends_at": "2026-12-05T18:00",
            "time_zone": "Europe/Paris", "join_code": "FETE73", "description": "",
            "zone_geojson": json.dumps(ZONE), "nuisance_categories": ["noise", "smell"],
            "presets": ["amenity/bench"], "allowed_origins": "https://www.chambery.fr/\n",
            "allow_contribution": "on"}
    return {**data, **overrides}


def test_create_with_a_pasted_zone(client, creator):
    client.force_login(creator)
    response = client.post(reverse("desk:event-new"), form_data())
    assert response.status_code == 302, response.content
    event = Event.objects.get(slug="fete-quartier")
    assert event.nuisance_categories == ["noise", "smell"]
    assert event.widget.allowed_origins == ["https://www.chambery.fr"]
    assert event.widget.allow_contribution
    assert EventRole.objects.filter(event=event, user=creator, role="organiser").exists()


def test_create_with_an_uploaded_geopackage(client, creator):
    # Written by GDAL in Lambert-93, as a GIS officer would have it: the form reprojects.
    path = DATA / "zone_lambert93.gpkg"
    client.force_login(creator)
    upload = SimpleUploadedFile("zone.gpkg", path.read_bytes())
    response = client.post(reverse("desk:event-new"),
                           {**form_data(zone_geojson=""), "zone_file": upload})
    assert response.status_code == 302, response.content
    zone = Event.objects.get(slug="fete-quartier").zone
    assert zone.extent == pytest.approx(shape(ZONE).bounds, abs=1e-6)


def test_errors_are_shown_next_to_fields(client, creator):
    client.force_login(creator)
    response = client.post(reverse("desk:event-new"), form_data(
        zone_geojson='{"type": "Point", "coordinates": [5.93, 45.56]}',
        allowed_origins="https://www.chambery.fr/carte", ends_at="2026-12-05T10:00"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors  # nothing saved, the page says why
    assert not Event.objects.filter(slug="fete-quartier").exists()


@pytest.mark.parametrize(("field", "english", "french"), [
    ("presets", "Choose at least one feature type to offer.",
     "Choisissez au moins un élément à proposer."),
    ("nuisance_categories", "Choose at least one nuisance category to offer.",
     "Choisissez au moins une catégorie de nuisance à proposer."),
])
def test_an_event_offering_nothing_is_refused_on_the_field(client, creator, field, english,
                                                           french):
    """Nothing ticked: the field says what to do, in the reader's language (not the model's
    raw "presets: This field cannot be blank.")."""
    client.force_login(creator)
    response = client.post(reverse("desk:event-new"), {**form_data(), field: []},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [english]
    response = client.post(reverse("desk:event-new"), {**form_data(), field: []},
                           HTTP_ACCEPT_LANGUAGE="fr")
    assert response.context["form"].errors[field] == [french]
    assert not Event.objects.filter(slug="fete-quartier").exists()


def test_bad_upload_is_a_field_error(client, creator):
    client.force_login(creator)
    upload = SimpleUploadedFile("zone.geojson", b"not json at all")
    response = client.post(reverse("desk:event-new"),
                           {**form_data(zone_geojson=""), "zone_file": upload})
    assert "zone_file" in response.context["form"].errors


def test_users_without_the_permission_cannot_create(client):
    client.force_login(UserFactory(username="simple"))
    assert client.get(reverse("desk:event-new")).status_code == 403


def test_edit_keeps_the_slug_and_changes_the_rest(client, event, organiser):
    client.force_login(organiser)
    url = reverse("desk:event-edit", args=[event.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(slug="ignored", name="Nouveau nom",
                                          allowed_origins="http://localhost:8081"))
    assert response.status_code == 302, response.content
    event.refresh_from_db()
    assert (event.slug, event.name, event.join_code) == ("chambery", "Nouveau nom", "FETE73")
    assert event.widget.allowed_origins == ["http://localhost:8081"]


def test_another_events_organiser_cannot_edit(client, event, other_event):
    user = EventRoleFactory(event=other_event, user__username="autre", role="organiser").user
    client.force_login(user)
    assert client.get(reverse("desk:event-edit", args=[event.slug])).status_code == 403


def test_event_page_shows_the_widget_snippet(client, event, organiser):
    client.force_login(organiser)
    response = client.get(reverse("desk:event", args=[event.slug]))
    assert response.status_code == 200
    assert b"/embed/chambery/widget.js" in response.content
    assert response["X-Frame-Options"] == "DENY"


BIG_ZONE = {"type": "Polygon", "coordinates": [[[5.0, 45.0], [6.0, 45.0], [6.0, 46.0],
                                                 [5.0, 46.0], [5.0, 45.0]]]}


@pytest.mark.parametrize(("change", "field"), [
    ({"presets": [], "nuisance_categories": []}, "presets"),  # nothing offered any more
    ({"time_zone": "Nowhere/Land"}, "time_zone"),
    ({"zone_geojson": json.dumps(BIG_ZONE)}, "zone_geojson"),  # ~8,700 km²
])
def test_edit_refuses_what_creation_refuses_with_a_form_error(client, event, organiser,
                                                              change, field):
    client.force_login(organiser)
    before = (event.name, event.time_zone, event.zone.wkt, event.presets)
    response = client.post(reverse("desk:event-edit", args=[event.slug]),
                           form_data(name="Nouveau nom", **change))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    event.refresh_from_db()
    assert (event.name, event.time_zone, event.zone.wkt, event.presets) == before


def test_organiser_offers_the_soundscape_questionnaire(client, event, organiser):
    client.force_login(organiser)
    url = reverse("desk:event-edit", args=[event.slug])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "questionnaire d" in page  # the checkbox, labelled in French
    assert not event.soundscape_enabled
    response = client.post(url, form_data(soundscape_enabled="on"))
    assert response.status_code == 302, response.content
    event.refresh_from_db()
    assert event.soundscape_enabled
    client.post(url, form_data())  # unchecked: no longer offered
    event.refresh_from_db()
    assert not event.soundscape_enabled


@pytest.fixture
def cleared_limits():  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from web.api import throttling
    yield throttling
    cache.clear()
    throttling._factor_memo.clear()


def test_an_organiser_raises_the_limits_until_midnight(client, event, organiser,  # type: ignore[no-untyped-def]
                                                       cleared_limits):
    client.force_login(organiser)
    page = client.get(reverse("desk:event", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert "The configured limits apply." in page.content.decode()
    response = client.post(reverse("desk:event-limits", args=[event.slug]), {"factor": "5"})
    assert response.status_code == 302
    assert response["Location"].endswith("#limits")
    assert cleared_limits.limit_factor(event.slug) == 5
    page = client.get(reverse("desk:event", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="fr")
    assert "×5" in page.content.decode()
    assert "jusqu’à minuit" in page.content.decode()
    client.post(reverse("desk:event-limits", args=[event.slug]), {"factor": "1"})
    assert cleared_limits.limit_factor(event.slug) == 1


@pytest.mark.parametrize("factor", ["3", "", "beaucoup"])
def test_only_the_offered_factors_are_taken(client, event, organiser, factor,  # type: ignore[no-untyped-def]
                                            cleared_limits):
    client.force_login(organiser)
    response = client.post(reverse("desk:event-limits", args=[event.slug]), {"factor": factor},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "×1, ×2, ×5, ×10" in response.content.decode()
    assert cleared_limits.limit_factor(event.slug) == 1


def test_only_organisers_raise_limits(client, event, cleared_limits):  # type: ignore[no-untyped-def]
    mediator = EventRoleFactory(event=event, user__username="med",
                                role=EventRole.Role.MEDIATOR).user
    client.force_login(mediator)
    response = client.post(reverse("desk:event-limits", args=[event.slug]), {"factor": "10"})
    assert response.status_code == 403
    assert cleared_limits.limit_factor(event.slug) == 1
    assert client.get(reverse("desk:event-limits", args=[event.slug])).status_code == 405


def zone_map_tiles(page: str) -> str:
    """The external tile URL the zone editor's map may draw ("" for a plain background)."""
    return re.search(r'id="zone-map"[^>]*data-tile-url="([^"]*)"', page).group(1)


def test_zone_editor_asks_no_tile_server_unless_allowed(client, creator, settings):
    client.force_login(creator)
    page = client.get(reverse("desk:event-new")).content.decode()
    assert zone_map_tiles(page) == ""
    assert "leaflet" not in page.lower()
    assert 'data-basemap-style=""' in page  # a new event has no base map of its own yet
    settings.BASEMAP_USE_EXTERNAL = True
    page = client.get(reverse("desk:event-new")).content.decode()
    assert zone_map_tiles(page) == settings.BASEMAP_TILE_URL


def test_zone_editor_says_what_its_map_is_for(client, event, organiser):
    client.force_login(organiser)
    page = client.get(reverse("desk:event-edit", args=[event.slug]),
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'aria-label="Carte : cliquez pour placer les sommets de la zone"' in page
    assert 'id="id_zone_geojson"' in page  # the path without the map
