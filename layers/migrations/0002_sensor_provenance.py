"""Sensors without an owning event (issue 12), 1/3: provenance records, aliases, "deployment".

A measurement used to belong to the first event that imported it. Now an event shows every
measurement in its zone and window; which event a sensor was imported for becomes a
``MeasurementImport`` record, and a NoiseCapture track is also found by the uuid of its file.
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0001_initial"),
        ("mapping", "0002_desk_grid_widget"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="sensor", name="sensor_fixed_or_spot_has_location"),
        migrations.RenameField(model_name="sensor", old_name="kind", new_name="deployment"),
        migrations.AddConstraint(
            model_name="sensor",
            constraint=models.CheckConstraint(
                condition=models.Q(("deployment", "mobile"), ("location__isnull", False),
                                   _connector="OR"),
                name="sensor_fixed_or_spot_has_location"),
        ),
        migrations.CreateModel(
            name="SensorAlias",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("alias", models.CharField(max_length=120, unique=True)),
                ("sensor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                             related_name="aliases", to="layers.sensor")),
            ],
        ),
        migrations.CreateModel(
            name="MeasurementImport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("file_name", models.CharField(blank=True, max_length=255)),
                ("file_sha256", models.CharField(blank=True, db_index=True, max_length=64)),
                ("format", models.CharField(max_length=16)),
                ("readings_new", models.PositiveIntegerField(default=0)),
                ("readings_existing", models.PositiveIntegerField(default=0)),
                ("rows_refused", models.PositiveIntegerField(default=0)),
                ("imported_at", models.DateTimeField(auto_now_add=True)),
                ("event", models.ForeignKey(blank=True, null=True,
                                            on_delete=django.db.models.deletion.SET_NULL,
                                            related_name="measurement_imports",
                                            to="mapping.event")),
                ("sensors", models.ManyToManyField(blank=True, related_name="imports",
                                                   to="layers.sensor")),
            ],
            options={"ordering": ["-imported_at", "-id"]},
        ),
    ]
