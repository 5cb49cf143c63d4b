"""OGC API – Features under /ogcapi/ (web/ogcapi/): the documents, items, paging, CRS, time,
errors, and the same consent and coarsening rules as /api/v1/."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from pyproj import Transformer
from rest_framework.test import APIClient

from mapping.models import EventRole, MappedFeature, NuisanceReport
from tests.conftest import role_api
from tests.factories import MappedFeatureFactory, NuisanceReportFactory, geos

pytestmark = pytest.mark.django_db

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
L93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
ITEMS = "/ogcapi/collections/chambery-features/items"
REPORTS = "/ogcapi/collections/chambery-reports/items"
# A report made from home, between two public grid points (3 decimals): its public place is
# (5.932, 45.566), about 40 m from where it was made.
HOME = (5.93237, 45.56583)
MORNING = dt.datetime(2026, 5, 1, 9, 10, tzinfo=dt.UTC)


@pytest.fixture
def officer_api(event) -> APIClient:  # type: ignore[no-untyped-def]
    return role_api(event, "officer", EventRole.Role.OFFICER)


def point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def features(event: Any, count: int) -> list[MappedFeature]:
    """``count`` benches added one hour apart, the first ``count`` hours ago."""
    made = []
    start = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC)
    for n in range(count):
        bench = MappedFeatureFactory(
            event=event, geometry=geos(point(5.9303 + n * 0.0003, 45.5655))
        )
        MappedFeature.objects.filter(pk=bench.pk).update(created_at=start + dt.timedelta(hours=n))
        made.append(bench)
    return made


def get(client: APIClient, url: str, **extra: Any) -> Any:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **extra)
    return response


def follow(client: APIClient, href: str) -> Any:
    parts = urlsplit(href)
    return get(client, f"{parts.path}?{parts.query}").json()


def rel(body: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((link for link in body["links"] if link["rel"] == name), None)


# --- The documents -----------------------------------------------------------------------


def test_landing_page_conformance_and_api_definition(client_api, event) -> None:  # type: ignore[no-untyped-def]
    landing = get(client_api, "/ogcapi/")
    assert landing.status_code == 200
    assert landing["Content-Type"] == "application/json"
    rels = {link["rel"] for link in landing.json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    conforms = get(client_api, "/ogcapi/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conforms
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conforms
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conforms
    api = get(client_api, "/ogcapi/api").json()
    limit = next(
        p
        for p in api["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
        if p["name"] == "limit"
    )
    assert (limit["schema"]["default"], limit["schema"]["maximum"]) == (100, 10000)


def test_each_event_has_four_collections_with_their_crs(client_api, event) -> None:  # type: ignore[no-untyped-def]
    body = get(client_api, "/ogcapi/collections").json()
    ids = [c["id"] for c in body["collections"]]
    assert ids == ["chambery-features", "chambery-reports", "chambery-sensors", "chambery-overlay"]
    one = get(client_api, "/ogcapi/collections/chambery-reports").json()
    assert one["storageCrs"] == CRS84
    assert {CRS84, EPSG4326, L93, "http://www.opengis.net/def/crs/EPSG/0/3857"} <= set(one["crs"])
    assert one["extent"]["spatial"]["bbox"] == [list(event.zone.extent)]
    assert one["extent"]["temporal"]["interval"] == [
        [event.starts_at.isoformat(), event.ends_at.isoformat()]
    ]
    assert rel(one, "items")["type"] == "application/geo+json"
    assert "100 m" in one["description"]


def test_an_event_elsewhere_also_offers_its_utm_zone(client_api, nantes) -> None:  # type: ignore[no-untyped-def]
    # Nantes is in Lambert-93's area: nothing added; the list is the same for every event.
    crs = get(client_api, "/ogcapi/collections/nantes-2019-features").json()["crs"]
    assert crs[0] == CRS84
    assert L93 in crs


# --- Items: paging, limit ----------------------------------------------------------------


def test_items_come_in_pages_with_next_and_prev_links(client_api, event) -> None:  # type: ignore[no-untyped-def]
    made = [str(f.pk) for f in features(event, 5)]
    first = get(client_api, f"{ITEMS}?limit=2")
    assert first.status_code == 200
    assert first["Content-Type"] == "application/geo+json"
    assert first["Content-Crs"] == f"<{CRS84}>"
    page = first.json()
    assert (page["numberMatched"], page["numberReturned"]) == (5, 2)
    assert rel(page, "prev") is None
    assert rel(page, "self")["href"].endswith("limit=2")
    seen, pages = [f["id"] for f in page["features"]], [page]
    while rel(page, "next"):
        page = follow(client_api, rel(page, "next")["href"])
        pages.append(page)
        seen += [f["id"] for f in page["features"]]
    assert seen == made
    assert [p["numberReturned"] for p in pages] == [2, 2, 1]
    # Back from the last page: the second one, then the first (no cursor).
    second = follow(client_api, rel(pages[2], "prev")["href"])
    assert [f["id"] for f in second["features"]] == made[2:4]
    back = rel(second, "prev")["href"]
    assert "cursor" not in back
    assert [f["id"] for f in follow(client_api, back)["features"]] == made[:2]


def test_limit_defaults_to_100_and_is_capped_at_the_maximum(client_api, event) -> None:  # type: ignore[no-untyped-def]
    features(event, 3)
    assert get(client_api, ITEMS).json()["numberReturned"] == 3
    capped = get(client_api, f"{ITEMS}?limit=20000")
    assert capped.status_code == 200
    assert capped.json()["numberReturned"] == 3


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=-5", "limit"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=6,46,5,45", "bbox"),
        ("bbox=5,45,6,46&bbox-crs=EPSG:9999", "bbox-crs"),
        ("bbox=nan,nan,nan,nan", "bbox"),
        ("bbox=1,2,3,4,5", "bbox"),
        ("bbox=-200,40,5,46", "bbox"),
        ("datetime=yesterday", "datetime"),
        ("datetime=2026-05-02T00:00:00Z/2026-05-01", "datetime"),
        ("datetime=../..", "datetime"),
        ("crs=http://www.opengis.net/def/crs/EPSG/0/9999", "crs"),
        ("cursor=not-a-cursor", "cursor"),
        ("status=lost", "status"),
        ("colour=red", "colour"),
        ("f=html", "f"),
        ("offset=3", "offset"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client_api, event, query, parameter) -> None:  # type: ignore[no-untyped-def]
    response = get(client_api, f"{ITEMS}?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert body["parameter"] == parameter
    assert parameter in body["description"]


def test_unknown_collections_items_and_paths_are_ogc_404s(client_api, event) -> None:  # type: ignore[no-untyped-def]
    for url in (
        "/ogcapi/collections/chambery-roads",
        "/ogcapi/collections/nowhere-features",
        f"{ITEMS}/d8de8c61-902a-5a93-a9ab-a58c734ea031",
        f"{ITEMS}/not-an-id",
        "/ogcapi/collections/chambery-sensors/items/station:none",
        "/ogcapi/collections/chambery-features/queryables",
    ):
        response = get(client_api, url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "NotFound"


def test_an_unchanged_page_is_a_304(client_api, event) -> None:  # type: ignore[no-untyped-def]
    features(event, 2)
    first = get(client_api, ITEMS)
    again = get(client_api, ITEMS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    MappedFeatureFactory(event=event)
    assert get(client_api, ITEMS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# --- Items: bbox, CRS, time --------------------------------------------------------------


def test_bbox_in_crs84_lambert93_and_epsg4326_select_the_same_items(client_api, event) -> None:  # type: ignore[no-untyped-def]
    made = features(event, 5)  # lon 5.9303 … 5.9315
    west, south, east, north = 5.9305, 45.5650, 5.9313, 45.5660
    expected = [str(f.pk) for f in made[1:4]]
    crs84 = get(client_api, f"{ITEMS}?bbox={west},{south},{east},{north}").json()
    assert [f["id"] for f in crs84["features"]] == expected
    assert crs84["numberMatched"] == 3
    to_l93 = Transformer.from_crs("OGC:CRS84", "EPSG:2154", always_xy=True)
    # A box in Lambert-93 holding the same four corners (a little larger).
    xs, ys = to_l93.transform([west, east, west, east], [south, south, north, north])
    l93 = get(
        client_api, f"{ITEMS}?bbox={min(xs)},{min(ys)},{max(xs)},{max(ys)}&bbox-crs={L93}"
    ).json()
    assert [f["id"] for f in l93["features"]] == expected
    # EPSG:4326 is latitude first.
    lat_lon = get(
        client_api, f"{ITEMS}?bbox={south},{west},{north},{east}&bbox-crs={EPSG4326}"
    ).json()
    assert [f["id"] for f in lat_lon["features"]] == expected


def test_crs_answers_in_lambert93_and_in_latitude_order(client_api, event) -> None:  # type: ignore[no-untyped-def]
    (bench,) = features(event, 1)
    lon, lat = bench.geometry.coords
    response = get(client_api, f"{ITEMS}?crs={L93}")
    assert response["Content-Crs"] == f"<{L93}>"
    x, y = response.json()["features"][0]["geometry"]["coordinates"]
    expected = Transformer.from_crs("OGC:CRS84", "EPSG:2154", always_xy=True).transform(lon, lat)
    assert (x, y) == pytest.approx(expected, abs=0.001)
    one = get(client_api, f"{ITEMS}/{bench.pk}?crs=[EPSG:4326]")
    assert one["Content-Crs"] == f"<{EPSG4326}>"
    assert one.json()["geometry"]["coordinates"] == pytest.approx([lat, lon])


def test_datetime_instant_intervals_and_open_ends(client_api, event) -> None:  # type: ignore[no-untyped-def]
    made = [str(f.pk) for f in features(event, 4)]  # 08:00, 09:00, 10:00, 11:00 on 1 May

    def ids(value: str) -> list[str]:
        return [f["id"] for f in get(client_api, f"{ITEMS}?datetime={value}").json()["features"]]

    assert ids("2026-05-01T09:00:00Z") == made[1:2]
    assert ids("2026-05-01T08:30:00Z/2026-05-01T10:00:00Z") == made[1:3]
    assert ids("../2026-05-01T09:00:00Z") == made[:2]
    assert ids("2026-05-01T09:30:00%2B00:00/..") == made[2:]
    assert ids("2026-05-01") == made
    assert ids("2026-04-30") == []


# --- Consent and coarsening: the same rules as /api/v1/ ----------------------------------


@pytest.fixture
def home_report(event) -> NuisanceReport:  # type: ignore[no-untyped-def]
    return NuisanceReportFactory(
        event=event, geometry=geos(point(*HOME)), observed_at=MORNING, comment="Chez moi, au 3e"
    )


def test_the_public_gets_public_places_and_hours_officers_exact_ones(
    client_api, officer_api, home_report
) -> None:  # type: ignore[no-untyped-def]
    public = get(client_api, REPORTS).json()["features"][0]
    assert public["geometry"]["coordinates"] == [5.932, 45.566]
    props = public["properties"]
    assert props["coarsened"] is True
    assert props["comment"] is None
    assert props["observed_at"] == "2026-05-01T09:00:00+00:00"
    exact = get(officer_api, REPORTS).json()["features"][0]
    assert exact["geometry"]["coordinates"] == list(HOME)
    assert exact["properties"]["observed_at"] == MORNING.isoformat()
    # Same in another CRS, and for one item: the public place, projected.
    one = get(client_api, f"{REPORTS}/{home_report.pk}?crs={L93}").json()
    expected = Transformer.from_crs("OGC:CRS84", "EPSG:2154", always_xy=True).transform(
        5.932, 45.566
    )
    assert one["geometry"]["coordinates"] == pytest.approx(expected, abs=0.001)


def test_a_public_bbox_is_decided_on_the_public_place(client_api, officer_api, home_report) -> None:  # type: ignore[no-untyped-def]
    # A small box around the exact place, missing the public one (5.932, 45.566).
    box = "5.9322,45.5657,5.9325,45.5659"
    public = get(client_api, f"{REPORTS}?bbox={box}").json()
    assert (public["numberMatched"], public["numberReturned"]) == (0, 0)
    officer = get(officer_api, f"{REPORTS}?bbox={box}").json()
    assert (officer["numberMatched"], officer["numberReturned"]) == (1, 1)
    around_public = get(client_api, f"{REPORTS}?bbox=5.9318,45.5658,5.9321,45.5661").json()
    assert around_public["numberMatched"] == 1
    assert around_public["numberReturned"] == 1


def test_a_public_time_filter_is_decided_on_the_public_hour(  # type: ignore[no-untyped-def]
    client_api, officer_api, home_report
) -> None:
    # Observed at 09:10: the public sees 09:00. No sequence of intervals tells the minute.
    def matched(client: APIClient, value: str) -> int:
        return get(client, f"{REPORTS}?datetime={value}").json()["numberMatched"]

    minutes = "2026-05-01T09:05:00Z/2026-05-01T09:15:00Z"
    assert (matched(client_api, minutes), matched(officer_api, minutes)) == (0, 1)
    hour = "2026-05-01T09:00:00Z"
    assert (matched(client_api, hour), matched(officer_api, hour)) == (1, 0)
    for start in range(0, 60, 5):  # every five-minute step of the hour answers alike
        value = f"2026-05-01T09:{start:02d}:00Z/.."
        assert matched(client_api, value) == (1 if start == 0 else 0)
    assert matched(client_api, "../2026-05-01T09:00:00Z") == 1


def test_authors_names_only_for_organisers(client_api, event, organiser_api) -> None:  # type: ignore[no-untyped-def]
    features(event, 1)
    assert "author" not in get(client_api, ITEMS).json()["features"][0]["properties"]
    assert get(organiser_api, ITEMS).json()["features"][0]["properties"]["author"]


def test_a_bad_token_is_refused_as_an_ogc_exception(event) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    response = client.get(REPORTS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["code"] == "NotAuthorized"


# --- Sensors and overlay cells (real LASSO survey of Nantes) ------------------------------


def test_sensors_and_overlay_match_the_json_api(nantes_imported, client_api) -> None:  # type: ignore[no-untyped-def]
    nantes, _ = nantes_imported
    api_sensors = get(client_api, f"/api/v1/events/{nantes.slug}/sensors/").json()["features"]
    url = f"/ogcapi/collections/{nantes.slug}-sensors/items"
    page = get(client_api, f"{url}?limit=200").json()
    assert page["numberMatched"] == len(api_sensors) > 200
    assert page["numberReturned"] == 200
    assert "ODbL" in page["licence"]
    assert "LASSO" in page["attribution"]
    ids = [f["id"] for f in page["features"]]
    while rel(page, "next"):
        page = follow(client_api, rel(page, "next")["href"])
        ids += [f["id"] for f in page["features"]]
    assert ids == [f["id"] for f in api_sensors]
    one = get(client_api, f"{url}/{ids[0]}").json()
    assert one["id"] == ids[0]
    assert one["properties"]["source"] == "lasso"
    # The survey ran from March 2019: nothing measured in 2018.
    assert get(client_api, f"{url}?datetime=../2018-12-31").json()["numberMatched"] == 0
    cells = get(client_api, f"/api/v1/events/{nantes.slug}/overlay/").json()["features"]
    overlay = get(client_api, f"/ogcapi/collections/{nantes.slug}-overlay/items?limit=10000").json()
    assert [f["id"] for f in overlay["features"]] == [f["id"] for f in cells]
    shown = [f["properties"]["n_contributors"] for f in overlay["features"]]
    assert all(n == 0 or n >= 3 for n in shown)
    west, south, east, north = -1.56, 47.20, -1.54, 47.22
    boxed = get(
        client_api,
        f"/ogcapi/collections/{nantes.slug}-overlay/items?bbox={west},{south},{east},{north}",
    ).json()
    assert 0 < boxed["numberMatched"] < len(cells)


def test_documents_and_errors_in_french(client_api, event) -> None:  # type: ignore[no-untyped-def]
    collection = client_api.get(
        "/ogcapi/collections/chambery-reports", HTTP_ACCEPT_LANGUAGE="fr"
    ).json()
    assert collection["title"] == "Carto-party chambery : signalements de nuisances"
    assert "arrondi à environ 100 m" in collection["description"]
    error = client_api.get(f"{ITEMS}?datetime=hier", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert error["description"].startswith("datetime doit être une date-heure RFC 3339")
    missing = client_api.get("/ogcapi/collections/chambery-roads", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert missing["description"].startswith("Aucune collection chambery-roads")


def test_an_officers_cached_overlay_is_never_served_to_the_public(
    nantes_imported, client_api
) -> None:  # type: ignore[no-untyped-def]
    nantes, _ = nantes_imported
    officer = role_api(nantes, "officer", EventRole.Role.OFFICER)
    url = f"/ogcapi/collections/{nantes.slug}-overlay/items?limit=10000"
    exact = get(officer, url).json()["features"]  # computed and kept for a minute
    assert any(0 < f["properties"]["n_contributors"] < 3 for f in exact)
    public = get(client_api, url).json()["features"]
    assert all(
        f["properties"]["n_contributors"] in (0, None) or f["properties"]["n_contributors"] >= 3
        for f in public
    )
    assert [f["id"] for f in public] == [
        f["id"]
        for f in get(client_api, f"/api/v1/events/{nantes.slug}/overlay/").json()["features"]
    ]
