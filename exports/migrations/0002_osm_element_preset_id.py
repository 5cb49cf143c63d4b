# OsmElement.kind held a preset id: renamed preset_id, and blank for elements of no preset
# (import_osm now keeps every tagged element).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("exports", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="osmelement", old_name="kind", new_name="preset_id"),
        migrations.AlterField(
            model_name="osmelement",
            name="preset_id",
            field=models.CharField(blank=True, db_index=True, default="", max_length=64),
        ),
    ]
