"""OGC API items served from the rendered items of ``/api/v1/`` (web/api/items.py): a fixed
number of queries per page, fewer once its items were rendered, and the key of a rendered
item holds all that changes its text — the reader's view of it, and the CRS asked.

Counts are those of the test transaction. A page reads the event, the version of its
contributions (the ETag), the page's keys, the number matched; then the rows and histories
of the items not rendered yet (none on a warm page). A signed-in reader adds their token and
roles; a page after the first adds its cursor's row (twice: this page, the previous one) and
the previous page's keys.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from pyproj import Transformer
from rest_framework.test import APIClient

from mapping.models import Contributor, EventRole
from mapping.services import contribution_set_status
from tests.conftest import bearer_api, role_api
from tests.factories import (
    ContributorFactory,
    MappedFeatureFactory,
    NuisanceReportFactory,
    geos,
)
from web.api.items import CACHE

pytestmark = pytest.mark.django_db

FEATURES = "/ogcapi/collections/chambery-features/items"
REPORTS = "/ogcapi/collections/chambery-reports/items"
L93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
# A report made from home, between two public grid points: its public place is (5.932, 45.566).
HOME = (5.93237, 45.56583)
PUBLIC_PLACE = [5.932, 45.566]
TO_L93 = Transformer.from_crs("OGC:CRS84", "EPSG:2154", always_xy=True)


def point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


@pytest.fixture
def filled(event, organiser):  # type: ignore[no-untyped-def]
    """``count`` features and reports of one participant at HOME, half of them moderated
    (a history line by a user: names must not cost a query each)."""

    def fill(count: int) -> Contributor:
        person = ContributorFactory(event=event)
        for n in range(count):
            feature = MappedFeatureFactory(event=event, author=person)
            report = NuisanceReportFactory(event=event, author=person, geometry=geos(point(*HOME)))
            if n % 2:
                for item in (feature, report):
                    contribution_set_status(contribution=item, actor=organiser,
                                            status="accepted")
        return person

    return fill


def client_of(who: str, event: Any, person: Contributor) -> APIClient:
    if who == "officer":
        return role_api(event, "officer", EventRole.Role.OFFICER)
    if who == "participant":
        return bearer_api(person.token)
    return APIClient()


def get(client: APIClient, url: str, params: dict[str, Any] | None = None) -> Any:
    response = client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content[:500]
    return response


# (name, url, params, reader, queries on a cold page)
PAGES = [
    ("features, public", FEATURES, {}, "anonymous", 6),
    ("features, public, box and time", FEATURES,
     {"bbox": "5.90,45.54,5.96,45.59", "datetime": "2000-01-01/.."}, "anonymous", 6),
    ("features, officer, Lambert-93", FEATURES, {"crs": L93}, "officer", 8),
    ("reports, public", REPORTS, {}, "anonymous", 6),
    ("reports, public box", REPORTS, {"bbox": "5.9318,45.5658,5.9321,45.5661"}, "anonymous", 6),
    ("reports, officer", REPORTS, {"datetime": "2000-01-01/.."}, "officer", 8),
    ("reports, participant", REPORTS, {"crs": L93}, "participant", 7),
]


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize(("name", "url", "params", "who", "queries"), PAGES,
                         ids=[row[0] for row in PAGES])
def test_a_cold_page_costs_the_same_queries_for_one_item_or_many(
        event, filled, name, url, params, who, queries, count, django_assert_num_queries):
    person = filled(count)
    client = client_of(who, event, person)
    with django_assert_num_queries(queries):
        body = get(client, url, params).json()
    assert body["numberReturned"] == body["numberMatched"] == count


@pytest.mark.parametrize(("name", "url", "params", "who", "queries"), PAGES,
                         ids=[row[0] for row in PAGES])
def test_a_warm_page_reads_only_its_keys(
        event, filled, name, url, params, who, queries, django_assert_num_queries):
    """The same page again (no ``If-None-Match``: not a 304) reads neither rows nor
    histories, and sends the same items. Fails with ``API_ITEM_CACHE_SIZE=0``."""
    client = client_of(who, event, filled(6))
    cold = get(client, url, params).json()
    with django_assert_num_queries(queries - 2):
        warm = get(client, url, params).json()
    assert warm["features"] == cold["features"]
    assert (warm["numberMatched"], warm["numberReturned"]) == (6, 6)


def test_a_next_page_adds_its_cursor_and_the_previous_one(
        event, filled, django_assert_num_queries):
    filled(5)
    first = get(APIClient(), FEATURES, {"limit": 2}).json()
    href = next(link["href"] for link in first["links"] if link["rel"] == "next")
    parts = urlsplit(href)
    with django_assert_num_queries(6 + 3):
        second = get(APIClient(), f"{parts.path}?{parts.query}").json()
    assert second["numberReturned"] == 2
    assert {link["rel"] for link in second["links"]} >= {"prev", "next"}


def test_the_json_api_and_ogc_share_the_items_in_crs84(
        event, filled, django_assert_num_queries):
    """One cache: items rendered for /api/v1/ are not rendered again for /ogcapi/ in CRS84,
    and read the same."""
    filled(3)
    api = get(APIClient(), "/api/v1/events/chambery/features/").json()["features"]
    with django_assert_num_queries(6 - 2):
        ogc = get(APIClient(), FEATURES).json()["features"]
    assert ogc == api


def test_another_crs_is_another_rendered_item(event, django_assert_num_queries):
    bench = MappedFeatureFactory(event=event, geometry=geos(point(*HOME)))
    (crs84,) = get(APIClient(), FEATURES).json()["features"]
    assert crs84["geometry"]["coordinates"] == list(HOME)
    with django_assert_num_queries(6):  # not the CRS84 text: rendered, in Lambert-93
        (l93,) = get(APIClient(), FEATURES, {"crs": L93}).json()["features"]
    assert l93["id"] == str(bench.pk)
    assert l93["geometry"]["coordinates"] == pytest.approx(TO_L93.transform(*HOME), abs=0.001)
    with django_assert_num_queries(6 - 2):
        (again,) = get(APIClient(), FEATURES, {"crs": L93}).json()["features"]
    assert again == l93
    assert len(CACHE) == 2


@pytest.mark.parametrize("crs", [None, L93])
def test_a_report_rendered_for_its_author_or_an_officer_never_reaches_the_public(
        event, joined, crs):
    """The author and an officer read first (exact places, warm entries); the public then
    still gets the public place and hour, and no comment — in either CRS."""
    morning = dt.datetime(2026, 5, 1, 9, 10, tzinfo=dt.UTC)
    NuisanceReportFactory(event=event, author=joined.contributor, geometry=geos(point(*HOME)),
                          observed_at=morning, comment="Chez moi, au 3e")
    params = {"crs": crs} if crs else {}
    tolerance = 1e-7 if crs is None else 1e-3  # degrees, or metres (public and exact: 40 m)

    def place(coordinates: list[float]) -> tuple[float, float]:
        return tuple(coordinates) if crs is None else TO_L93.transform(*coordinates)

    officer = role_api(event, "officer", EventRole.Role.OFFICER)
    for exact_reader in (bearer_api(joined.token), officer):
        (seen,) = get(exact_reader, REPORTS, params).json()["features"]
        assert seen["geometry"]["coordinates"] == pytest.approx(place(list(HOME)), abs=tolerance)
        assert seen["properties"]["comment"] == "Chez moi, au 3e"
        assert seen["properties"]["observed_at"] == morning.isoformat()
    (public,) = get(APIClient(), REPORTS, params).json()["features"]
    assert public["geometry"]["coordinates"] == pytest.approx(place(PUBLIC_PLACE), abs=tolerance)
    assert public["properties"]["coarsened"] is True
    assert public["properties"]["comment"] is None
    assert public["properties"]["observed_at"] == "2026-05-01T09:00:00+00:00"
    # And the other way round: the public's entry is not the author's.
    (own,) = get(bearer_api(joined.token), REPORTS, params).json()["features"]
    assert own["properties"]["coarsened"] is False


def test_a_moderated_report_is_rendered_again(event, organiser):
    report = NuisanceReportFactory(event=event, comment="Derrière la gare")
    (before,) = get(APIClient(), REPORTS).json()["features"]
    assert before["properties"]["comment"] is None
    contribution_set_status(contribution=report, actor=organiser, status="accepted")
    (after,) = get(APIClient(), REPORTS).json()["features"]
    assert (after["properties"]["status"], after["properties"]["comment"]) == (
        "accepted", "Derrière la gare")

