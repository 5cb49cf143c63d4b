"""The moderation queue and its decision endpoint: who may moderate, filters, bulk, history."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from mapping.models import EventRole, NuisanceReport
from mapping.services import feature_submit, report_submit
from mapping.services.grid import grid_create
from tests.factories import EventRoleFactory
from tests.geometries import INSIDE, INSIDE_2

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(event, author):
    return [report_submit(event=event, author=author, geometry=geom, category=category,
                          intensity=3, observed_at=timezone.now()).contribution
            for geom, category in ((INSIDE, "noise"), (INSIDE_2, "smell"), (INSIDE, "noise"))]


def act(client, event, payload):
    return client.post(reverse("desk:moderation-act", args=[event.slug]),
                       data=json.dumps(payload), content_type="application/json")


def test_the_queue_needs_a_login(client, event):
    response = client.get(reverse("desk:moderation", args=[event.slug]))
    assert response.status_code == 302
    assert reverse("desk:login") in response["Location"]


def test_a_participant_cannot_moderate(client, event, joined, reports):
    """A participant holds a token, not an account: the desk and its endpoint refuse."""
    response = client.post(reverse("desk:moderation-act", args=[event.slug]),
                           data=json.dumps({"status": "accepted", "items": [
                               {"kind": "reports", "id": str(reports[0].pk)}]}),
                           content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {joined.token}")
    assert response.status_code == 302  # to the login page
    reports[0].refresh_from_db()
    assert reports[0].status == "received"


def test_a_mediator_cannot_moderate(client, event, reports):
    user = EventRoleFactory(event=event, user__username="med", role=EventRole.Role.MEDIATOR).user
    client.force_login(user)
    assert client.get(reverse("desk:moderation", args=[event.slug])).status_code == 403
    response = act(client, event, {"items": [{"kind": "reports", "id": str(reports[0].pk)}],
                                   "status": "accepted"})
    assert response.status_code == 403


def test_an_organiser_of_another_event_cannot_moderate(client, event, other_event, reports):
    user = EventRoleFactory(event=other_event, user__username="orga-ailleurs",
                            role=EventRole.Role.ORGANISER).user
    client.force_login(user)
    assert client.get(reverse("desk:moderation", args=[event.slug])).status_code == 403
    response = act(client, event, {"items": [{"kind": "reports", "id": str(reports[0].pk)}],
                                   "status": "accepted"})
    assert response.status_code == 403
    # Nor through their own event's address: the item is not found there.
    response = act(client, other_event,
                   {"items": [{"kind": "reports", "id": str(reports[0].pk)}], "status": "accepted"})
    assert response.json()["results"][0]["ok"] is False
    reports[0].refresh_from_db()
    assert reports[0].status == "received"


def test_bulk_reject_with_a_reason_records_history(client, event, organiser, reports):
    client.force_login(organiser)
    response = act(client, event, {
        "items": [{"kind": "reports", "id": str(r.pk), "version": r.version} for r in reports[:2]],
        "status": "rejected", "reason": "Hors de la zone."})
    assert response.status_code == 200
    assert all(r["ok"] for r in response.json()["results"])
    rejected = NuisanceReport.objects.get(pk=reports[0].pk)
    assert rejected.status == "rejected"
    last = rejected.history.last()
    assert (last.to_status, last.reason, last.actor_user) == ("rejected", "Hors de la zone.",
                                                              organiser)


def test_reject_without_reason_and_stale_version_are_reported_per_item(client, event, organiser,
                                                                      reports):
    client.force_login(organiser)
    response = act(client, event, {"items": [
        {"kind": "reports", "id": str(reports[0].pk), "version": 1},
        {"kind": "reports", "id": str(reports[1].pk), "version": 99}], "status": "rejected"})
    assert response.status_code == 207
    results = response.json()["results"]
    assert [r["ok"] for r in results] == [False, False]
    assert [r["field"] for r in results] == ["reason", "version"]
    assert "motif" in results[0]["error"]  # in the moderator's language (French by default)
    response = act(client, event, {"items": [
        {"kind": "reports", "id": str(reports[0].pk), "version": 1},
        {"kind": "reports", "id": str(reports[1].pk), "version": 99}], "status": "accepted"})
    assert [r["ok"] for r in response.json()["results"]] == [True, False]


def test_merge_into_another(client, event, organiser, reports):
    client.force_login(organiser)
    response = act(client, event, {"items": [{"kind": "reports", "id": str(reports[2].pk)}],
                                   "status": "merged", "merged_into": str(reports[0].pk)})
    assert response.json()["results"][0]["ok"]
    merged = NuisanceReport.objects.get(pk=reports[2].pk)
    assert merged.status == "merged"
    assert merged.merged_into_id == reports[0].pk


def test_queue_filters(client, event, organiser, author, reports):
    feature_submit(event=event, author=author, geometry=INSIDE, tags={"amenity": "bench"})
    grid_create(event=event, actor=organiser, size_m=50)
    client.force_login(organiser)
    url = reverse("desk:moderation", args=[event.slug])

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [item["id"] for item in response.context["items"]]

    assert len(ids()) == 4
    assert ids(category="smell") == [str(reports[1].pk)]
    assert len(ids(kind="features")) == 1
    assert ids(contributor="nobody") == []
    assert len(ids(contributor="camille")) == 4
    from shapely import wkb
    from shapely.geometry import shape

    from mapping.selectors import grid_of
    cell = next(c for c in grid_of(event)
                if wkb.loads(bytes(c.geometry.wkb)).intersects(shape(INSIDE_2)))
    assert ids(cell=cell.pk) == [str(reports[1].pk)]
    act(client, event, {"items": [{"kind": "reports", "id": str(reports[0].pk)}],
                        "status": "accepted"})
    assert len(ids()) == 3
    assert ids(status="accepted") == [str(reports[0].pk)]


@pytest.mark.parametrize(("language", "category", "status", "preset"),
                         [("fr", "Bruit", "reçue", "Banc"), ("en", "Noise", "received", "Bench")])
def test_queue_words_are_in_the_users_language(client, event, organiser, author, reports,
                                               language, category, status, preset):
    feature_submit(event=event, author=author, geometry=INSIDE, preset="amenity/bench",
                   tags={})
    client.force_login(organiser)
    response = client.get(reverse("desk:moderation", args=[event.slug]),
                          HTTP_ACCEPT_LANGUAGE=language)
    labels = {item["label"] for item in response.context["items"]}
    assert {category, preset} <= labels
    html = response.content.decode()
    assert f'<option value="received" selected>{status}</option>' in html
    names = json.loads(html.split('id="queue-names" type="application/json">')[1]
                       .split("</script>")[0])
    assert names["status"]["received"] == status
