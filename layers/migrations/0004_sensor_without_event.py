"""Sensors without an owning event, 3/3: the event column goes (its meaning is in provenance)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("layers", "0003_sensor_provenance_data")]

    operations = [migrations.RemoveField(model_name="sensor", name="event")]
