"""The representativity desk page, its figures and its coverage file, on the demo
carto-party: real INSEE Filosofi 2015 cells of Talence and Bègles, made-up participation."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from layers.representativity import figures
from layers.representativity.document import Query
from layers.selectors_representativity import event_representativity
from layers.services.demo_representativity import SLUG
from mapping.models import EventRole
from tests.conftest import make_event
from tests.factories import EventRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = f"/desk/{SLUG}/representativity/"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the demo once for the module and roll it back afterwards."""
    with django_db_blocker.unblock():
        from django.db import transaction

        from layers.services.demo_representativity import representativity_demo_load
        from mapping.services.demo import demo_load

        with transaction.atomic():
            demo_load()
            loaded = representativity_demo_load()
            organiser = UserFactory(username="repr-organiser")
            EventRoleFactory(event=loaded.event, user=organiser, role=EventRole.Role.ORGANISER)
            officer = UserFactory(username="repr-officer")
            EventRoleFactory(event=loaded.event, user=officer, role=EventRole.Role.OFFICER)
            mediator = UserFactory(username="repr-mediator")
            EventRoleFactory(event=loaded.event, user=mediator, role=EventRole.Role.MEDIATOR)
            yield loaded
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def documents(demo):  # type: ignore[no-untyped-def]
    k = settings.REPRESENTATIVITY_K
    return {
        public: event_representativity(event=demo.event, public=public, query=Query(), k=k).document
        for public in (True, False)
    }


def _svg(text: str | None) -> ElementTree.Element:
    assert text is not None
    return ElementTree.fromstring(text)


def _texts(root: ElementTree.Element) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


# --- figures (pure, from the demo's document) -------------------------------------------


def test_the_lorenz_curve_shows_each_channel_with_its_gini_and_top_share(documents) -> None:
    conc = documents[False]["concentration"]
    labels = _texts(_svg(figures.lorenz_svg(conc, str)))
    assert f"Gini {conc['gini']:.2f}" in labels
    assert f"top 10 % made {conc['top10_share']:.0%}" in labels
    for channel in ("self", "mediator", "paper"):
        part = conc["per_channel"][channel]
        assert f"{figures.LABELS[channel]}: Gini {part['gini']:.2f}" in labels


def test_the_public_lorenz_curve_leaves_out_a_channel_under_k(documents) -> None:
    conc = documents[True]["concentration"]
    assert conc["per_channel"]["paper"] == {"suppressed": True}  # 7 paper authors, few kept
    assert "paper form" not in _texts(_svg(figures.lorenz_svg(conc, str)))


def test_public_hours_mark_the_hours_left_out(documents) -> None:
    time = documents[True]["time"]
    assert time["suppressed_hours_of_day"]
    assert "fewer than 5 contributors: left out" in _texts(_svg(figures.hours_svg(time, str)))
    assert "left out" not in _texts(_svg(figures.hours_svg(documents[False]["time"], str)))


def test_hours_and_weekdays_are_drawn_against_the_window(documents) -> None:
    time = documents[False]["time"]
    hours = _texts(_svg(figures.hours_svg(time, str)))
    assert "the event's hours" in hours
    assert "outside the event's hours" in hours
    days = _texts(_svg(figures.weekdays_svg(time, str)))
    assert "Sat" in days
    assert "the event's days" in days
    # One bar per hour and inside/outside part: 48 bars; each is a path in its own group.
    assert hours.count("hour of the day") == 1


def test_declared_ages_stand_beside_the_residents_with_merged_bands_as_one(documents) -> None:
    profile = documents[False]["profile"]
    rows = figures.age_rows(profile, str, k=5)
    merged = profile["declared"]["questions"]["age_band"]["merged"]
    assert merged is not None  # the demo has bands of fewer than 5 people
    merged_rows = [r for r in rows if "merged" in r[0]]
    assert len(merged_rows) == 1
    assert merged_rows[0][2] == merged["share"]
    assert all(r[1] is not None for r in rows)  # every band has the residents' share
    assert "residents (11 years and over)" in _texts(_svg(figures.ages_svg(profile, str)))
    assert figures.ages_svg(documents[True]["profile"], str) is None  # never public


def test_the_coverage_map_marks_blank_spots_and_areas_under_k(documents) -> None:
    public = documents[True]["coverage"]
    assert public["suppressed_areas"] > 0
    svg = figures.coverage_svg(public, str, k=5)
    labels = _texts(_svg(svg))
    assert "blank spot" in labels
    assert "covered" in labels
    assert "1 km area, fewer than 5 contributors" in labels
    assert figures.STATUS_COLOURS["blank"] in svg
    assert figures.STATUS_COLOURS["covered"] in svg


def test_figures_are_deterministic_and_allowed_by_the_csp(documents) -> None:
    conc = documents[False]["concentration"]
    assert figures.lorenz_svg(conc, str) == figures.lorenz_svg(conc, str)
    uri = figures.data_uri(figures.lorenz_svg(conc, str))
    assert uri.startswith("data:image/svg+xml;base64,")
    assert b"<script" not in base64.b64decode(uri.split(",", 1)[1])


# --- the page ---------------------------------------------------------------------------


def _client(client, username):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    client.defaults.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client


def test_anonymous_readers_are_sent_to_sign_in(client, demo) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/desk/login/" in response["Location"]


@pytest.mark.parametrize("username", ["repr-organiser", "repr-officer"])
def test_organisers_and_officers_read_it(client, demo, username) -> None:
    response = _client(client, username).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("coverage", "concentration", "time", "weekdays", "profile", "rule"):
        assert f'id="repr-{key}"' in page
    assert page.count('src="data:image/svg+xml;base64,') >= 4
    assert page.count("<table") >= 8  # every figure has its numbers in a table
    assert reverse("api:representativity-coverage", args=[SLUG]) in page


def test_a_mediator_and_another_events_organiser_are_refused(client, demo) -> None:
    assert _client(client, "repr-mediator").get(URL).status_code == 403
    other = make_event("ailleurs")
    stranger = UserFactory(username="repr-stranger")
    EventRoleFactory(event=other, user=stranger, role=EventRole.Role.ORGANISER)
    client.force_login(stranger)
    assert client.get(URL).status_code == 403
    assert client.get("/desk/no-such-party/representativity/").status_code == 404


def test_the_event_page_links_to_it_for_those_who_may_read_it(client, demo) -> None:
    assert URL.encode() in _client(client, "repr-officer").get(f"/desk/{SLUG}/").content
    card = b'class="desk-card" href="' + URL.encode()
    assert card not in _client(client, "repr-mediator").get(f"/desk/{SLUG}/").content


def _table_cells(page: str, table: str) -> list[list[str]]:
    found = re.search(rf'data-table="{table}">(.*?)</table>', page, re.S)
    assert found, table
    body = found.group(1).split("<tbody>")[1]
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in body.split("<tr>")[1:]]


def test_the_version_to_share_states_the_rule_and_shows_nothing_under_k(
    client, demo, documents
) -> None:
    page = _client(client, "repr-organiser").get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    public = documents[True]
    assert public["suppression"]["rule"].replace("'", "&#x27;") in page
    assert "Version to share" in page
    assert 'aria-current="page">Version to share' in page
    # 1 km areas: every count shown comes from at least k contributors; the others say so.
    areas = _table_cells(page, "coverage-3")
    hidden = [row for row in areas if row[-1] == "fewer than 5"]
    assert len(hidden) == public["coverage"]["suppressed_areas"] > 0
    for row in areas:
        if row[-1] == "covered":
            assert int(row[3]) >= 5
    # Channels: the paper forms' channel is under k in the public set.
    channels = {row[0]: row[1:] for row in _table_cells(page, "concentration-1")}
    assert channels["paper form"] == ["fewer than 5"] * 5
    assert "hours with fewer than 5 contributors are left out" in page
    hidden = public["time"]["suppressed_hours_of_day"]
    assert hidden  # the demo has a quiet lunch hour
    for row in _table_cells(page, "time-1"):
        hour = int(row[0].removesuffix(" h"))
        if hour in hidden:
            assert row[1:3] == ["fewer than 5", "fewer than 5"]
        elif row[1:3] != ["0", "0"]:
            assert int(row[1]) + int(row[2]) >= 5
    assert "Declared profiles are shown only" in page  # no declared answer in this version


def test_the_exact_view_says_not_to_share_it(client, demo) -> None:
    page = _client(client, "repr-organiser").get(URL + "?view=organisers").content.decode()
    assert "do not share it" in page
    assert "merged (fewer than 5 each)" in page  # declared answers still grouped by k
    assert 'data-figure="profile"' in page


def test_the_page_speaks_french(client, demo) -> None:
    page = _client(client, "repr-organiser").get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Représentativité" in page
    assert "Version à partager" in page
    assert "zones blanches" in page


@pytest.mark.parametrize("query", ["?since=hier", "?channel=pigeon", "?bbox=1,2,3"])
def test_bad_filters_are_a_400_with_the_reason(client, demo, query) -> None:
    response = _client(client, "repr-organiser").get(URL + query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_filters_narrow_the_channels(client, demo) -> None:
    page = (
        _client(client, "repr-organiser")
        .get(URL + "?view=organisers&channel=mediator")
        .content.decode()
    )
    channels = {row[0]: row[1:] for row in _table_cells(page, "concentration-1")}
    assert set(channels) == {"all channels", "mediator"}
    assert channels["mediator"][0] == "9"


# --- the coverage file ------------------------------------------------------------------


def _coverage_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_coverage_file_has_no_count_under_k(client, demo, documents) -> None:
    url = reverse("api:representativity-coverage", args=[SLUG])
    assert client.get(url).status_code in (401, 403)
    response = _client(client, "repr-officer").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = _coverage_rows(b"".join(response.streaming_content))
    cells = [r for r in rows if r["level"] == "cell_200m"]
    areas = [r for r in rows if r["level"] == "area_1km"]
    assert len(cells) == demo.cells == 357
    assert all(r["contributions"] == "" and r["status"] in {"covered", "blank"} for r in cells)
    assert {r["code"] for r in cells if r["status"] == "blank"} == set(
        documents[True]["coverage"]["blank_spots"]
    )
    for row in areas:
        if row["status"] == "suppressed":
            assert row["contributions"] == row["contributors"] == ""
        elif row["contributions"] not in ("", "0"):
            assert int(row["contributors"]) >= 5
    assert all(r["area"] for r in cells)  # each cell names its 1 km area
    assert rows[-1]["level"] == "suppression_rule"
    assert "below 5" in rows[-1]["code"]


def test_the_command_writes_the_coverage_file(demo, tmp_path) -> None:
    out = io.StringIO()
    path = tmp_path / "coverage.csv"
    call_command("representativity", SLUG, "--coverage-csv", str(path), stdout=out)
    assert f"wrote {path}" in out.getvalue()
    rows = _coverage_rows(path.read_bytes())
    assert sum(r["level"] == "cell_200m" for r in rows) == 357
    assert all(r["contributions"] == "" for r in rows if r["level"] == "cell_200m")


def test_a_new_party_without_grid_or_contributions_reads_plainly(client, demo) -> None:
    event = make_event("toute-neuve")
    organiser = UserFactory(username="repr-new-organiser")
    EventRoleFactory(event=event, user=organiser, role=EventRole.Role.ORGANISER)
    client.force_login(organiser)
    for view in ("", "?view=organisers"):
        response = client.get(
            f"/desk/{event.slug}/representativity/{view}", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "No population grid is loaded" in page
        assert 'data-figure="concentration"' not in page  # no curve without contributors


def test_the_geopackage_linked_from_the_page_has_no_count_under_k(client, demo, tmp_path):
    import pyogrio

    page = _client(client, "repr-organiser").get(URL).content.decode()
    link = re.search(r'href="([^"]+)" data-download="export.gpkg"', page).group(1)
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    path = tmp_path / "r.gpkg"
    path.write_bytes(b"".join(response.streaming_content))
    cells = pyogrio.read_dataframe(path, layer="cells")
    assert len(cells) == 357
    assert cells["contributions"].isna().all()
    assert set(cells["status"]) <= {"covered", "blank"}
    areas = pyogrio.read_dataframe(path, layer="areas")
    shown = areas[areas["status"] == "covered"]
    assert (shown["contributors"] >= 5).all()
    assert areas.loc[areas["status"] == "suppressed", "contributions"].isna().all()


def test_the_coverage_geojson_gives_each_reader_their_variant(client, demo) -> None:
    url = reverse("api:representativity-coverage-geojson", args=[SLUG])
    anyone = client.get(url).json()
    assert anyone["suppression"]["audience"] == "public"
    cells = [f for f in anyone["features"] if f["properties"]["level"] == "cell_200m"]
    assert len(cells) == 357
    assert all(f["properties"]["contributions"] is None for f in cells)
    for area in (
        f["properties"] for f in anyone["features"] if f["properties"]["level"] == "area_1km"
    ):
        assert area["status"] != "covered" or area["contributors"] >= 5
    exact = _client(client, "repr-officer").get(url).json()
    assert exact["suppression"]["audience"] == "organisers"
    assert any(
        (f["properties"]["contributions"] or 0) > 0
        for f in exact["features"]
        if f["properties"]["level"] == "cell_200m"
    )
    assert client.get(url + "?public=true").json()["suppression"]["audience"] == "public"


def _map_url(page: str) -> str:
    return re.search(r'id="repr-map"[^>]* data-coverage-url="([^"]+)"', page).group(1).replace(
        "&amp;", "&"
    )


def test_the_shared_pages_map_reads_no_count_under_k_even_for_an_organiser(client, demo):
    """The organiser sees exact figures through the API; the shared page's map asks for the
    public variant all the same, so a screen being shared never shows a count under k."""
    k = settings.REPRESENTATIVITY_K
    organiser = _client(client, "repr-organiser")
    page = organiser.get(URL + "?channel=self", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-audience="public"' in page
    url = _map_url(page)
    assert "channel=self" in url  # the page's filters too
    data = organiser.get(url).json()
    assert data["suppression"] == {"k": k, "audience": "public"}
    cells = [f["properties"] for f in data["features"] if f["properties"]["level"] == "cell_200m"]
    areas = [f["properties"] for f in data["features"] if f["properties"]["level"] == "area_1km"]
    assert len(cells) == 357
    assert {c["status"] for c in cells} == {"covered", "blank"}
    assert all(c["contributions"] is None and c["contributors"] is None for c in cells)
    assert {a["status"] for a in areas} >= {"covered", "suppressed"}
    for area in areas:
        if area["status"] == "suppressed":
            assert area["contributions"] is None
            assert area["contributors"] is None
        elif area["status"] == "covered":
            assert area["contributors"] >= k
    # The same organiser's API default is exact: the page's URL is what keeps it public.
    exact_api = organiser.get(url.replace("public=true", "public=false")).json()
    assert exact_api["suppression"]["audience"] == "organisers"


def test_the_exact_pages_map_reads_the_exact_figures(client, demo):
    officer = _client(client, "repr-officer")
    page = officer.get(URL + "?view=organisers", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'data-audience="organisers"' in page
    data = officer.get(_map_url(page)).json()
    assert data["suppression"]["audience"] == "organisers"
    assert any((f["properties"]["contributions"] or 0) > 0 for f in data["features"])
    labels = json.loads(re.search(
        r'<script id="repr-map-labels" type="application/json">(.+?)</script>', page).group(1))
    assert labels["blank"] == "zone blanche"
    assert labels["suppressed"] == f"moins de {settings.REPRESENTATIVITY_K}"

