"""Real OGC API – Features clients, offline, against the product on loopback: GDAL's OAPIF
driver (``ogrinfo``, ``ogr2ogr`` into a GeoPackage) and OWSLib, on the demo events (real
Chambéry OSM data, the real LASSO survey of Nantes)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from pyproj import Transformer

from tests.conftest import running_server

GDAL = shutil.which("ogr2ogr")
pytestmark = pytest.mark.skipif(
    GDAL is None, reason="gdal-bin is required (apt-get install gdal-bin)"
)
FEATURES, REPORTS = "chambery-centre-features", "nantes-soundscape-reports"
SENSORS, OVERLAY = "nantes-soundscape-sensors", "nantes-soundscape-overlay"
L93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
# Never a proxy, never the network: the clients talk to 127.0.0.1 only.
OFFLINE = {
    **os.environ,
    "NO_PROXY": "*",
    "no_proxy": "*",
    "GDAL_HTTP_TIMEOUT": "60",
    "CPL_DEBUG": "OFF",
}


def _expected() -> dict[str, Any]:
    """What the database holds and what the public may see of it, read with the selectors."""
    from layers.selectors.sensors import sensors_collection
    from mapping import selectors
    from mapping.models import Event, MappedFeature

    chambery = Event.objects.get(slug="chambery-centre")
    nantes = Event.objects.get(slug="nantes-soundscape")
    public = selectors.report_views(event=nantes, reader=selectors.Reader())
    return {
        "events": Event.objects.count(),
        "features": {
            str(f.pk): tuple(f.geometry.coords)
            for f in MappedFeature.objects.filter(event=chambery)
        },
        "reports": {str(v.report.pk): (v.geometry.x, v.geometry.y) for v in public},
        "exact_reports": {str(v.report.pk): tuple(v.report.geometry.coords) for v in public},
        "sensors": len(sensors_collection(event=nantes)["features"]),
    }


@pytest.fixture(scope="module")
def live_server(django_db_setup, django_db_blocker) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    """The demo events, committed (the server's threads read them), served on loopback once
    for the module; the database is emptied afterwards, as ``transactional_db`` does.

    Named ``live_server`` on purpose: pytest-django sets the test database up for the tests
    that use a fixture of that name.
    """
    with django_db_blocker.unblock():
        call_command("demo", stdout=io.StringIO())
        try:
            expected = _expected()
            with running_server() as url:
                yield SimpleNamespace(
                    url=url,
                    **expected,
                )
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _live_server_helper() -> None:
    """pytest-django's helper of that name would flush the database after each test
    (``transactional_db``): the demo is loaded once for the module and flushed at its end."""


@pytest.fixture
def demo(live_server) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    return live_server


def run(*args: str) -> str:
    done = subprocess.run(
        args, capture_output=True, text=True, timeout=300, env=OFFLINE, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def geopackage(demo: SimpleNamespace, collection: str, tmp_path: Path, *options: str) -> Any:
    import pyogrio

    target = tmp_path / f"{collection}.gpkg"
    run(
        "ogr2ogr",
        "-f",
        "GPKG",
        str(target),
        f"OAPIF:{demo.url}/ogcapi/collections/{collection}",
        *options,
    )
    return pyogrio.read_dataframe(target)


# --- GDAL --------------------------------------------------------------------------------


def test_ogrinfo_lists_every_collection_and_counts_the_features(demo) -> None:  # type: ignore[no-untyped-def]
    listing = run("ogrinfo", "-ro", "-q", f"OAPIF:{demo.url}/ogcapi/")
    names = re.findall(r"^\d+: (\S+)", listing, flags=re.MULTILINE)
    assert len(names) == 4 * demo.events
    assert {FEATURES, REPORTS, SENSORS, OVERLAY} <= set(names)
    summary = run(
        "ogrinfo", "-ro", "-so", f"OAPIF:{demo.url}/ogcapi/collections/{FEATURES}", FEATURES
    )
    assert f"Feature Count: {len(demo.features)}" in summary
    assert "tags: String(JSON)" in summary
    assert "status: String" in summary


def test_ogr2ogr_copies_the_features_into_a_geopackage(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Three a page: GDAL follows the next links.
    frame = geopackage(demo, FEATURES, tmp_path, "-oo", "PAGE_SIZE=3")
    assert len(frame) == len(demo.features) > 3
    for row in frame.itertuples():
        assert (row.geometry.x, row.geometry.y) == pytest.approx(demo.features[row.id])
    assert set(frame["status"]) <= {"received", "accepted", "rejected", "merged", "exported"}


def test_ogr2ogr_of_the_reports_holds_only_public_places(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    frame = geopackage(demo, REPORTS, tmp_path, "-oo", "PAGE_SIZE=500")
    assert len(frame) == len(demo.reports) > 500
    assert set(frame["id"]) == set(demo.reports)
    moved = 0
    for row in frame.itertuples():
        lon, lat = row.geometry.x, row.geometry.y
        assert (lon, lat) == pytest.approx(demo.reports[row.id], abs=1e-9)
        assert (round(lon, 3), round(lat, 3)) == pytest.approx((lon, lat), abs=1e-9)
        moved += (lon, lat) != pytest.approx(demo.exact_reports[row.id], abs=1e-9)
        assert row.coarsened
    assert moved > len(frame) / 2  # the exact places are not in the file


def test_ogr2ogr_of_sensors_and_overlay_cells(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sensors = geopackage(demo, SENSORS, tmp_path, "-oo", "PAGE_SIZE=1000")
    assert len(sensors) == demo.sensors > 100
    assert set(sensors["source"]) == {"lasso"}
    cells = geopackage(demo, OVERLAY, tmp_path)
    assert len(cells) > 10
    assert set(cells.geometry.geom_type) == {"Polygon"}
    shown = cells["n_contributors"]
    assert ((shown == 0) | (shown >= 3)).all()


# --- OWSLib ------------------------------------------------------------------------------


def test_owslib_reads_pages_bbox_crs_and_single_items(demo) -> None:  # type: ignore[no-untyped-def]
    from owslib.ogcapi.features import Features

    api = Features(f"{demo.url}/ogcapi/", timeout=60)
    assert (
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"
        in api.conformance()["conformsTo"]
    )
    ids = [c["id"] for c in api.collections()["collections"]]
    assert len(ids) == 4 * demo.events
    assert L93 in api.collection(REPORTS)["crs"]
    # Every report, page after page.
    seen: list[str] = []
    page = api.collection_items(REPORTS, limit=300)
    assert page["numberMatched"] == len(demo.reports)
    seen += [f["id"] for f in page["features"]]
    while nxt := next((link for link in page["links"] if link["rel"] == "next"), None):
        query = dict(part.split("=", 1) for part in nxt["href"].split("?", 1)[1].split("&"))
        page = api.collection_items(REPORTS, **query)
        seen += [f["id"] for f in page["features"]]
    assert sorted(seen) == sorted(demo.reports)
    # A box: what falls in it, decided on the public places.
    west, south, east, north = -1.56, 47.20, -1.53, 47.23
    inside = {
        pk
        for pk, (lon, lat) in demo.reports.items()
        if west <= lon <= east and south <= lat <= north
    }
    boxed = api.collection_items(REPORTS, bbox=[west, south, east, north], limit=10000)
    assert {f["id"] for f in boxed["features"]} == inside
    assert boxed["numberMatched"] == len(inside) > 0
    # One report; then the box in Lambert-93: the public places, projected.
    pk = next(iter(inside))
    one = api.collection_item(REPORTS, pk)
    assert one["geometry"]["coordinates"] == pytest.approx(demo.reports[pk])
    assert one["properties"]["coarsened"] is True
    projected = api.collection_items(REPORTS, bbox=[west, south, east, north], limit=10000, crs=L93)
    to_l93 = Transformer.from_crs("OGC:CRS84", "EPSG:2154", always_xy=True)
    for item in projected["features"]:
        expected = to_l93.transform(*demo.reports[item["id"]])
        assert item["geometry"]["coordinates"] == pytest.approx(expected, abs=0.001)
    assert len(projected["features"]) == len(inside)
