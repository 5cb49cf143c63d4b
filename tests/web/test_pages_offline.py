"""The service worker, preset icons and the join QR code of the citizen pages."""

from __future__ import annotations

import pytest

from mapping.models import EventRole
from tests.factories import EventRoleFactory

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_from_the_root_with_the_app_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    for url in ("/static/web/event_map.js", "/static/web/event_map/outbox.js",
                "/static/vendor/maplibre-gl/maplibre-gl.mjs", "/static/web/cartoparty.css"):
        assert f'"{url}"' in body
    assert "{{" not in body
    assert "{%" not in body


def test_every_shell_file_exists(client):
    from web.pages import offline

    for url in offline.shell_urls():
        assert client.get(url).status_code == 200, url


def test_event_page_lists_preset_icons(client, event):
    response = client.get("/events/chambery/")
    assert b'id="preset-icons"' in response.content
    assert b"/static/vendor/" in response.content


def test_join_qr_code_is_for_the_event_organisers(client, event, organiser):
    url = "/events/chambery/join-qr.svg"
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert b"/events/chambery/#code=SAVOIE73" in response.content


def test_join_qr_code_is_refused_to_organisers_of_another_event(client, event, other_event):
    user = EventRoleFactory(event=other_event, user__username="autre",
                            role=EventRole.Role.ORGANISER).user
    client.force_login(user)
    assert client.get("/events/chambery/join-qr.svg").status_code == 404
