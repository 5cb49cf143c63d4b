"""``GET /events/{slug}/representativity/``, its files and summary, and the command."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from layers.services.population import population_import
from mapping.models import EventRole
from mapping.services import contributor_join, feature_submit, report_submit
from mapping.services.contributions import Author
from mapping.services.moderation import contribution_set_status
from tests.conftest import make_event, role_api
from tests.layers.population_data import FILOSOFI_2015, TALENCE_PART, zone_geojson

pytestmark = pytest.mark.django_db
URL = "/api/v1/events/talence/representativity/"
SECTIONS = ["coverage", "concentration", "time", "profile", "suppression"]
START = dt.datetime(2026, 10, 10, 8, 0, tzinfo=dt.UTC)
DURING = START + dt.timedelta(hours=2)


@pytest.fixture
def talence(django_user_model):  # type: ignore[no-untyped-def]
    event = make_event("talence", zone_geojson=zone_geojson(TALENCE_PART), starts_at=START,
                       ends_at=START + dt.timedelta(hours=7))
    population_import(event=event, path=FILOSOFI_2015)
    for i in range(7):
        # The carto-party took place in October: its participants joined and sent then.
        joined = contributor_join(event=event, join_code="SAVOIE73", pseudonym=f"Voisin {i}",
                                  profile={"age_band": "25_39"} if i < 5 else None,
                                  received_at=DURING)
        author = Author(joined.contributor, None, "web")
        feature_submit(event=event, author=author, preset="amenity/bench", received_at=DURING,
                       geometry={"type": "Point", "coordinates": [-0.5905 + i * 1e-4, 44.8005]})
    return event


@pytest.fixture
def organiser_client(talence):  # type: ignore[no-untyped-def]
    return role_api(talence, "orga", EventRole.Role.ORGANISER)


def test_organisers_and_officers_get_their_view_anyone_else_the_public_one(  # type: ignore[no-untyped-def]
    talence, organiser_client,
):
    officer = role_api(talence, "sig", EventRole.Role.OFFICER)
    mediator = role_api(talence, "med", EventRole.Role.MEDIATOR)
    audiences = {name: client.get(URL).json()["suppression"]["audience"]
                 for name, client in [("organiser", organiser_client), ("officer", officer),
                                      ("mediator", mediator), ("anyone", APIClient())]}
    assert audiences == {"organiser": "organisers", "officer": "organisers",
                         "mediator": "public", "anyone": "public"}
    preview = organiser_client.get(URL + "?public=true").json()
    assert preview["suppression"]["audience"] == "public"


def test_the_document_has_exactly_the_five_sections_for_every_reader(talence, organiser_client):  # type: ignore[no-untyped-def]
    for client in (organiser_client, APIClient()):
        body = client.get(URL).json()
        assert list(body) == SECTIONS


def test_declared_profiles_are_for_organisers_only(talence, organiser_client):  # type: ignore[no-untyped-def]
    declared = organiser_client.get(URL).json()["profile"]["declared"]
    assert (declared["asked"], declared["respondents"], declared["no_data"]) == (None, 5, None)
    age = {a["answer"]: a["count"] for a in declared["questions"]["age_band"]["answers"]}
    assert age["25_39"] == 5
    public = APIClient().get(URL).json()["profile"]
    assert public["declared"] is None
    assert public["population"]["inhabitants"] > 0


def test_rejected_contributions_are_left_out_and_late_channels_count_when_observed(  # type: ignore[no-untyped-def]
    talence, organiser_client, django_user_model,
):
    orga = django_user_model.objects.get(username="orga")
    feature = talence.mappedfeatures.first()
    contribution_set_status(contribution=feature, actor=orga, status="rejected", reason="doublon")
    person = contributor_join(event=talence, join_code="SAVOIE73", pseudonym="Papier",
                              received_at=DURING).contributor
    report_submit(event=talence, author=Author(person, orga, "paper"), category="noise",
                  intensity=3, observed_at=START + dt.timedelta(hours=2),
                  geometry={"type": "Point", "coordinates": [-0.5905, 44.8005]})
    body = organiser_client.get(URL).json()
    assert body["concentration"]["contributions"] == 7  # 7 features − 1 rejected + 1 report
    paper_hour = [h["hour"] for h in body["time"]["by_hour"] if h["inside_window"]]
    assert paper_hour == [12]  # 10:00 UTC = 12:00 in Paris, when the noise was observed
    assert body["concentration"]["per_channel"]["paper"]["contributions"] == 1


@pytest.mark.parametrize(("query", "field"), [
    ("bbox=1,2,3", "bbox"), ("since=yesterday", "since"), ("until=2026-13-01", "until"),
    ("channel=sms", "channel"),
])
def test_bad_parameters_are_refused_by_name(talence, query, field):  # type: ignore[no-untyped-def]
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_filters_are_echoed_in_the_rule_section(talence, organiser_client):  # type: ignore[no-untyped-def]
    body = organiser_client.get(URL + "?since=2026-10-10T10:00&channel=self,paper").json()
    filters = body["suppression"]["filters"]
    assert filters["since"] == "2026-10-10T10:00:00+02:00"  # the event's local time
    assert filters["channel"] == ["self", "paper"]


def test_an_unknown_event_is_a_404():  # type: ignore[no-untyped-def]
    assert APIClient().get("/api/v1/events/nowhere/representativity/").status_code == 404


def test_organisers_download_the_numbers_as_csv_and_geopackage(  # type: ignore[no-untyped-def]
    talence, organiser_client, tmp_path: Path,
):
    response = organiser_client.get(URL + "export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "section,item,measure,value"
    assert "suppression,,audience,public" in text
    response = organiser_client.get(URL + "export.gpkg")
    path = tmp_path / "r.gpkg"
    path.write_bytes(b"".join(response.streaming_content))
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")}
        described = db.execute("SELECT description FROM gpkg_contents WHERE "
                               "table_name = 'cells'").fetchone()[0]
    assert tables == {"cells", "areas", "indicators"}
    assert "never shown" in described


@pytest.mark.parametrize("path", ["export.csv", "export.gpkg", "summary.html"])
def test_files_are_for_organisers_and_officers(talence, path):  # type: ignore[no-untyped-def]
    assert APIClient().get(URL + path).status_code == 401
    mediator = role_api(talence, "med", EventRole.Role.MEDIATOR)
    assert mediator.get(URL + path).status_code == 403


def test_an_unknown_file_type_is_a_404(talence, organiser_client):  # type: ignore[no-untyped-def]
    assert organiser_client.get(URL + "export.xlsx").status_code == 404


def test_the_summary_is_one_self_contained_page_in_the_reader_s_language(  # type: ignore[no-untyped-def]
    talence, organiser_client,
):
    response = organiser_client.get(URL + "summary.html", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="talence-representativity.html"'
    page = response.content.decode()
    assert "Qui a participé, et qui non" in page
    assert "<html lang='fr'>" in page
    assert "src='http" not in page
    assert "src=\"http" not in page
    assert "cdn." not in page
    assert page.count("data:image/svg+xml;base64,") >= 3  # Lorenz curve, hours, weekdays
    assert "Version publique" in page


def test_the_summary_draws_the_events_own_base_map_without_a_tile_server(  # type: ignore[no-untyped-def]
    talence, organiser_client,
):
    from exports.services import osm_context_import
    from mapping.services.demo import DEMO_OSM

    before = organiser_client.get(URL + "summary.html").content.decode()
    assert "tile.openstreetmap.org" in before  # no OSM context yet: the configured tiles
    osm_context_import(event=talence, path=DEMO_OSM)
    page = organiser_client.get(URL + "summary.html").content.decode()
    assert "tile.openstreetmap.org" not in page  # the map is inside the document
    assert "#d9d0c7" in page  # buildings
    assert "OpenStreetMap contributors" in page


def test_the_command_prints_the_same_json_as_the_api(talence, organiser_client):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("representativity", "talence", "--json", stdout=out)
    assert json.loads(out.getvalue()) == organiser_client.get(
        URL, HTTP_ACCEPT_LANGUAGE="en").json()
    out = io.StringIO()
    call_command("representativity", "talence", "--json", "--public", stdout=out)
    assert json.loads(out.getvalue()) == APIClient(HTTP_ACCEPT_LANGUAGE="en").get(URL).json()


def test_the_command_writes_the_files(talence, tmp_path: Path):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("representativity", "talence", "--csv", str(tmp_path / "r.csv"),
                 "--html", str(tmp_path / "r.html"), stdout=out)
    assert "coverage: 7 contributions" in out.getvalue()
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("section,")
    assert "<!DOCTYPE html>" in (tmp_path / "r.html").read_text(encoding="utf-8")
