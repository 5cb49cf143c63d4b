"""Inputs found by review that must give a 4xx, never a 500, and leak nothing."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from mapping.models import Contributor, MappedFeature
from mapping.services import contribution_set_status, feature_submit
from mapping.services.demo import demo_load
from tests import geometries as g

pytestmark = pytest.mark.django_db

FEATURES = "/api/v1/events/chambery/features/"
REPORTS = "/api/v1/events/chambery/reports/"


@pytest.mark.parametrize(
    "raw",
    [
        '{"type":"Feature","geometry":{"type":"Point","coordinates":[1' + "0" * 400 + ',45]}}',
        '{"type":"Feature","geometry":{"type":"Point","coordinates":[' + "9" * 5000 + ',45]}}',
        '{"type":"Feature","geometry":{"type":"Point","coordinates":' + "[" * 5000 + "]" * 5000
        + "}}",
        '{"type":"Feature","geometry":{"type":"Point","coordinates":' + "[" * 900 + "]" * 900
        + '},"properties":{"preset":"amenity/bench"}}',
    ],
)
def test_absurd_numbers_and_nesting_are_400s(participant_api, event, raw):
    response = participant_api.generic("POST", FEATURES, raw, content_type="application/json")
    assert response.status_code == 400, response.content[:200]


@pytest.mark.parametrize(("osm", "field"), [
    ({"type": "node", "id": 10**20, "version": 1}, "osm.id"),
    ({"type": "node", "id": 1, "version": 2**40}, "osm.version"),
])
def test_osm_ids_beyond_the_database_range_are_400s(participant_api, event, osm, field):
    response = participant_api.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE,
                                               "properties": {"preset": "amenity/bench",
                                                              "osm": osm}}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize("params", [{"category": "a\x00b"}, {"preset": "a\x00b"}])
def test_nul_in_a_filter_is_a_400(client_api, event, params):
    url = REPORTS if "category" in params else FEATURES
    assert client_api.get(url, params).status_code == 400


@pytest.mark.parametrize(("time_zone", "status"), [("x" * 100, 400), ("Mars/Olympus", 400),
                                                   ("Europe/Helsinki", 201)])
def test_event_time_zone_is_checked(organiser, organiser_api, time_zone, status):
    organiser.is_staff = True
    organiser.save()
    response = organiser_api.post("/api/v1/events/", {
        "name": "TZ", "slug": "tz", "zone": g.ZONE, "start": "2026-06-06T09:00:00+02:00",
        "end": "2026-06-06T18:00:00+02:00", "join_code": "ABCD", "time_zone": time_zone},
        format="json")
    assert response.status_code == status, response.json()


def test_a_continent_is_not_a_carto_party_zone(organiser, organiser_api):
    organiser.is_staff = True
    organiser.save()
    huge = {"type": "Polygon", "coordinates": [[[-5, 42], [8, 42], [8, 51], [-5, 51], [-5, 42]]]}
    response = organiser_api.post("/api/v1/events/", {
        "name": "France", "slug": "france", "zone": huge, "start": "2026-06-06T09:00:00+02:00",
        "end": "2026-06-06T18:00:00+02:00", "join_code": "ABCD"}, format="json")
    assert response.status_code == 400
    assert "km²" in response.json()["detail"]


def test_public_bbox_cannot_reveal_the_exact_place(participant_api, client_api, event):
    exact = [5.93217, 45.56594]
    participant_api.post(REPORTS, {"type": "Feature",
                                   "geometry": {"type": "Point", "coordinates": exact},
                                   "properties": {"category": "noise", "intensity": 3,
                                                  "observed_at": timezone.now().isoformat()}},
                         format="json")
    # A tiny box around the exact point, but away from the public (rounded) one: nothing.
    tiny = "5.93216,45.56593,5.93218,45.56595"
    assert client_api.get(REPORTS, {"bbox": tiny}).json()["features"] == []
    # A tiny box around the public point finds it.
    public = "5.93199,45.56599,5.93201,45.56601"
    found = client_api.get(REPORTS, {"bbox": public}).json()["features"]
    assert [f["geometry"]["coordinates"] for f in found] == [[5.932, 45.566]]
    props = found[0]["properties"]
    assert props["created_at"].endswith(":00:00+00:00")
    assert all(step["at"].endswith(":00:00+00:00") for step in props["history"])


def test_failed_mediator_entry_leaves_no_participant(event, organiser_api):
    before = Contributor.objects.count()
    response = organiser_api.post(FEATURES, {"type": "Feature", "geometry": g.FAR_OUTSIDE,
                                             "properties": {"preset": "amenity/bench",
                                                            "on_behalf_of": "Ghost Person"}},
                                  format="json")
    assert response.status_code == 400
    assert Contributor.objects.count() == before


def test_mediator_cannot_write_in_the_name_of_a_self_joined_participant(joined, organiser_api):
    response = organiser_api.post(FEATURES, {"type": "Feature", "geometry": g.INSIDE,
                                             "properties": {"preset": "amenity/bench",
                                                            "on_behalf_of": "camille"}},
                                  format="json")
    assert response.status_code == 409
    assert not MappedFeature.objects.exists()


def test_pseudonyms_differ_by_case_beyond_ascii(client_api, event):
    url = "/api/v1/events/chambery/participants/"
    assert client_api.post(url, {"join_code": "SAVOIE73", "pseudonym": "Élodie"},
                           format="json").status_code == 201
    assert client_api.post(url, {"join_code": "SAVOIE73", "pseudonym": "élodie"},
                           format="json").status_code == 409


def test_an_original_with_duplicates_cannot_be_rejected(event, author, organiser):
    original, _ = feature_submit(event=event, author=author, geometry=g.INSIDE,
                                 preset="amenity/bench")
    duplicate, _ = feature_submit(event=event, author=author, geometry=g.INSIDE_2,
                                  preset="amenity/bench")
    contribution_set_status(contribution=duplicate, actor=organiser, status="merged",
                            merged_into=original.pk)
    from mapping.errors import Conflict

    with pytest.raises(Conflict, match="1 contributions are merged into this one"):
        contribution_set_status(contribution=original, actor=organiser, status="rejected",
                                reason="non")


def test_participants_in_one_room_are_throttled_separately(event, client_api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"join": "100/hour",
                                                          "contribute": "1/hour"}}
    statuses = []
    for name in ("Ana", "Bob", "Chloé"):
        token = client_api.post("/api/v1/events/chambery/participants/",
                                {"join_code": "SAVOIE73", "pseudonym": name},
                                format="json").json()["token"]
        client_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        body = {"type": "Feature", "geometry": g.INSIDE, "properties": {"preset": "natural/tree"}}
        statuses.append(client_api.post(FEATURES, body, format="json").status_code)
        statuses.append(client_api.post(FEATURES, body, format="json").status_code)
    assert statuses == [201, 429] * 3


def test_demo_loads_in_the_early_morning(monkeypatch):
    early = timezone.now().replace(hour=5, minute=30)
    monkeypatch.setattr(timezone, "now", lambda: early)
    assert demo_load(now=early).created


@pytest.mark.django_db(transaction=True)
def test_the_same_id_sent_twice_at_once_is_stored_once(event, author):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers (IMMEDIATE transactions): no race to test")
    contribution_id = uuid.uuid4()
    results: list[str] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        barrier.wait()
        try:
            _, created = feature_submit(event=event, author=author, geometry=g.INSIDE,
                                        preset="amenity/bench", contribution_id=contribution_id)
            results.append("created" if created else "replayed")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["created", "replayed"]
    assert MappedFeature.objects.filter(pk=contribution_id).count() == 1
