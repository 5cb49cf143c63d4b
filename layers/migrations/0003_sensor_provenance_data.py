"""Sensors without an owning event, 2/3: each event's sensors become a provenance record."""

from __future__ import annotations

import re

from django.db import migrations

TRACK_FILE = re.compile(r"^track_(?P<uuid>[0-9A-Za-z-]+)\.zip$")


def sensors_to_provenance(apps, schema_editor):  # type: ignore[no-untyped-def]
    """One provenance record per event that owned sensors; file-uuid aliases of tracks."""
    Sensor = apps.get_model("layers", "Sensor")
    MeasurementImport = apps.get_model("layers", "MeasurementImport")
    SensorAlias = apps.get_model("layers", "SensorAlias")
    by_event: dict[int, list[int]] = {}
    for pk, event_id in Sensor.objects.exclude(event=None).values_list("pk", "event_id"):
        by_event.setdefault(event_id, []).append(pk)
    for event_id, sensor_ids in by_event.items():
        record, _ = MeasurementImport.objects.get_or_create(
            event_id=event_id, format="earlier",
            defaults={"file_name": "(imported before provenance records)"})
        record.sensors.add(*sensor_ids)
    # Re-runnable (after a migration back): aliases already made are not made again.
    taken = {*Sensor.objects.values_list("code", flat=True),
             *SensorAlias.objects.values_list("alias", flat=True)}
    for sensor in Sensor.objects.filter(source="noisecapture"):
        match = TRACK_FILE.match(str((sensor.metadata or {}).get("file", "")))
        alias = f"noisecapture:{match['uuid']}" if match else None
        if alias and alias not in taken:
            SensorAlias.objects.create(sensor=sensor, alias=alias)
            taken.add(alias)


def provenance_to_sensors(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Back: each sensor to the event of its oldest provenance record."""
    Sensor = apps.get_model("layers", "Sensor")
    MeasurementImport = apps.get_model("layers", "MeasurementImport")
    for record in MeasurementImport.objects.exclude(event=None).order_by("-imported_at", "-id"):
        Sensor.objects.filter(pk__in=record.sensors.values("pk")).update(event_id=record.event_id)



class Migration(migrations.Migration):

    dependencies = [("layers", "0002_sensor_provenance")]

    operations = [migrations.RunPython(sensors_to_provenance, provenance_to_sensors)]
