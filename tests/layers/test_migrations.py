"""The migration of event-owned sensors to provenance records (layers 0002–0004), both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.geometries import ZONE
from tests.migrating import migrate_to

BEFORE = [("layers", "0002_sensor_provenance")]
AFTER = [("layers", "0004_sensor_without_event")]


@pytest.mark.django_db(transaction=True)
def test_event_owned_sensors_become_provenance_records_and_tracks_get_their_file_alias() -> None:
    old = migrate_to(BEFORE)
    from django.contrib.gis.geos import GEOSGeometry

    event = old.get_model("mapping", "Event").objects.create(
        name="Before", slug="before", zone=GEOSGeometry(str(ZONE).replace("'", '"'), srid=4326),
        starts_at=dt.datetime(2017, 9, 20, tzinfo=dt.UTC),
        ends_at=dt.datetime(2017, 9, 21, tzinfo=dt.UTC), join_code="X")
    sensor_model = old.get_model("layers", "Sensor")
    track = sensor_model.objects.create(
        code="noisecapture:232d26c5", deployment="mobile", source="noisecapture", event=event,
        metadata={"file": "track_07efe9f7-bda1.zip"})
    sensor_model.objects.create(code="station:x", deployment="mobile", source="station")
    try:
        new = migrate_to(AFTER)
        (record,) = new.get_model("layers", "MeasurementImport").objects.all()
        assert record.event_id == event.pk
        assert record.format == "earlier"
        assert [s.code for s in record.sensors.all()] == [track.code]
        aliases = new.get_model("layers", "SensorAlias").objects.values_list("alias", "sensor_id")
        assert list(aliases) == [("noisecapture:07efe9f7-bda1", track.pk)]
        back = migrate_to(BEFORE)
        assert back.get_model("layers", "Sensor").objects.get(pk=track.pk).event_id == event.pk
    finally:
        migrate_to(AFTER)


@pytest.mark.requires_postgis
@pytest.mark.django_db
def test_the_readings_gist_index_leaves_out_readings_without_a_point() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostGIS index")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'layers_measurement' "
                       "AND indexdef LIKE '%gist%'")
        (definition,) = cursor.fetchone()
    assert "WHERE (location IS NOT NULL)" in definition
