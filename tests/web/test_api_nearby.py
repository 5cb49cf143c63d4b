"""GET /events/{slug}/nearby/: "is it this one?" before a contribution is sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from exports.models import OsmElement
from mapping.services import contribution_set_status, feature_submit, report_submit
from tests import geometries as g

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/chambery/nearby/"
LON, LAT = g.INSIDE["coordinates"]


def bench(event, author, lon, lat, **tags):  # type: ignore[no-untyped-def]
    item, _ = feature_submit(event=event, author=author, preset="amenity/bench", tags=tags,
                             geometry={"type": "Point", "coordinates": [lon, lat]})
    return item


def test_features_of_the_same_preset_nearby_come_nearest_first(client_api, event, author):
    far = bench(event, author, LON, LAT + 0.00018)  # 20 m north
    near = bench(event, author, LON + 0.0001, LAT)  # 7.8 m east
    bench(event, author, LON, LAT + 0.0009)  # 100 m north: outside 25 m
    feature_submit(event=event, author=author, preset="emergency/defibrillator",
                   geometry=g.INSIDE)  # another kind
    response = client_api.get(URL, {"lon": LON, "lat": LAT, "preset": "amenity/bench"})
    assert response.status_code == 200, response.json()
    found = response.json()["contributions"]["features"]
    assert [f["id"] for f in found] == [str(near.pk), str(far.pk)]
    assert found[0]["properties"]["distance_m"] == 8
    assert "history" not in found[0]["properties"]
    assert "author" not in found[0]["properties"]


def test_rejected_contributions_are_not_suggested(client_api, event, author, organiser):
    item = bench(event, author, LON, LAT)
    contribution_set_status(contribution=item, actor=organiser, status="rejected", reason="Faux")
    response = client_api.get(URL, {"lon": LON, "lat": LAT, "preset": "amenity/bench"})
    assert response.json()["contributions"]["features"] == []


def test_reports_nearby_are_shown_coarsened(client_api, event, author):
    home = {"type": "Point", "coordinates": [5.93213, 45.56604]}
    report_submit(event=event, author=author, geometry=home, category="noise", intensity=3,
                  sources=[], observed_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
                  comment="Chez moi, au 3e étage")
    response = client_api.get(URL, {"lon": LON, "lat": LAT + 0.0003, "category": "noise",
                                    "radius_m": 150})
    found = response.json()["contributions"]["features"]
    assert len(found) == 1
    props = found[0]["properties"]
    assert props["coarsened"] is True
    assert props["comment"] is None
    assert props["distance_m"] % 10 == 0
    assert found[0]["geometry"]["coordinates"] != home["coordinates"]


def test_osm_elements_matching_the_preset_are_suggested(client_api, event):
    OsmElement.objects.create(
        event=event, osm_type="node", osm_id=42, version=3, preset_id="amenity/bench",
        tags={"amenity": "bench"}, geometry=Point(LON, LAT + 0.0001, srid=4326),
        lon=LON, lat=LAT + 0.0001)
    response = client_api.get(URL, {"lon": LON, "lat": LAT, "preset": "amenity/bench"})
    data = response.json()
    assert data["osm_available"] is True
    assert [(e["type"], e["id"], e["version"]) for e in data["osm"]] == [("node", 42, 3)]


@pytest.mark.parametrize(("query", "field"), [
    ({"lon": LON, "lat": LAT}, "preset"),
    ({"lon": LON, "lat": LAT, "preset": "amenity/bench", "category": "noise"}, "preset"),
    ({"lon": "east", "lat": LAT, "preset": "amenity/bench"}, "lon"),
    ({"lon": LON, "lat": 91, "preset": "amenity/bench"}, "lon"),
    ({"lon": LON, "lat": LAT, "preset": "amenity/bench", "radius_m": 5000}, "radius_m"),
])
def test_malformed_questions_are_refused(client_api, event, query, field):
    response = client_api.get(URL, query)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_reports_nearby_cannot_be_located_closer_than_their_public_place(client_api, event,
                                                                         author):
    # Two reports in the same public ~100 m square, 60 m apart: asked from right on top of
    # one of them, with any radius, the answer must not tell them apart (no trilateration
    # through distance_m, no binary search on radius_m).
    lon, lat = 5.9320, 45.5660  # a point of the public grid (3 decimals)
    for dlon in (-0.0004, 0.0004):
        report_submit(event=event, author=author, category="noise", intensity=3, sources=[],
                      geometry={"type": "Point", "coordinates": [lon + dlon, lat]},
                      observed_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    tight = client_api.get(URL, {"lon": lon + 0.0004, "lat": lat, "category": "noise",
                                 "radius_m": 5})
    assert tight.status_code == 200
    assert tight.json()["contributions"]["features"] == []
    wide = client_api.get(URL, {"lon": lon + 0.0004, "lat": lat, "category": "noise",
                                "radius_m": 100}).json()["contributions"]["features"]
    assert len(wide) == 2
    assert wide[0]["properties"]["distance_m"] == wide[1]["properties"]["distance_m"] == 30
