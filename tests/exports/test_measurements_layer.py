"""The GeoPackage ``measurements`` layer from real sensor files, read back by ogrinfo."""

from __future__ import annotations

import io
from pathlib import Path

import pyogrio
import pytest
from django.core.management import call_command

from exports.services import event_export
from layers.acoustics import laeq_db
from layers.models import Measurement, Sensor
from layers.selectors import measurement_summary
from tests.exports.tools import needs_gdal, ogr_layers

pytestmark = pytest.mark.django_db
NOISE = Path(__file__).resolve().parents[1] / "data" / "noise"
FILES = [*sorted(NOISE.glob("track_*.zip")), NOISE / "stations_sample.csv",
         NOISE / "dnms_sample.csv"]


@pytest.fixture
def measured(event):  # type: ignore[no-untyped-def]
    call_command("import_measurements", *map(str, FILES), "--event", event.slug,
                 stdout=io.StringIO())
    return event


def test_summary_has_one_row_per_sensor_with_energetic_laeq(measured) -> None:  # type: ignore[no-untyped-def]
    summary = measurement_summary(event=measured).set_index("code")
    sensors = Sensor.objects.filter(event=measured)
    assert sorted(summary.index) == sorted(sensors.values_list("code", flat=True))
    track = sensors.filter(kind="mobile").order_by("-pk").first()
    readings = Measurement.objects.filter(sensor=track, quantity="LAeq")
    row = summary.loc[track.code]
    assert row["readings"] == readings.count()
    assert row.geometry.geom_type == "LineString"
    levels, durations = zip(*readings.values_list("value", "duration_s"), strict=True)
    assert row["laeq_db"] == pytest.approx(round(laeq_db(levels, durations), 1))
    assert row["first"] == min(readings.values_list("measured_at", flat=True))
    fixed = summary[summary["kind"] == "fixed"]
    assert set(fixed.geometry.geom_type) == {"Point"}


@needs_gdal
def test_gpkg_measurements_layer_seen_by_ogrinfo(measured, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.gpkg"
    event_export(event=measured, format_name="gpkg", path=path)
    layers = ogr_layers(path)
    sensors = Sensor.objects.filter(event=measured).count()
    assert layers["measurements"]["count"] == sensors > 6
    fields = layers["measurements"]["fields"]
    assert (fields["code"], fields["kind"]) == ("String", "String")
    assert fields["readings"] == "Integer64"
    assert (fields["first"], fields["last"]) == ("DateTime", "DateTime")
    assert {fields[f"{n}_db"] for n in ("laeq", "l10", "l50", "l90")} == {"Real"}
    assert 'ID["EPSG",4326]' in layers["measurements"]["text"]
    frame = pyogrio.read_dataframe(path, layer="measurements")
    assert set(frame.geometry.geom_type) == {"Point", "LineString"}
