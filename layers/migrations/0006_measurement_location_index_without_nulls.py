"""PostGIS: the readings' GiST index leaves out readings without a point of their own.

A fixed station's readings have no point (the station has it): 9 of 10 readings of a big
import. A GiST index holding their NULLs cost a third of the time of storing them (bench/);
a partial index holds only placed readings, and still serves every ``location`` lookup (a
spatial operator implies IS NOT NULL). Same name, so Django's state is unchanged. SpatiaLite's
R*Tree never indexes NULL geometries: nothing to do there.
"""

from __future__ import annotations

from django.db import migrations


def _names(apps, schema_editor):  # type: ignore[no-untyped-def]
    model = apps.get_model("layers", "Measurement")
    field = model._meta.get_field("location")
    index = schema_editor._create_spatial_index_name(model, field)
    return (schema_editor.quote_name(index), schema_editor.quote_name(model._meta.db_table),
            schema_editor.quote_name(field.column))


def partial(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    index, table, column = _names(apps, schema_editor)
    schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
    schema_editor.execute(f"CREATE INDEX {index} ON {table} USING GIST ({column}) "
                          f"WHERE {column} IS NOT NULL")


def whole(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    index, table, column = _names(apps, schema_editor)
    schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
    schema_editor.execute(f"CREATE INDEX {index} ON {table} USING GIST ({column})")


class Migration(migrations.Migration):

    dependencies = [("layers", "0005_measurement_sensor_index_in_natural_key")]

    operations = [migrations.RunPython(partial, whole)]
