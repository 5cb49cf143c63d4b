"""Desk pages: grid, live stream, paper forms, field sheets, officer view and its report."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import json
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import AsyncClient
from django.urls import reverse
from django.utils import timezone

from mapping.models import GridCell, NuisanceReport
from mapping.services import contribution_set_status, report_submit
from mapping.services.grid import cell_assign, grid_create, team_create
from tests.factories import EventRoleFactory, UserFactory
from tests.geometries import INSIDE
from web import live
from web.desk.views_live import _payloads

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "data" / "desk"


@pytest.fixture
def logged(client, organiser):
    client.force_login(organiser)
    return client


def test_grid_page_lays_squares_and_takes_one(logged, event):
    url = reverse("desk:grid", args=[event.slug])
    assert logged.post(url, {"grid-size_m": "100"}).status_code == 302
    assert logged.post(url, {"team-name": "Rouge"}).status_code == 302
    cell = GridCell.objects.filter(event=event).first()
    logged.post(reverse("desk:grid-cell", args=[event.slug, cell.pk]), {"action": "claim"})
    cell.refresh_from_db()
    assert cell.state == "being_mapped"
    assert cell.locked_until > timezone.now()
    progress = logged.get(reverse("desk:grid-progress", args=[event.slug])).json()
    assert progress["by_state"]["being_mapped"] == 1
    assert progress["total"] == GridCell.objects.filter(event=event).count()
    page = logged.get(url)
    assert page.status_code == 200
    assert cell.label.encode() in page.content


def test_grid_page_refuses_outsiders(client, event):
    client.force_login(UserFactory(username="x"))
    assert client.get(reverse("desk:grid", args=[event.slug])).status_code == 403


def test_grid_progress_for_an_officer_has_the_squares_without_the_teams(client, event,
                                                                         organiser):
    """The officer view's grid layer and square filter read it (it was 403 for officers)."""
    cells = grid_create(event=event, actor=organiser, size_m=100)
    team = team_create(event=event, actor=organiser, name="Camille et Yanis")
    cell_assign(cell=cells[0], actor=organiser, team=team)
    url = reverse("desk:grid-progress", args=[event.slug])
    client.force_login(EventRoleFactory(event=event, user__username="sig", role="officer").user)
    officer = client.get(url)
    assert officer.status_code == 200
    assert officer.json()["total"] == len(cells)
    assert {c["id"] for c in officer.json()["cells"]} == {c.pk for c in cells}
    assert all(c["geometry"]["type"] == "Polygon" for c in officer.json()["cells"])
    assert "Camille" not in officer.content.decode()
    assert all("team" not in c for c in officer.json()["cells"])
    client.force_login(organiser)  # the grid page's own reader still sees who holds a square
    assert "Camille et Yanis" in {c["team"] for c in client.get(url).json()["cells"]}


def test_grid_progress_refuses_participants_and_anonymous(client, event, other_event, joined):
    url = reverse("desk:grid-progress", args=[event.slug])
    assert client.get(url).status_code == 302  # to the sign-in page
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {joined.token}").status_code == 302
    client.force_login(UserFactory(username="x"))
    assert client.get(url).status_code == 403
    client.force_login(EventRoleFactory(event=other_event, user__username="sig2",
                                        role="officer").user)
    assert client.get(url).status_code == 403


def run_async(function):  # type: ignore[no-untyped-def]
    """``asyncio.run(function())`` in a thread of its own (Playwright may hold this one's loop)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, function()).result(timeout=60)


def events_stream(event, since, *, language="fr"):
    """The stream's text, read to its end (seconds=0: the catch-up only)."""
    async def read():
        return [chunk async for chunk in live.stream(
            event_id=event.pk, since=since, seconds=0, render=_payloads(language))]
    return run_async(read)


# The stream reads the database from a pool thread, as in the server: committed data only.
@pytest.mark.django_db(transaction=True)
def test_live_stream_sends_new_contributions_and_decisions(event, organiser, author):
    since = timezone.now() - dt.timedelta(seconds=1)
    report, _ = report_submit(event=event, author=author, geometry=INSIDE, category="noise",
                              intensity=4, observed_at=timezone.now())
    contribution_set_status(contribution=report, actor=organiser, status="accepted")
    chunks = events_stream(event, since)
    changes = [json.loads(c.split("data: ", 1)[1]) for c in chunks if "event: change" in c]
    assert [(c["id"], c["to"]) for c in changes] == [(str(report.pk), "received"),
                                                     (str(report.pk), "accepted")]
    assert changes[0]["channel"] == "web"
    assert changes[0]["author"] == "Camille"
    # The id: line is a timestamp the browser sends back as Last-Event-ID.
    last_id = [c for c in chunks if c.startswith("id: ")][-1].split("\n")[0][4:]
    assert dt.datetime.fromisoformat(last_id) >= since


def read_stream(user, url, **headers):
    """The response of an async streaming view and its whole body, as a browser gets it."""
    async def go():
        client = AsyncClient()
        await client.aforce_login(user)
        response = await client.get(url, headers=headers)
        if not response.streaming:
            return response, response.content
        return response, b"".join([chunk async for chunk in response.streaming_content])
    return run_async(go)


@pytest.mark.django_db(transaction=True)
def test_live_stream_endpoint_is_an_event_stream(organiser, event, settings):
    settings.LIVE_STREAM_SECONDS = 0
    response, body = read_stream(organiser, reverse("desk:live-stream", args=[event.slug]))
    assert response["Content-Type"] == "text/event-stream"
    assert b"retry:" in body


@pytest.mark.django_db(transaction=True)
def test_live_stream_is_bounded_per_process(organiser, event, settings):
    settings.LIVE_STREAM_SECONDS = 0
    settings.LIVE_MAX_STREAMS = 0
    response, _ = read_stream(organiser, reverse("desk:live-stream", args=[event.slug]))
    assert response.status_code == 503
    assert response["Retry-After"]


def test_live_is_for_organisers_and_officers(client, event):
    mediator = EventRoleFactory(event=event, user__username="m", role="mediator").user
    client.force_login(mediator)
    assert client.get(reverse("desk:live-stream", args=[event.slug])).status_code == 403


def test_paper_page_check_then_import(logged, event):
    url = reverse("desk:paper", args=[event.slug])
    upload = SimpleUploadedFile("forms.csv", (DATA / "paper_forms_ok.csv").read_bytes())
    checked = logged.post(url, {"file": upload})
    assert checked.context["result"].ok
    assert NuisanceReport.objects.count() == 0
    confirm = checked.context["confirm"]
    assert confirm
    done = logged.post(url, {"confirm": confirm})
    assert done.context["result"].committed
    assert NuisanceReport.objects.filter(channel="paper").count() == 2


def test_paper_page_shows_errors_next_to_rows(logged, event):
    upload = SimpleUploadedFile("forms.csv", (DATA / "paper_forms_mistakes.csv").read_bytes())
    response = logged.post(reverse("desk:paper", args=[event.slug]), {"file": upload})
    html = response.content.decode()
    assert 'data-line="6"' in html
    assert "formula" in html
    assert "Rien n&#x27;a été importé" in html or "Rien n'a été importé" in html
    assert not response.context["confirm"]


def test_template_csv_has_every_column(logged, event):
    response = logged.get(reverse("desk:paper-template", args=[event.slug]))
    header = response.content.decode("utf-8-sig").strip()
    assert header.split(";")[:4] == ["kind", "pseudonym", "latitude", "longitude"]


def test_field_sheets_qr_opens_the_event_with_its_code(logged, event, organiser, settings):
    grid_create(event=event, actor=organiser, size_m=100)
    response = logged.get(reverse("desk:field-sheets", args=[event.slug]))
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == GridCell.objects.filter(event=event).count()
    codes = [r.text for r in zxingcpp.read_barcodes(pdf.pages[0].images[0].image)]
    assert codes == [f"{settings.PUBLIC_BASE_URL}/events/chambery/#code=SAVOIE73"]
    assert "Carreau" in pdf.pages[0].extract_text()  # French by default


def test_officer_view_links_every_export_format(client, event):
    officer = EventRoleFactory(event=event, user__username="sig", role="officer").user
    client.force_login(officer)
    html = client.get(reverse("desk:officer", args=[event.slug])).content.decode()
    for ext in ("osm", "osc", "geojson", "gpkg", "csv"):
        assert f"/api/v1/events/chambery/export.{ext}" in html
    assert "/api/v1/events/chambery/overlay/" in html


def test_officer_overlay_map_is_the_layers_html_with_local_assets(logged, event, author):
    report_submit(event=event, author=author, geometry=INSIDE, category="noise", intensity=5,
                  observed_at=timezone.now())
    api_url = f"/api/v1/events/{event.slug}/overlay/summary.html"
    officer_page = logged.get(reverse("desk:officer", args=[event.slug])).content.decode()
    assert f'href="{api_url}"' in officer_page
    old_link = logged.get(reverse("desk:officer-overlay", args=[event.slug]))
    assert old_link.status_code == 302
    assert old_link["Location"] == api_url
    response = logged.get(api_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "L.map(" in html
    # Leaflet is inlined: nothing is fetched from a CDN (an officer may be offline or on an
    # intranet that blocks them).
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "code.jquery.com"):
        assert cdn not in html


@pytest.mark.django_db(transaction=True)
def test_live_changes_speak_the_users_language(event, organiser, author):
    since = timezone.now() - dt.timedelta(seconds=1)
    report, _ = report_submit(event=event, author=author, geometry=INSIDE, category="noise",
                              intensity=4, observed_at=timezone.now())
    contribution_set_status(contribution=report, actor=organiser, status="accepted")
    for language, words in (("fr", ("Bruit", "reçue", "acceptée", "web ou mobile")),
                            ("en", ("Noise", "received", "accepted", "web or mobile"))):
        chunks = events_stream(event, since, language=language)
        changes = [json.loads(c.split("data: ", 1)[1]) for c in chunks if "event: change" in c]
        first, second = changes
        assert (first["label"], first["to_name"], second["to_name"],
                first["channel_name"]) == words
        assert second["from_name"] == words[1]
        assert first["to"] == "received"  # the codes stay, for the page's logic


@pytest.mark.parametrize("last_id", ["2026-13-45T00:00:00+00:00", "9999-12-31T23:59:59-14:00",
                                     "0001-01-01T00:00:00+14:00", "not a date"])
@pytest.mark.django_db(transaction=True)
def test_live_stream_survives_an_odd_last_event_id(organiser, event, settings, last_id):
    settings.LIVE_STREAM_SECONDS = 0
    response, body = read_stream(organiser, reverse("desk:live-stream", args=[event.slug]),
                                 last_event_id=last_id)
    assert response.status_code == 200
    assert b"retry:" in body


@pytest.mark.parametrize("team", ["abc", "1e3", "99999999999999999999", "\x00", "-1"])
def test_grid_square_action_with_an_odd_team_is_a_message_not_a_crash(logged, event, organiser,
                                                                       team):
    grid_create(event=event, actor=organiser, size_m=200)
    cell = GridCell.objects.filter(event=event).first()
    response = logged.post(reverse("desk:grid-cell", args=[event.slug, cell.pk]),
                           {"action": "assign", "team": team})
    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.team is None


def test_grid_square_that_cannot_exist_is_a_message_not_a_crash(logged, event):
    response = logged.post(
        reverse("desk:grid-cell", args=[event.slug, 99999999999999999999]), {"action": "claim"})
    assert response.status_code == 302
