"""Tests for web/api/sensors.py, overlay.py and ingest.py (sensor layers and the overlay)."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from layers.models import Measurement
from layers.services import measurements_import, sensor_issue_key, sensor_register
from mapping.models import EventRole
from tests.conftest import role_api
from tests.layers.conftest import (  # noqa: F401 — fixtures
    NOISE,
    PORNICHET_TRACK,
    PORNICHET_UUID,
    chambery_june,
    nantes,
    nantes_imported,
    pornichet,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_api(nantes) -> APIClient:  # type: ignore[no-untyped-def]
    return role_api(nantes, "officer", EventRole.Role.OFFICER)


def test_sensors_geojson_with_a_track_as_a_line(pornichet, client_api) -> None:  # type: ignore[no-untyped-def]
    measurements_import(paths=[PORNICHET_TRACK], event=pornichet)
    body = client_api.get(f"/api/v1/events/{pornichet.slug}/sensors/").json()
    (track,) = body["features"]
    assert track["id"] == f"noisecapture:{PORNICHET_UUID}"
    assert track["geometry"]["type"] == "LineString"
    assert len(track["geometry"]["coordinates"]) == 115
    props = track["properties"]
    assert (props["readings"], props["readings_located"], props["laeq_db"]) == (115, 115, 52.04)
    assert props["first"] == "2017-09-20T08:13:39.666000+00:00"
    assert props["last"] == "2017-09-20T08:15:34.151000+00:00"  # the end of the last second
    # NoiseCapture's own whole-record leq_mean beside ours: 0.51 dB apart, flagged.
    assert (props["app_laeq_db"], props["app_laeq_differs"]) == (52.55, True)
    assert props["l10_db"] > props["l50_db"] > props["l90_db"]
    assert "ODbL" in body["licence"]
    assert body["left_out"] == []


def test_sensors_of_a_station_give_levels_to_the_hundredth(chambery_june, client_api) -> None:  # type: ignore[no-untyped-def]
    measurements_import(paths=[NOISE / "stations_sample.csv"], event=chambery_june)
    body = client_api.get(f"/api/v1/events/{chambery_june.slug}/sensors/").json()
    station = {f["id"]: f for f in body["features"]}["station:chambery-01"]["properties"]
    assert (station["readings"], station["laeq_db"], station["l90_db"]) == (2, 67.4, None)
    # Two reported LA90 (52.5, 55.0): percentile levels are never averaged, only counted.
    assert (station["la90_db_reported"], station["la90_readings"]) == (None, 2)
    # Two hours from 18:00+02:00: the last interval ends at 20:00+02:00.
    assert station["last"] == "2024-06-21T18:00:00+00:00"


def test_a_sensor_serves_only_the_events_it_measured_in(  # type: ignore[no-untyped-def]
    pornichet, chambery_june, client_api,
) -> None:
    measurements_import(paths=[PORNICHET_TRACK, NOISE / "stations_sample.csv"], event=pornichet)
    codes = {slug: [f["id"] for f in client_api.get(f"/api/v1/events/{slug}/sensors/").json()[
        "features"]] for slug in (pornichet.slug, chambery_june.slug)}
    assert codes[pornichet.slug] == [f"noisecapture:{PORNICHET_UUID}"]
    assert sorted(codes[chambery_june.slug]) == ["station:chambery-01", "station:chambery-02"]


def test_overlay_public_cells_leave_small_counts_out_entirely(  # type: ignore[no-untyped-def]
    nantes_imported, client_api, officer_api,
) -> None:
    nantes, _ = nantes_imported
    url = f"/api/v1/events/{nantes.slug}/overlay/?grid=square&cell_m=500"
    public = client_api.get(url).json()
    officer = officer_api.get(url).json()
    assert len(officer["features"]) > len(public["features"]) > 10
    shown = [f["properties"] for f in public["features"]]
    assert all(p["n_contributors"] == 0 or p["n_contributors"] >= 3 for p in shown)
    assert any(0 < f["properties"]["n_contributors"] < 3 for f in officer["features"])
    assert public["metric_crs"] == "EPSG:2154"
    assert public["note"]
    assert officer["note"] is None
    # The LASSO rows whose LAeq lies below their LA90 are left out, and the answer says so.
    (left,) = public["left_out"]
    assert left["reason"] == "laeq_below_la90"
    assert left["readings"] == len(left["sensors"]) > 0
    assert "LA90" in left["explanation"]


def test_overlay_public_default_is_the_smallest_public_cell(nantes_imported, client_api) -> None:  # type: ignore[no-untyped-def]
    nantes, _ = nantes_imported
    body = client_api.get(f"/api/v1/events/{nantes.slug}/overlay/").json()
    assert body["parameters"]["cell_m"] == 250.0


def test_overlay_left_out_is_explained_in_french(nantes_imported, client_api) -> None:  # type: ignore[no-untyped-def]
    nantes, _ = nantes_imported
    body = client_api.get(f"/api/v1/events/{nantes.slug}/overlay/",
                          HTTP_ACCEPT_LANGUAGE="fr").json()
    assert "physiquement impossible" in body["left_out"][0]["explanation"]


def test_overlay_h3_and_bad_parameters(nantes_imported, client_api) -> None:  # type: ignore[no-untyped-def]
    nantes, _ = nantes_imported
    h3 = client_api.get(f"/api/v1/events/{nantes.slug}/overlay/?grid=h3&h3_resolution=8").json()
    assert h3["features"][0]["geometry"]["type"] == "Polygon"
    bad = client_api.get(f"/api/v1/events/{nantes.slug}/overlay/?cell_m=abc")
    assert bad.status_code == 400


def test_overlay_summary_is_offline_html_for_officers(  # type: ignore[no-untyped-def]
    nantes_imported, client_api, officer_api,
) -> None:
    nantes, _ = nantes_imported
    url = f"/api/v1/events/{nantes.slug}/overlay/summary.html?cell_m=500&resamples=100"
    assert client_api.get(url).status_code in {401, 403}
    response = officer_api.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "cdn." not in html
    assert "Spearman" in html
    assert "WHO 2018" in html
    assert "OpenStreetMap" in html
    assert "data:image/png;base64," in html
    assert "Left out of the overlay" in html
    assert "LA90" in html
    # The per-cell row counts cells, not participants; the per-report rows count participants.
    assert re.search(r"<td>per cell</td><td>\d+</td><td>\d+ cells</td>", html)
    assert re.search(r"<td>all reports</td><td>\d+</td><td>\d+ participants</td>", html)


def test_overlay_summary_in_french(nantes_imported, officer_api) -> None:  # type: ignore[no-untyped-def]
    nantes, _ = nantes_imported
    response = officer_api.get(f"/api/v1/events/{nantes.slug}/overlay/summary.html"
                               "?cell_m=500&resamples=100", HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert "<html lang='fr'>" in html
    assert "Laissé de côté" in html


def test_overlay_report_address_redirects_permanently(nantes, officer_api) -> None:  # type: ignore[no-untyped-def]
    response = officer_api.get(f"/api/v1/events/{nantes.slug}/overlay/report.html?cell_m=500")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/events/{nantes.slug}/overlay/summary.html?cell_m=500"


def test_overlay_stats_command_json(nantes_imported) -> None:  # type: ignore[no-untyped-def]
    nantes, _ = nantes_imported
    out = io.StringIO()
    call_command("overlay_stats", nantes.slug, "--json", "--resamples", "200",
                 "--radius-m", "10", stdout=out)
    figures = json.loads(out.getvalue())
    overall = figures["overall"]
    # The real Nantes survey: 738 rated answers have a recording at their point.
    assert (figures["reports"], overall["n"]) == (749, 738)
    assert 0.25 < overall["rho"] < 0.40
    assert overall["ci_low"] < overall["rho"] < overall["ci_high"]
    assert "road" in figures["per_source"]
    assert figures["who_2018_road"]["caveat"]
    assert [item["reason"] for item in figures["left_out"]] == ["laeq_below_la90"]
    assert figures["per_cell"]["unit"] == "cells"


def test_overlay_summary_command_with_streets(chambery_june, tmp_path) -> None:  # type: ignore[no-untyped-def]
    measurements_import(paths=[NOISE / "stations_sample.csv"], event=chambery_june)
    out = tmp_path / "summary.html"
    call_command("overlay_summary", chambery_june.slug, "--output", str(out), "--resamples", "50",
                 "--osm", "mapping/data/demo/chambery_centre_2021.osm", stdout=io.StringIO())
    page = out.read_text(encoding="utf-8")
    assert "Street segments" in page
    assert "tile.openstreetmap.org" in page  # no OSM context imported: the configured tiles


def test_overlay_summary_command_draws_the_imported_base_map(chambery_june, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from exports.services import osm_context_import
    from mapping.services.demo import DEMO_OSM

    measurements_import(paths=[NOISE / "stations_sample.csv"], event=chambery_june)
    osm_context_import(event=chambery_june, path=DEMO_OSM)
    out = tmp_path / "summary.html"
    call_command("overlay_summary", chambery_june.slug, "--output", str(out), "--resamples", "50",
                 stdout=io.StringIO())
    page = out.read_text(encoding="utf-8")
    assert "Base map (OpenStreetMap)" in page
    assert "tile.openstreetmap.org" not in page  # the file opens without a network


def test_overlay_report_command_still_works_and_says_it_is_deprecated(nantes, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out, err = tmp_path / "old.html", io.StringIO()
    call_command("overlay_report", nantes.slug, "--output", str(out), "--resamples", "50",
                 stdout=io.StringIO(), stderr=err)
    assert "deprecated" in err.getvalue()
    assert "overlay_summary" in err.getvalue()
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_ingest_batch_is_idempotent_and_keyed(client_api) -> None:  # type: ignore[no-untyped-def]
    sensor = sensor_register(code="station:quai", lon=5.932, lat=45.566)
    key = sensor_issue_key(sensor=sensor)
    batch = {"readings": [
        {"measured_at": "2024-06-21T18:00:00+02:00", "duration_s": 60, "value": 61.5},
        {"measured_at": "2024-06-21T18:01:00+02:00", "duration_s": 60, "value": 63.0,
         "quantity": "LAeq", "unit": "dB(A)"}]}
    url = "/api/v1/sensors/station:quai/readings/"
    assert client_api.post(url, batch, format="json").status_code == 403
    client_api.credentials(HTTP_AUTHORIZATION=f"Sensor {key}")
    first = client_api.post(url, batch, format="json")
    assert (first.status_code, first.json()["stored"]) == (201, 2)
    again = client_api.post(url, batch, format="json")
    assert (again.status_code, again.json()["already_stored"]) == (200, 2)
    assert Measurement.objects.filter(sensor=sensor).count() == 2


def test_ingest_refuses_bad_rows_all_or_nothing(client_api) -> None:  # type: ignore[no-untyped-def]
    sensor = sensor_register(code="station:pont", lon=5.932, lat=45.566)
    client_api.credentials(HTTP_AUTHORIZATION=f"Sensor {sensor_issue_key(sensor=sensor)}")
    response = client_api.post("/api/v1/sensors/station:pont/readings/", {"readings": [
        {"measured_at": "2024-06-21T18:00:00+02:00", "duration_s": 60, "value": 61.5},
        {"measured_at": "2024-06-21T18:01:00", "duration_s": 60, "value": 63.0}]}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "readings[1].measured_at"
    assert Measurement.objects.filter(sensor=sensor).count() == 0


GOOD = {"measured_at": "2024-06-21T18:00:00+02:00", "duration_s": 60, "value": 61.5}


@pytest.mark.parametrize(("change", "field"), [
    ({"measured_at": "2024-13-45T00:00:00+00:00"}, "readings[0].measured_at"),  # month 13
    ({"measured_at": "2024-06-21T18:00:00+99:00"}, "readings[0].measured_at"),  # offset > 24 h
    ({"measured_at": "9999-12-31T23:59:59-05:00"}, "readings[0].measured_at"),  # past year 9999
    ({"measured_at": "0001-01-01T00:00:00+05:00"}, "readings[0].measured_at"),  # before year 1
    ({"measured_at": "0001-01-01T00:00:00+00:00"}, "readings[0].measured_at"),  # far past
    ({"measured_at": "2999-01-01T00:00:00+00:00"}, "readings[0].measured_at"),  # far future
    ({"measured_at": "2024-06-21T18:00:00+02:00\u0000"}, "readings[0].measured_at"),
    ({"measured_at": 1718985600}, "readings[0].measured_at"),
    ({"duration_s": 10**400}, "readings[0]"),  # too large for a float
    ({"duration_s": 1e308}, "readings[0]"),  # would poison every energetic mean
    ({"value": [61.5]}, "readings[0]"),
    ({"lon": [5.9], "lat": 45.5}, "readings[0]"),
    ({"lon": 5.9}, "readings[0]"),
    ({"quantity": ["LAeq"]}, "readings[0].quantity"),
    ({"quantity": "PM10", "value": -5, "unit": "µg/m³"}, "readings[0]"),
])
def test_ingest_refuses_malformed_readings_with_400(client_api, change, field) -> None:  # type: ignore[no-untyped-def]
    sensor = sensor_register(code="station:bad", lon=5.932, lat=45.566)
    client_api.credentials(HTTP_AUTHORIZATION=f"Sensor {sensor_issue_key(sensor=sensor)}")
    response = client_api.post("/api/v1/sensors/station:bad/readings/",
                               {"readings": [{**GOOD, **change}]}, format="json")
    assert (response.status_code, response.json()["field"]) == (400, field)
    assert not Measurement.objects.filter(sensor=sensor).exists()


def test_ingest_repeated_time_in_a_batch(client_api) -> None:  # type: ignore[no-untyped-def]
    sensor = sensor_register(code="station:twice", lon=5.932, lat=45.566)
    client_api.credentials(HTTP_AUTHORIZATION=f"Sensor {sensor_issue_key(sensor=sensor)}")
    url = "/api/v1/sensors/station:twice/readings/"
    same_instant = {**GOOD, "measured_at": "2024-06-21T16:00:00+00:00"}
    twice = client_api.post(url, {"readings": [GOOD, same_instant]}, format="json")
    assert twice.status_code == 201
    assert (twice.json()["stored"], twice.json()["already_stored"]) == (1, 1)
    clash = client_api.post(url, {"readings": [
        {**GOOD, "measured_at": "2024-06-21T19:00:00+02:00"},
        {**GOOD, "measured_at": "2024-06-21T17:00:00Z", "value": 70.0}]}, format="json")
    assert (clash.status_code, clash.json()["field"]) == (400, "readings[1].measured_at")
    assert Measurement.objects.filter(sensor=sensor).count() == 1


def test_ingest_absurd_duration_cannot_break_the_sensors_layer(chambery_june, client_api) -> None:  # type: ignore[no-untyped-def]
    event = chambery_june
    sensor = sensor_register(code="station:long", lon=5.932, lat=45.566, event=event)
    client_api.credentials(HTTP_AUTHORIZATION=f"Sensor {sensor_issue_key(sensor=sensor)}")
    client_api.post("/api/v1/sensors/station:long/readings/",
                    {"readings": [{**GOOD, "duration_s": 1e308},
                                  {**GOOD, "measured_at": "2024-06-21T19:00:00+02:00",
                                   "duration_s": 1e308}]}, format="json")
    client_api.credentials()
    assert client_api.get(f"/api/v1/events/{event.slug}/sensors/").status_code == 200


@pytest.mark.parametrize("query", ["cell_m=5", "cell_m=99", "cell_m=100", "cell_m=250.5",
                                   "cell_m=251", "grid=h3&h3_resolution=13",
                                   "grid=h3&h3_resolution=10"])
def test_overlay_public_grid_cannot_be_finer_than_public_places(nantes, client_api, officer_api,
                                                                query) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/events/{nantes.slug}/overlay/?{query}"
    public = client_api.get(url)
    assert public.status_code == 400
    assert public.json()["field"] in {"cell_m", "h3_resolution"}
    assert officer_api.get(url).status_code == 200


@pytest.mark.parametrize("query", ["cell_m=0", "cell_m=-1", "cell_m=1e9", "cell_m=NaN",
                                   "cell_m=inf", "radius_m=nan", "window_s=-1", "grid=hex",
                                   "h3_resolution=1e3", "grid=h3&h3_resolution=99"])
def test_overlay_bad_parameters_are_400(nantes, officer_api, query) -> None:  # type: ignore[no-untyped-def]
    assert officer_api.get(f"/api/v1/events/{nantes.slug}/overlay/?{query}").status_code == 400


@pytest.mark.parametrize("code", ["station:quai%00", "nobody", "station:other"])
def test_ingest_unknown_or_foreign_sensor_is_403(client_api, code: str) -> None:  # type: ignore[no-untyped-def]
    mine = sensor_register(code="station:quai", lon=5.932, lat=45.566)
    other = sensor_register(code="station:other", lon=5.933, lat=45.566)
    sensor_issue_key(sensor=other)
    client_api.credentials(HTTP_AUTHORIZATION=f"Sensor {sensor_issue_key(sensor=mine)}")
    response = client_api.post(f"/api/v1/sensors/{code}/readings/", {"readings": [GOOD]},
                               format="json")
    assert response.status_code == 403
    assert not Measurement.objects.exists()
    assert mine.api_key_digest not in response.content.decode()


def test_public_overlay_is_the_same_wherever_in_its_public_place_a_report_was(  # type: ignore[no-untyped-def]
    nantes_imported, client_api,
) -> None:
    from django.contrib.gis.geos import Point

    from mapping.models import NuisanceReport
    from mapping.privacy import coarsen_point

    nantes, _ = nantes_imported
    url = f"/api/v1/events/{nantes.slug}/overlay/?cell_m=250"
    before = client_api.get(url).json()
    moved = 0
    for report in NuisanceReport.objects.filter(event=nantes)[:200]:
        x, y = report.geometry.coords
        for dx in (0.00049, -0.00049):
            if coarsen_point(x + dx, y) == coarsen_point(x, y):
                report.geometry = Point(x + dx, y, srid=4326)
                report.save(update_fields=["geometry"])
                moved += 1
                break
    assert moved > 100
    assert client_api.get(url).json() == before


def test_overlay_summary_draws_the_events_own_base_map_without_a_tile_server(
    chambery_june,
) -> None:  # type: ignore[no-untyped-def]
    from exports.services import osm_context_import
    from mapping.services.demo import DEMO_OSM

    measurements_import(paths=[NOISE / "stations_sample.csv"], event=chambery_june)
    osm_context_import(event=chambery_june, path=DEMO_OSM)
    officer = role_api(chambery_june, "officer-basemap", EventRole.Role.OFFICER)
    response = officer.get(f"/api/v1/events/{chambery_june.slug}/overlay/summary.html"
                           "?resamples=100")
    assert response.status_code == 200, response.content
    html = response.content.decode()
    assert "Base map (OpenStreetMap)" in html
    assert "tile.openstreetmap.org" not in html  # the map is inside the document
    assert "#d9d0c7" in html  # buildings
    assert re.search(r"interactive(&quot;|\")?: false", html)  # the base map takes no clicks
    credit = r"attribution(&quot;|\")?: (&quot;|\")(\\u00a9|©) OpenStreetMap contributors"
    assert re.search(credit, html)
