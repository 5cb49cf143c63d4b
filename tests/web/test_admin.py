"""The admin opens with local Leaflet map widgets."""

from __future__ import annotations

import pytest

from mapping.services.demo import demo_load

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["event", "mappedfeature", "nuisancereport", "contributor"])
def test_admin_lists_and_change_pages_open(admin_client, model):
    demo_load()
    listing = admin_client.get(f"/admin/mapping/{model}/")
    assert listing.status_code == 200


def test_event_change_page_has_a_local_leaflet_widget(admin_client):
    event = demo_load().event
    page = admin_client.get(f"/admin/mapping/event/{event.pk}/change/").content.decode()
    assert "leaflet/leaflet.js" in page
    assert "cdn" not in page.lower()
    assert "unpkg.com" not in page
