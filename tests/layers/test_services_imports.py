"""Tests for layers.services.imports and the import_measurements command (database)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from layers.models import Measurement, MeasurementImport, Sensor
from layers.selectors.sensors import event_readings, event_sensors, sensor_by_code
from layers.services import measurements_import
from mapping.models import Contributor, NuisanceReport
from tests.layers.conftest import (
    GEOALL,
    NANTES_ZONE,
    NOISE,
    PORNICHET_TRACK,
    PORNICHET_UUID,
)

pytestmark = pytest.mark.django_db
TRACKS = sorted(NOISE.glob("track_*.zip"))


def test_tracks_import_then_reimport_stores_nothing_new() -> None:
    first = measurements_import(paths=TRACKS)
    assert (first.files, first.sensors_new) == (6, 6)
    # Every second, located or not: the Perugia track's six seconds without GPS fix count.
    assert first.readings_new == first.readings_read == 115 + 11 + 218 + 29 + 117 + 438
    assert first.errors == []
    second = measurements_import(paths=TRACKS)
    assert (second.sensors_new, second.readings_new, second.readings_existing) == (0, 0, 928)
    assert Measurement.objects.count() == 928
    track = Sensor.objects.get(code="noisecapture:232d26c5-8004-4321-aedc-fe5f678595d2")
    assert track.deployment == "mobile"
    assert track.location is None
    assert track.measurements.exclude(location=None).count() == 115
    perugia = Sensor.objects.get(code="noisecapture:4362e1c5-c25d-4938-882c-c3a9c86de8f3")
    assert perugia.measurements.filter(location=None).count() == 6


def test_a_track_is_found_by_its_file_uuid_and_by_its_meta_uuid() -> None:
    measurements_import(paths=[PORNICHET_TRACK])
    by_meta = sensor_by_code(f"noisecapture:{PORNICHET_UUID}")
    by_file = sensor_by_code("noisecapture:07efe9f7-bda1-4e49-8514-f3a2a1fc576d")
    assert by_meta is not None
    assert by_meta == by_file


def test_each_import_records_its_provenance(pornichet, nantes) -> None:  # type: ignore[no-untyped-def]
    measurements_import(paths=[PORNICHET_TRACK], event=pornichet)
    again = measurements_import(paths=[PORNICHET_TRACK], event=nantes)
    # Stored once, it serves the event it measured in; the second import is on record.
    assert (again.readings_new, again.readings_existing, again.readings_outside) == (0, 115, 115)
    records = MeasurementImport.objects.order_by("imported_at", "id")
    assert [(r.event, r.readings_new, r.readings_existing) for r in records] == [
        (pornichet, 115, 0), (nantes, 0, 115)]
    assert {s.code for s in records[1].sensors.all()} == {f"noisecapture:{PORNICHET_UUID}"}
    assert event_readings(event=pornichet).count() == 115
    assert not event_readings(event=nantes).exists()


def test_a_track_whose_every_point_is_refused_makes_no_sensor(tmp_path: Path) -> None:
    with zipfile.ZipFile(PORNICHET_TRACK) as z:
        meta, track = z.read("meta.properties"), json.loads(z.read("track.geojson"))
    for feature in track["features"]:
        feature["properties"]["leq_mean"] = 999  # beyond any plausible level
    path = tmp_path / PORNICHET_TRACK.name
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("meta.properties", meta)
        z.writestr("track.geojson", json.dumps(track))
    summary = measurements_import(paths=[path])
    assert (summary.sensors_new, summary.readings_new, len(summary.errors)) == (0, 0, 115)
    assert not Sensor.objects.exists()


def test_lasso_import_brings_measurements_and_reports(nantes_imported) -> None:  # type: ignore[no-untyped-def]
    nantes, summary = nantes_imported
    assert (summary.sensors_new, summary.readings_new, summary.reports_new) == (569, 1138, 749)
    reports = NuisanceReport.objects.filter(event=nantes)
    assert reports.count() == 749
    assert set(reports.values_list("channel", flat=True)) == {"import"}
    # One contributor per listening point and year (568 points, 15 hold only unrated answers).
    assert Contributor.objects.filter(event=nantes).count() == 553
    assert event_sensors(event=nantes).count() == 569
    again = measurements_import(paths=[GEOALL], event=nantes)
    assert (again.readings_new, again.reports_new, again.reports_existing) == (0, 0, 749)
    assert NuisanceReport.objects.filter(event=nantes).count() == 749


def test_lasso_into_a_second_event_makes_its_own_reports(nantes_imported) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_event

    nantes, _ = nantes_imported
    second = make_event("nantes-again", zone_geojson=NANTES_ZONE, starts_at=nantes.starts_at,
                        ends_at=nantes.ends_at)
    summary = measurements_import(paths=[GEOALL], event=second)
    assert (summary.reports_new, summary.readings_new) == (749, 0)
    assert not [e for e in summary.errors if "already used" in e.reason]
    assert NuisanceReport.objects.filter(event=second).count() == 749
    # The measurements are stored once and serve both events.
    assert event_readings(event=second).count() == event_readings(event=nantes).count() == 569
    again = measurements_import(paths=[GEOALL], event=second)
    assert (again.reports_new, again.reports_existing) == (0, 749)


def test_reports_imported_with_event_less_ids_stay_idempotent(nantes, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import uuid

    from layers.services import imported_reports as imports

    # The importer as it was before ids were per event: uuid5(namespace, key).
    with monkeypatch.context() as patch:
        patch.setattr(imports, "report_id",
                      lambda event, key: uuid.uuid5(imports.REPORT_NAMESPACE, key))
        assert measurements_import(paths=[GEOALL], event=nantes).reports_new == 749
    again = measurements_import(paths=[GEOALL], event=nantes)
    assert (again.reports_new, again.reports_existing) == (0, 749)


def test_lasso_without_event_keeps_measurements_and_says_why() -> None:
    summary = measurements_import(paths=[GEOALL])
    assert summary.readings_new == 1138
    assert any("need an event" in e.reason for e in summary.errors)
    assert NuisanceReport.objects.count() == 0


def test_command_prints_summary_progress_and_errors(tmp_path: Path) -> None:
    out = io.StringIO()
    errors = tmp_path / "errors.csv"
    call_command("import_measurements", str(NOISE / "stations_sample.csv"),
                 str(NOISE / "dnms_sample.csv"), "--errors", str(errors), stdout=out)
    text = out.getvalue()
    assert "readings: 15 valid, 15 new, 0 already stored" in text
    assert "refused: stations_sample.csv row 3" in text
    assert "reading/s" in text or "reading" in text  # tqdm's bar went to the command's stdout
    assert errors.read_text().count("\n") == 1 + 5
    out = io.StringIO()
    call_command("import_measurements", str(NOISE / "stations_sample.csv"), stdout=out)
    assert "5 valid, 0 new, 5 already stored" in out.getvalue()


def test_command_refuses_unknown_event_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No carto-party"):
        call_command("import_measurements", str(GEOALL), "--event", "nowhere")
    bad = tmp_path / "x.csv"
    bad.write_text("nothing\n")
    with pytest.raises(CommandError, match="No file could be read"):
        call_command("import_measurements", str(bad), stdout=io.StringIO())


def test_an_imported_group_with_a_long_name_is_found_again(nantes) -> None:  # type: ignore[no-untyped-def]
    from layers.services.imported_reports import _contributor

    name = "LASSO 2019 listening point " + "x" * 40  # longer than a pseudonym (40)
    assert _contributor(nantes, name).pk == _contributor(nantes, name).pk
