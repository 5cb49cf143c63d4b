"""Participants get ``pseudonym_key`` (``mapping.pseudonyms``), unique per event.

Existing rows are filled from their pseudonyms. Names that already collide under the new rule
(``Élodie`` and ``élodie`` joined before it was enforced, or ``Zoé`` typed in NFC and NFD)
are kept as they are, contributions included: the oldest keeps the key, the later ones get a
suffixed key (``mapping.pseudonyms.keys_for``) and are reported in the log, never merged.
"""

import logging

from django.db import migrations, models

from mapping.pseudonyms import keys_for

logger = logging.getLogger("mapping.migrations")
BATCH = 2000


def fill_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    contributor = apps.get_model("mapping", "Contributor")
    rows = contributor.objects.order_by("event_id", "pk").values_list("pk", "event_id",
                                                                       "pseudonym")
    keys, collided = keys_for(rows.iterator(chunk_size=BATCH))
    pending = [contributor(pk=pk, pseudonym_key=key) for pk, key in keys.items()]
    contributor.objects.bulk_update(pending, ["pseudonym_key"], batch_size=BATCH)
    if collided:
        logger.warning(
            "%d participant(s) had a pseudonym already used in their event ignoring case, "
            "accents' forms and spaces; kept under a suffixed pseudonym_key, ids: %s",
            len(collided), ", ".join(map(str, collided)))


class Migration(migrations.Migration):

    dependencies = [
        ("mapping", "0005_soundscape"),
    ]

    operations = [
        migrations.AddField(
            model_name="contributor",
            name="pseudonym_key",
            field=models.CharField(default="", editable=False, max_length=160),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=False),
        # Stricter than the exact (event, pseudonym) constraint, which it replaces.
        migrations.RemoveConstraint(
            model_name="contributor",
            name="unique_pseudonym_in_event",
        ),
        migrations.AddConstraint(
            model_name="contributor",
            constraint=models.UniqueConstraint(fields=("event", "pseudonym_key"),
                                               name="unique_pseudonym_key_in_event"),
        ),
    ]
