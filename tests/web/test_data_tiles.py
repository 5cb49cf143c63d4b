"""Vector tiles of the event's data: features, reports (public: coarsened), sensors, overlay.

Reports, readings and overlay cells come from the LASSO survey of Nantes (real data,
``tests/data/noise``), the mobile track from NoiseCapture (Pornichet).
"""

from __future__ import annotations

import datetime as dt
import json

import mapbox_vector_tile
import mercantile
import pytest
import shapely
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from exports import datatiles
from exports.selectors_tiles import RECENT, _feature_items, _features_postgis, data_tile_state
from layers.services import measurements_import
from mapping.models import EventRole, MappedFeature, NuisanceReport
from mapping.privacy import coarsen_geometry
from mapping.selectors import Reader
from tests.conftest import bearer_api, make_event, role_api
from tests.factories import MappedFeatureFactory, NuisanceReportFactory, geos
from tests.layers.conftest import GEOALL, NANTES_ZONE, PORNICHET_TRACK, box_zone

pytestmark = pytest.mark.django_db
MVT = "application/vnd.mapbox-vector-tile"
Z = 16


def tile_of(lon: float, lat: float, z: int = Z) -> mercantile.Tile:
    return mercantile.tile(lon, lat, z)


def url(slug: str, layer: str, tile: mercantile.Tile) -> str:
    return f"/tiles/{slug}/{layer}/{tile.z}/{tile.x}/{tile.y}.mvt"


def decoded(response) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """The features of the tile's one layer, their geometries back in WGS84 degrees."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == MVT
    layers = mapbox_vector_tile.decode(response.content)
    (layer,) = layers.values()
    return layer["features"]


def lonlat(tile: mercantile.Tile, x: float, y: float, extent: int = 4096) -> tuple[float, float]:
    """Tile coordinates (y up, as mapbox_vector_tile decodes) → WGS84."""
    bounds = mercantile.xy_bounds(tile)
    mx = bounds.left + (bounds.right - bounds.left) * x / extent
    my = bounds.bottom + (bounds.top - bounds.bottom) * y / extent
    return mercantile.lnglat(mx, my)


def points(tile: mercantile.Tile, features: list[dict]) -> dict[str, tuple[float, float]]:  # type: ignore[type-arg]
    return {
        f["properties"]["id"]: lonlat(tile, *f["geometry"]["coordinates"])
        for f in features
        if f["geometry"]["type"] == "Point"
    }


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    (ax, ay), (bx, by) = mercantile.xy(*a), mercantile.xy(*b)
    return float(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5) * 0.70  # Web Mercator scale at 45.5°


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    RECENT.clear()
    yield
    cache.clear()
    RECENT.clear()


@pytest.fixture
def lasso(db):  # type: ignore[no-untyped-def]
    """Nantes 2019 with the LASSO survey: perceived reports and measured levels (real data)."""
    event = make_event(
        "nantes-2019",
        zone_geojson=NANTES_ZONE,
        starts_at=dt.datetime(2019, 3, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 4, 1, tzinfo=dt.UTC),
    )
    measurements_import(paths=[GEOALL], event=event)
    return event


@pytest.fixture
def track(db):  # type: ignore[no-untyped-def]
    """The Pornichet NoiseCapture track (2017-09-20 08:13–08:15 UTC) and its event."""
    event = make_event(
        "pornichet-2017",
        zone_geojson=box_zone(-2.335, 47.255, -2.325, 47.262),
        starts_at=dt.datetime(2017, 9, 20, 8, tzinfo=dt.UTC),
        ends_at=dt.datetime(2017, 9, 20, 9, tzinfo=dt.UTC),
    )
    measurements_import(paths=[PORNICHET_TRACK], event=event)
    return event


@pytest.fixture
def benches(event):  # type: ignore[no-untyped-def]
    """Three benches in one z16 tile of Chambéry, one far east of it."""
    inside = [(5.9318, 45.5658), (5.9322, 45.5661), (5.9325, 45.5655)]
    made = [
        MappedFeatureFactory(
            event=event,
            geometry=geos({"type": "Point", "coordinates": list(p)}),
            tags={"amenity": "bench", "name": f"B{i}"},
        )
        for i, p in enumerate(inside)
    ]
    far = MappedFeatureFactory(
        event=event, geometry=geos({"type": "Point", "coordinates": [5.9465, 45.5660]})
    )
    return made, far, inside


def test_a_features_tile_decodes_to_the_features_inside_it(client, event, benches) -> None:  # type: ignore[no-untyped-def]
    made, _, inside = benches
    tile = tile_of(*inside[0])
    assert tile_of(5.9465, 45.5660) != tile
    features = decoded(client.get(url(event.slug, "features", tile)))
    found = points(tile, features)
    assert set(found) == {str(f.id) for f in made}
    for feature, place in zip(made, inside, strict=True):
        assert metres(found[str(feature.id)], place) < 0.5  # 1/4096 of a z16 tile ≈ 0.15 m
    props = {f["properties"]["id"]: f["properties"] for f in features}[str(made[1].id)]
    assert (props["preset"], props["status"], props["name"]) == ("amenity/bench", "received", "B1")


# Tags as a GIS officer's data holds them: accents, quotes, a backslash, keys of one length
# in byte order ("lit" < "ref"), a key longer in bytes than in characters ("é" is two).
ODD_TAGS = {
    "amenity": "drinking_water",
    "name": 'Fontaine "du Verney" \\ ouest',
    "wheelchair": "yes",
    "ref": "F-12",
    "lit": "no",
    "accès": "oui",
    "description": "Eau potable\u00a0— été comme hiver",
}


@pytest.fixture
def fountain(event):  # type: ignore[no-untyped-def]
    """A fountain added at 11:10:05.9 in Paris (09:10:05.9 UTC), with ODD_TAGS."""
    made = MappedFeatureFactory(
        event=event,
        geometry=geos({"type": "Point", "coordinates": [5.9320, 45.5660]}),
        tags=ODD_TAGS,
        preset="amenity/drinking_water",
    )
    added = dt.datetime(2026, 5, 1, 11, 10, 5, 900000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    MappedFeature.objects.filter(pk=made.pk).update(created_at=added)
    return made


def test_a_features_tile_carries_the_time_and_the_tags(client, event, fountain) -> None:  # type: ignore[no-untyped-def]
    """The same properties on both databases (PostGIS: ST_AsMVT; SpatiaLite: the Python
    encoder): this test runs on each against the same expected values."""
    (feature,) = decoded(client.get(url(event.slug, "features", tile_of(5.9320, 45.5660))))
    props = feature["properties"]
    assert props == {
        "id": str(fountain.pk),
        "preset": "amenity/drinking_water",
        "status": "received",
        "name": 'Fontaine "du Verney" \\ ouest',
        "created_at": "2026-05-01T09:10:05Z",  # UTC, to the second: texts sort as times
        "tags": (
            '{"lit": "no", "ref": "F-12", "name": "Fontaine \\"du Verney\\" \\\\ ouest", '
            '"accès": "oui", "amenity": "drinking_water", "wheelchair": "yes", '
            '"description": "Eau potable\u00a0— été comme hiver"}'
        ),
        "tag:amenity": "drinking_water",
        "tag:wheelchair": "yes",
    }
    assert json.loads(props["tags"]) == ODD_TAGS


def test_below_z16_a_features_tile_carries_the_promoted_tags_only(client, event, fountain) -> None:  # type: ignore[no-untyped-def]
    (feature,) = decoded(client.get(url(event.slug, "features", tile_of(5.9320, 45.5660, 15))))
    props = feature["properties"]
    assert "tags" not in props
    assert (props["tag:amenity"], props["tag:wheelchair"]) == ("drinking_water", "yes")
    assert props["created_at"] == "2026-05-01T09:10:05Z"


def test_tilejson_lists_the_features_fields(client, event) -> None:  # type: ignore[no-untyped-def]
    (described,) = client.get(f"/tiles/{event.slug}/features.json").json()["vector_layers"]
    assert {"created_at", "tags", "tag:amenity", "tag:wheelchair"} <= set(described["fields"])


@pytest.mark.requires_postgis
@pytest.mark.parametrize("z", [15, 16])
def test_postgis_sql_and_python_encoder_write_the_same_properties(event, fountain, z) -> None:  # type: ignore[no-untyped-def]
    """On PostGIS, the one-SQL features tile against the Python encoder (SpatiaLite's path)
    over the same rows: the same features with the same properties, to the byte of each text."""
    if settings.SPATIAL_BACKEND != "postgis":
        pytest.skip("PostGIS only")
    MappedFeatureFactory(  # a bare one: no tags at all, no preset
        event=event, geometry=geos({"type": "Point", "coordinates": [5.9321, 45.5661]}),
        tags={}, preset="",
    )
    MappedFeatureFactory(
        event=event, geometry=geos({"type": "Point", "coordinates": [5.9322, 45.5659]}),
        tags={"highway": "street_lamp", "lamp_type": "electric"},
    )
    tile = tile_of(5.9320, 45.5660, z)
    state = data_tile_state(event=event, layer="features", reader=Reader(), z=tile.z, x=tile.x,
                            y=tile.y)
    by_sql = mapbox_vector_tile.decode(_features_postgis(state))["features"]["features"]
    by_python = mapbox_vector_tile.decode(
        datatiles.encode("features", _feature_items(state), tile.z, tile.x, tile.y)
    )["features"]["features"]

    def props(features: list[dict]) -> dict[str, dict]:  # type: ignore[type-arg]
        return {f["properties"]["id"]: f["properties"] for f in features}

    assert len(by_sql) == 3
    assert props(by_sql) == props(by_python)
    assert all(("tags" in p) == (z >= 16) for p in props(by_sql).values())
    if z >= 16:
        bare = next(p for p in props(by_sql).values() if p["tags"] == "{}")
        assert set(bare) == {"id", "status", "created_at", "tags"}


def test_a_line_crossing_the_tile_is_clipped_to_it_and_its_buffer(client, event) -> None:  # type: ignore[no-untyped-def]
    tile = tile_of(5.9320, 45.5660)
    west, south, east, north = mercantile.bounds(tile)
    line = {
        "type": "LineString",
        "coordinates": [[west - 0.01, (south + north) / 2], [east + 0.01, (south + north) / 2]],
    }
    MappedFeatureFactory(event=event, geometry=geos(line), tags={"highway": "footway"})
    (feature,) = decoded(client.get(url(event.slug, "features", tile)))
    xs = [x for x, _ in feature["geometry"]["coordinates"]]
    assert min(xs) == -64
    assert max(xs) == 4096 + 64


def test_etag_is_a_304_until_a_contribution_is_added(client, event, benches) -> None:  # type: ignore[no-untyped-def]
    _, _, inside = benches
    tile = tile_of(*inside[0])
    first = client.get(url(event.slug, "features", tile))
    tag = first["ETag"]
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get(url(event.slug, "features", tile), HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304
    assert again["ETag"] == tag
    assert not again.content
    MappedFeatureFactory(
        event=event, geometry=geos({"type": "Point", "coordinates": [5.9321, 45.5659]})
    )
    changed = client.get(url(event.slug, "features", tile), HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag
    assert len(decoded(changed)) == 4


def test_a_warm_tile_comes_from_the_cache(
    client, event, benches, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    tile = tile_of(*benches[2][0])
    cold = client.get(url(event.slug, "features", tile))
    # The event and the version of its contributions; the tile's ETag and bytes from memory.
    with django_assert_num_queries(2):
        warm = client.get(url(event.slug, "features", tile))
    assert warm.content == cold.content
    RECENT.clear()  # another web process: from the shared cache; PostGIS builds it again
    # (ST_AsMVT in a read transaction: savepoint, SET LOCAL jit, the tile, release).
    with django_assert_num_queries(4 if settings.SPATIAL_BACKEND == "spatialite" else 7):
        other = client.get(url(event.slug, "features", tile))
    assert other.content == cold.content


def test_new_tile_fields_are_a_new_etag_and_a_new_cache_entry(
    client, event, benches, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Tiles cached (or held by a browser) before the layers' fields changed are not served
    again: the ETag, hence the cache key, holds the fields' version."""
    tile = tile_of(*benches[2][0])
    before = client.get(url(event.slug, "features", tile))
    monkeypatch.setattr(datatiles, "FIELDS_VERSION", datatiles.FIELDS_VERSION + 1)
    after = client.get(url(event.slug, "features", tile), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


def test_a_change_elsewhere_keeps_the_tile_etag(client, event, benches) -> None:  # type: ignore[no-untyped-def]
    tile = tile_of(*benches[2][0])
    tag = client.get(url(event.slug, "features", tile))["ETag"]
    MappedFeatureFactory(
        event=event, geometry=geos({"type": "Point", "coordinates": [5.9465, 45.5662]})
    )
    again = client.get(url(event.slug, "features", tile), HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304


def test_an_empty_tile_is_204_with_its_etag(client, event) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url(event.slug, "features", tile_of(5.9320, 45.5660)))
    assert response.status_code == 204
    assert response["ETag"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("features/23/0/0.mvt", 400),  # past z22
        ("features/2/4/0.mvt", 404),  # x off the 4 by 4 grid
        ("features/2/0/4.mvt", 404),
        ("features/0/99999999999999999999999/0.mvt", 404),  # too large for any database integer
        ("features/-1/0/0.mvt", 404),  # not a route
        ("roads/14/0/0.mvt", 404),  # no such layer
        ("roads.json", 404),
    ],
)
def test_bad_tile_addresses_are_4xx_never_500(client, event, path, status) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/tiles/{event.slug}/{path}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    if status == 400:
        assert "z must be a whole number from 0 to 22" in response.json()["detail"]


def test_unknown_event_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/tiles/nowhere/features/14/0/0.mvt").status_code == 404
    assert client.get("/tiles/nowhere/features.json").status_code == 404


def test_an_error_is_explained_in_french(client, event) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/tiles/{event.slug}/features/30/0/0.mvt", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert "z doit être un nombre entier de 0 à 22" in body["detail"]


@pytest.mark.parametrize("layer", ["features", "reports", "sensors", "overlay"])
def test_tilejson_names_public_links_and_fields(client, event, settings, layer) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["*"]
    body = client.get(f"/tiles/{event.slug}/{layer}.json", HTTP_HOST="evil.example").json()
    assert body["tilejson"] == "3.0.0"
    assert body["tiles"] == [
        f"{settings.PUBLIC_BASE_URL}/tiles/{event.slug}/{layer}/{{z}}/{{x}}/{{y}}.mvt"
    ]
    (described,) = body["vector_layers"]
    assert described["id"] == layer
    assert described["fields"]
    west, south, east, north = body["bounds"]
    assert west < 5.932 < east
    assert south < 45.566 < north


# --- Reports: public tiles are built from the coarsened places --------------------------------


def _busy_tile(reports: list[NuisanceReport], z: int) -> mercantile.Tile:
    counts: dict[mercantile.Tile, int] = {}
    for report in reports:
        place = coarsen_geometry(shapely.from_wkb(bytes(report.geometry.wkb)))
        counts[tile_of(place.x, place.y, z)] = counts.get(tile_of(place.x, place.y, z), 0) + 1
    return max(counts, key=lambda tile: counts[tile])


def test_public_report_tiles_never_hold_an_exact_place(client, lasso) -> None:  # type: ignore[no-untyped-def]
    nantes = lasso
    reports = list(NuisanceReport.objects.filter(event=nantes))
    tile = _busy_tile(reports, 15)
    response = client.get(url(nantes.slug, "reports", tile))
    assert response["Cache-Control"] == "public, no-cache"
    features = decoded(response)
    assert len(features) >= 3
    by_id = {str(r.id): r for r in reports}
    moved = 0
    for report_id, place in points(tile, features).items():
        exact = shapely.from_wkb(bytes(by_id[report_id].geometry.wkb))
        public = coarsen_geometry(exact)
        assert metres(place, (public.x, public.y)) < 1.0  # the coarsened place, to the pixel
        moved += metres(place, (exact.x, exact.y)) > 5.0
    assert moved >= len(features) // 2  # and those are not the exact places
    assert all(f["properties"]["coarsened"] is True for f in features)
    assert all(f["properties"]["observed_at"].endswith(":00:00+00:00") for f in features)


def test_officers_get_exact_report_tiles_privately(lasso) -> None:  # type: ignore[no-untyped-def]
    nantes = lasso
    officer = role_api(nantes, "officer", EventRole.Role.OFFICER)
    reports = list(NuisanceReport.objects.filter(event=nantes))
    tile = _busy_tile(reports, 15)
    response = officer.get(url(nantes.slug, "reports", tile))
    assert response["Cache-Control"] == "private, no-cache"
    assert "Access-Control-Allow-Origin" not in response
    by_id = {str(r.id): r for r in reports}
    found = points(tile, decoded(response))
    assert found
    for report_id, place in found.items():
        exact = shapely.from_wkb(bytes(by_id[report_id].geometry.wkb))
        assert metres(place, (exact.x, exact.y)) < 1.0
    public = Client().get(url(nantes.slug, "reports", tile))
    assert public["ETag"] != response["ETag"]  # never the same cache entry as the public tile


def test_public_report_tile_etag_changes_when_a_report_is_added(client, lasso) -> None:  # type: ignore[no-untyped-def]
    nantes = lasso
    reports = list(NuisanceReport.objects.filter(event=nantes))
    tile = _busy_tile(reports, 15)
    tag = client.get(url(nantes.slug, "reports", tile))["ETag"]
    assert client.get(url(nantes.slug, "reports", tile), HTTP_IF_NONE_MATCH=tag).status_code == 304
    model = reports[0]
    west, south, east, north = mercantile.bounds(tile)
    NuisanceReport.objects.create(
        event=nantes,
        author=model.author,
        channel=model.channel,
        category="noise",
        intensity=4,
        sources=["road"],
        observed_at=model.observed_at,
        geometry=geos({"type": "Point", "coordinates": [(west + east) / 2, (south + north) / 2]}),
    )
    after = client.get(url(nantes.slug, "reports", tile), HTTP_IF_NONE_MATCH=tag)
    assert after.status_code == 200
    assert after["ETag"] != tag


# --- Sensors and overlay cells ----------------------------------------------------------------


def test_a_sensor_track_is_a_line_in_its_tiles(client, track) -> None:  # type: ignore[no-untyped-def]
    pornichet = track
    centre = pornichet.zone.centroid
    tile = tile_of(centre.x, centre.y, 14)
    (track,) = decoded(client.get(url(pornichet.slug, "sensors", tile)))
    assert track["geometry"]["type"] == "LineString"
    props = track["properties"]
    assert props["code"].startswith("noisecapture:")
    assert props["sensor_kind"] == "mobile"
    assert (props["readings"], props["laeq_db"]) == (115, 52.04)


def test_public_overlay_tiles_hold_the_public_cells_only(client, lasso) -> None:  # type: ignore[no-untyped-def]
    nantes = lasso
    officer = role_api(nantes, "officer", EventRole.Role.OFFICER)
    api = client.get("/api/v1/events/nantes-2019/overlay/").json()
    centre = shapely.geometry.shape(api["features"][0]["geometry"]).centroid
    tile = tile_of(centre.x, centre.y, 13)
    public = decoded(client.get(url(nantes.slug, "overlay", tile)))
    assert public
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in public)
    assert all(
        f["properties"]["n_contributors"] == 0 or f["properties"]["n_contributors"] >= 3
        for f in public
    )
    shown = {f["properties"]["cell"] for f in public}
    assert shown <= {f["properties"]["cell"] for f in api["features"]}
    exact = officer.get(url(nantes.slug, "overlay", tile))
    assert exact["Cache-Control"] == "private, no-cache"
    assert any(0 < f["properties"]["n_contributors"] < 3 for f in decoded(exact))


def test_a_participant_sees_their_own_report_exactly_and_privately(client, event, joined) -> None:  # type: ignore[no-untyped-def]
    exact = (5.93217, 45.56637)  # 0.00017° and 0.00037° from its coarsened place
    report = NuisanceReportFactory(
        event=event,
        author=joined.contributor,
        geometry=geos({"type": "Point", "coordinates": list(exact)}),
    )
    tile = tile_of(*exact)
    public = coarsen_geometry(shapely.geometry.Point(exact))
    (seen,) = points(tile, decoded(client.get(url(event.slug, "reports", tile)))).values()
    assert metres(seen, (public.x, public.y)) < 1.0
    assert metres(seen, exact) > 20.0
    own = bearer_api(joined.token).get(url(event.slug, "reports", tile))
    assert own["Cache-Control"] == "private, no-cache"
    assert metres(points(tile, decoded(own))[str(report.id)], exact) < 1.0
