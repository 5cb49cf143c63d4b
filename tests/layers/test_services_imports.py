"""Tests for layers.services.imports and the import_measurements command (database)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from layers.models import Measurement, Sensor
from layers.services import measurements_import
from mapping.models import Contributor, NuisanceReport
from tests.layers.conftest import GEOALL, NOISE

pytestmark = pytest.mark.django_db
TRACKS = sorted(NOISE.glob("track_*.zip"))


def test_tracks_import_then_reimport_stores_nothing_new() -> None:
    first = measurements_import(paths=TRACKS)
    assert (first.files, first.sensors_new) == (6, 6)
    assert first.readings_new == first.readings_read == 115 + 11 + 218 + 29 + 117 + 432
    assert len(first.errors) == 6  # the six null geometries
    second = measurements_import(paths=TRACKS)
    assert (second.sensors_new, second.readings_new, second.readings_existing) == (0, 0, 922)
    assert Measurement.objects.count() == 922
    track = Sensor.objects.get(code="noisecapture:232d26c5-8004-4321-aedc-fe5f678595d2")
    assert track.kind == "mobile" and track.location is None
    assert track.measurements.exclude(location=None).count() == 115


def test_lasso_import_brings_measurements_and_reports(nantes_imported) -> None:  # type: ignore[no-untyped-def]
    nantes, summary = nantes_imported
    assert (summary.sensors_new, summary.readings_new, summary.reports_new) == (569, 1138, 749)
    reports = NuisanceReport.objects.filter(event=nantes)
    assert reports.count() == 749
    assert set(reports.values_list("channel", flat=True)) == {"import"}
    # One contributor per listening point and year (568 points, 15 hold only unrated answers).
    assert Contributor.objects.filter(event=nantes).count() == 553
    assert Sensor.objects.filter(event=nantes).count() == 569
    again = measurements_import(paths=[GEOALL], event=nantes)
    assert (again.readings_new, again.reports_new, again.reports_existing) == (0, 0, 749)
    assert NuisanceReport.objects.filter(event=nantes).count() == 749


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
    from layers.services.imports import _contributor

    name = "LASSO 2019 listening point " + "x" * 40  # longer than a pseudonym (40)
    assert _contributor(nantes, name).pk == _contributor(nantes, name).pk
