"""Exporting an event end to end: consent, statuses, marking, OSM context, the commands."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.core.management import CommandError, call_command
from django.utils import timezone

from exports.selectors import osm_candidates
from exports.services import event_export, osm_context_import
from mapping.errors import InvalidInput
from mapping.models import MappedFeature, NuisanceReport, StatusChange
from tests.exports.tools import CHAMBERY, fileinfo, needs_osmium

pytestmark = pytest.mark.django_db


def feature(event, geometry: str, tags: dict[str, str], *, status: str = "accepted",  # type: ignore[no-untyped-def]
            consent: bool = True, author=None, **extra) -> MappedFeature:
    return MappedFeature.objects.create(
        event=event, geometry=GEOSGeometry(geometry, srid=4326), tags=tags, status=status,
        consent_osm=consent, author=author, **extra)


@pytest.fixture
def mapped(event, joined):  # type: ignore[no-untyped-def]
    author = joined.contributor
    return {
        "bench": feature(event, "POINT (5.9318 45.5661)", {"amenity": "bench"}, author=author),
        "no_consent": feature(event, "POINT (5.9319 45.5662)", {"amenity": "bench"},
                              consent=False, author=author),
        "received": feature(event, "POINT (5.9320 45.5663)", {"amenity": "bench"},
                            status="received", author=author),
        "rejected": feature(event, "POINT (5.9321 45.5664)", {"amenity": "bench"},
                            status="rejected", author=author),
        "playground": feature(event, "POLYGON ((5.931 45.5656, 5.9313 45.5656, 5.9313 45.5658, "
                              "5.931 45.5656))", {"leisure": "playground"}, author=author),
        "google": feature(event, "POINT (5.9322 45.5655)", {"amenity": "bench",
                                                           "source": "Google Maps"}),
    }


@pytest.fixture
def report(event, joined):  # type: ignore[no-untyped-def]
    return NuisanceReport.objects.create(
        event=event, author=joined.contributor, geometry=GEOSGeometry("POINT (5.932 45.566)"),
        category="noise", intensity=4, sources=["road"], status="accepted",
        observed_at=timezone.now() - dt.timedelta(hours=1), comment="Scooters")


def test_osm_export_takes_only_accepted_consented_valid_features(event, mapped, report,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "e.osm"
    result = event_export(event=event, format_name="osm", path=path)
    assert (result.checked, result.written) == (3, 2)  # bench, playground; google refused
    assert [(i.code, i.feature_id) for i in result.issues] == [
        ("forbidden_source", str(mapped["google"].pk))]
    text = path.read_text("utf-8")
    assert text.count("<node ") == 4
    assert text.count("<way ") == 1
    assert "Camille" not in text
    assert "noise" not in text
    assert "Scooters" not in text


def test_marking_is_idempotent_and_recorded(event, mapped, organiser, tmp_path: Path) -> None:
    first = event_export(event=event, format_name="osc", path=tmp_path / "a.osc",
                         actor=organiser, mark_exported=True)
    assert first.marked_exported == 2
    bench = MappedFeature.objects.get(pk=mapped["bench"].pk)
    assert (bench.status, bench.version) == ("exported", 2)
    change = StatusChange.objects.get(feature=bench)
    assert (change.from_status, change.to_status, change.actor_user) == (
        "accepted", "exported", organiser)
    again = event_export(event=event, format_name="osc", path=tmp_path / "b.osc",
                         actor=organiser, mark_exported=True)
    assert (again.written, again.marked_exported) == (2, 0)  # exported ones are re-exported
    assert StatusChange.objects.filter(feature=bench).count() == 1
    assert (tmp_path / "a.osc").read_text() == (tmp_path / "b.osc").read_text()


def test_gis_exports_do_not_mark_and_take_the_chosen_statuses(event, mapped, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = event_export(event=event, format_name="geojson", path=tmp_path / "e.geojson",
                          statuses=["received", "accepted"], mark_exported=True)
    assert result.written == 5  # consent is not needed for the organisers' GIS file
    assert not MappedFeature.objects.filter(status="exported").exists()


def test_gpkg_has_reports_layer_without_authors(event, mapped, report, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import geopandas as gpd

    path = tmp_path / "e.gpkg"
    event_export(event=event, format_name="gpkg", path=path)
    reports = gpd.read_file(path, layer="reports")
    assert list(reports["category"]) == ["noise"]
    assert "author" not in reports.columns
    features = gpd.read_file(path, layer="features")
    assert len(features) == 4
    assert "amenity" in features.columns


def test_unknown_format_and_status_are_invalid_input(event, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="Unknown export format"):
        event_export(event=event, format_name="shp", path=tmp_path / "x")
    with pytest.raises(InvalidInput, match="Unknown status"):
        event_export(event=event, format_name="csv", path=tmp_path / "x", statuses=["done"])


# -- OSM context ------------------------------------------------------------------------------
def test_candidates_are_same_kind_nearby_nearest_first(event) -> None:  # type: ignore[no-untyped-def]
    osm_context_import(event=event, path=CHAMBERY)
    found = osm_candidates(event=event, lon=5.93272, lat=45.56663,
                           tags={"amenity": "bench", "backrest": "no"})
    assert [(c["type"], c["id"], c["version"]) for c in found] == [("node", 3415730562, 1)]
    assert found[0]["tags"] == {"amenity": "bench"}
    assert 0 < found[0]["distance_m"] < 3
    assert osm_candidates(event=event, lon=5.93272, lat=45.56663, tags={"shop": "books"}) == []
    assert osm_candidates(event=event, lon=5.9300, lat=45.5660, tags={"amenity": "bench"}) == []


def test_new_bench_next_to_osm_bench_is_held_then_linked_edit_is_written(event, tmp_path) -> None:  # type: ignore[no-untyped-def]
    osm_context_import(event=event, path=CHAMBERY)
    twin = feature(event, "POINT (5.93272 45.56663)", {"amenity": "bench", "backrest": "no"})
    result = event_export(event=event, format_name="osm", path=tmp_path / "a.osm",
                          mark_exported=True)
    assert [i.code for i in result.issues] == ["likely_duplicate"]
    assert result.written == 0
    assert not result.has_errors
    assert result.marked_exported == 0
    MappedFeature.objects.filter(pk=twin.pk).update(osm_type="node", osm_id=3415730562,
                                                    osm_version=1)
    result = event_export(event=event, format_name="osm", path=tmp_path / "b.osm")
    assert result.written == 1
    text = (tmp_path / "b.osm").read_text("utf-8")
    assert 'id="3415730562" action="modify" version="1"' in text
    assert 'v="no"' in text


# -- commands ---------------------------------------------------------------------------------
@needs_osmium
def test_export_command_prints_report_and_fails_on_errors(event, mapped, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out, path = StringIO(), tmp_path / "e.osm"
    with pytest.raises(CommandError, match="1 feature") as caught:
        call_command("export", event.slug, "--format", "osm", "--output", str(path), stdout=out)
    assert caught.value.returncode == 1
    assert "forbidden_source" in out.getvalue()
    assert "2 of 3 features written" in out.getvalue()
    assert fileinfo(path)["data"]["count"]["nodes"] == 4  # the file is written all the same


def test_export_command_succeeds_without_errors(event, mapped, tmp_path) -> None:  # type: ignore[no-untyped-def]
    MappedFeature.objects.filter(pk=mapped["google"].pk).update(status="rejected")
    out = StringIO()
    call_command("export", event.slug, "--format", "osc", "--output", str(tmp_path / "e.osc"),
                 "--status", "accepted", stdout=out)
    assert "marked exported 2" in out.getvalue()
