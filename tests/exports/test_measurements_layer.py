"""The GeoPackage ``measurements`` layer from real sensor files, read back by ogrinfo."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from django.core.management import call_command

from exports.services import event_export
from layers.acoustics import laeq_db
from layers.models import Measurement
from layers.selectors.sensors import event_sensors, measurement_summary
from tests.exports.tools import needs_gdal, ogr_layers
from tests.layers.conftest import PORNICHET_TRACK, chambery_june, pornichet  # noqa: F401

pytestmark = pytest.mark.django_db
NOISE = Path(__file__).resolve().parents[1] / "data" / "noise"
FILES = [*sorted(NOISE.glob("track_*.zip")), NOISE / "stations_sample.csv",
         NOISE / "dnms_sample.csv"]


def _import(event) -> None:  # type: ignore[no-untyped-def]
    call_command("import_measurements", *map(str, FILES), "--event", event.slug,
                 stdout=io.StringIO())


def test_summary_has_one_row_per_sensor_of_the_event_with_energetic_laeq(pornichet) -> None:  # type: ignore[no-untyped-def]
    _import(pornichet)
    summary = measurement_summary(event=pornichet).set_index("code")
    sensors = event_sensors(event=pornichet)
    assert sorted(summary.index) == sorted(sensors.values_list("code", flat=True))
    assert len(summary) == 1  # of the six tracks and two files, one measured there and then
    track = sensors.get()
    readings = Measurement.objects.filter(sensor=track, quantity="LAeq")
    row = summary.loc[track.code]
    assert row["readings"] == readings.count() == 115
    assert row.geometry.geom_type == "LineString"
    levels, durations = zip(*readings.values_list("value", "duration_s"), strict=True)
    assert row["laeq_db"] == round(laeq_db(levels, durations), 2)
    assert row["first"] == min(readings.values_list("measured_at", flat=True))
    assert row["app_laeq_db"] == 52.55
    assert pd.isna(row["left_out"])


def test_summary_of_fixed_sensors_are_points(chambery_june) -> None:  # type: ignore[no-untyped-def]
    _import(chambery_june)
    summary = measurement_summary(event=chambery_june)
    assert sorted(summary["code"]) == ["dnms:31337", "station:chambery-01", "station:chambery-02"]
    assert set(summary.geometry.geom_type) == {"Point"}


@needs_gdal
@pytest.mark.parametrize(("fixture", "geometry"), [("pornichet", "LineString"),
                                                    ("chambery_june", "Point")])
def test_gpkg_measurements_layer_seen_by_ogrinfo(request, fixture: str, geometry: str,
                                                  tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    event = request.getfixturevalue(fixture)
    _import(event)
    path = tmp_path / "m.gpkg"
    event_export(event=event, format_name="gpkg", path=path)
    layers = ogr_layers(path)
    assert layers["measurements"]["count"] == event_sensors(event=event).count() > 0
    fields = layers["measurements"]["fields"]
    assert (fields["code"], fields["kind"], fields["left_out"]) == ("String",) * 3
    assert fields["readings"] == fields["readings_located"] == "Integer64"
    assert (fields["first"], fields["last"]) == ("DateTime", "DateTime")
    assert {fields[f"{n}_db"] for n in ("laeq", "laeq_located", "app_laeq", "l10", "l50",
                                         "l90")} == {"Real"}
    assert 'ID["EPSG",4326]' in layers["measurements"]["text"]
    frame = pyogrio.read_dataframe(path, layer="measurements")
    assert set(frame.geometry.geom_type) == {geometry}
