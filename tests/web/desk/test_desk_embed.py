"""The widget: framing allowed only to the event's origins; everything else refuses framing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mapping.errors import InvalidInput
from mapping.services.event_settings import widget_configure

pytestmark = pytest.mark.django_db


def directive(response, name: str) -> str:  # type: ignore[no-untyped-def]
    """One directive of the response's Content-Security-Policy, e.g. "frame-ancestors 'self'"."""
    parts = [p.strip() for p in response["Content-Security-Policy"].split(";")]
    return next(p for p in parts if p.split(" ", 1)[0] == name)


def test_widget_frame_ancestors_come_from_the_event(client, event, organiser):
    widget_configure(event=event, actor=organiser, allowed_origins=["https://www.chambery.fr"],
                     allow_contribution=False)
    response = client.get(reverse("embed:map", args=[event.slug]))
    assert response.status_code == 200
    assert directive(response, "frame-ancestors") == "frame-ancestors 'self' https://www.chambery.fr"
    assert directive(response, "script-src") == "script-src 'self'"  # the rest of the policy stays
    assert "X-Frame-Options" not in response


def test_no_origin_means_only_ourselves(client, event):
    response = client.get(reverse("embed:map", args=[event.slug]))
    assert directive(response, "frame-ancestors") == "frame-ancestors 'self'"


@pytest.mark.parametrize("url", ["/", "/events/chambery/", "/desk/login/", "/api/v1/events/"])
def test_every_other_page_refuses_framing(client, event, url):
    assert client.get(url)["X-Frame-Options"] == "DENY"


def test_host_page_language_and_map_only_mode(client, event):
    response = client.get(reverse("embed:map", args=[event.slug]), {"lang": "en-GB",
                                                                      "mode": "map"})
    assert response["Content-Language"] == "en"
    assert b'<html lang="en">' in response.content
    assert b"embed--map-only" in response.content
    assert b"Open the full map" not in response.content
    french = client.get(reverse("embed:map", args=[event.slug]), {"lang": "fr"})
    assert "Ouvrir la carte complète".encode() in french.content


def test_contribution_only_when_the_organisers_allow_it(client, event, organiser):
    url = reverse("embed:map", args=[event.slug])
    assert b"embed-contribute" not in client.get(url, {"contribute": "1"}).content
    widget_configure(event=event, actor=organiser, allowed_origins=[], allow_contribution=True)
    assert b"embed-contribute" in client.get(url, {"contribute": "1"}).content
    assert b"embed-contribute" not in client.get(url).content


def test_the_script_inserts_an_iframe(client, event, settings):
    response = client.get(reverse("embed:script", args=[event.slug]))
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert "createElement('iframe')" in body
    assert f"{settings.PUBLIC_BASE_URL}/embed/chambery/" in body


def test_unknown_event_is_404(client, db):
    assert client.get("/embed/nope/").status_code == 404


def test_contribution_offers_the_events_presets_in_the_host_language(client, event, organiser):
    event.presets = ["amenity/bench", "natural/tree"]
    event.save()
    widget_configure(event=event, actor=organiser, allowed_origins=["https://www.chambery.fr"],
                     allow_contribution=True)
    url = reverse("embed:map", args=[event.slug])
    french = client.get(url, {"contribute": "1", "lang": "fr"})
    assert french.context["presets"] == [("amenity/bench", "Banc"), ("natural/tree", "Arbre")]
    html = french.content.decode()
    assert '<option value="amenity/bench">Banc</option>' in html
    assert 'name="kind" value="feature"' in html
    english = client.get(url, {"contribute": "1", "lang": "en"})
    assert '<option value="natural/tree">Tree</option>' in english.content.decode()
    # Contribution does not loosen framing.
    assert directive(english, "frame-ancestors") == "frame-ancestors 'self' https://www.chambery.fr"


def test_an_international_host_goes_into_the_header_as_punycode(client, event, organiser):
    # Unencoded, Django would MIME-encode the header ("=?utf-8?b?…"): browsers would ignore
    # the whole policy, and then any site could frame the widget.
    widget_configure(event=event, actor=organiser, allowed_origins=["https://mairie.東京.jp"],
                     allow_contribution=False)
    response = client.get(reverse("embed:map", args=[event.slug]))
    assert directive(response, "frame-ancestors") == \
        "frame-ancestors 'self' https://mairie.xn--1lqs71d.jp"


@pytest.mark.parametrize("origin", ["https://a.fr\x0cevil.example", "https://a_b.fr",
                                    "https://a..fr", "https://[::zz]", "https://a.fr\u2028b"])
def test_origins_that_would_add_sources_to_the_header_are_refused(event, organiser, origin):
    with pytest.raises(InvalidInput):
        widget_configure(event=event, actor=organiser, allowed_origins=[origin],
                         allow_contribution=False)
