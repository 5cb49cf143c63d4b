"""Migration 0006 fills the participants' pseudonym keys, collisions kept and reported."""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from mapping.pseudonyms import COLLISION_SEPARATOR
from tests.geometries import ZONE
from tests.migrating import migrate_to

BEFORE = [("mapping", "0005_soundscape")]
AFTER = [("mapping", "0006_contributor_pseudonym_key")]


@pytest.mark.django_db(transaction=True)
def test_existing_participants_get_their_keys_and_collisions_are_kept(caplog) -> None:
    old = migrate_to(BEFORE)
    event_model = old.get_model("mapping", "Event")
    events = [event_model.objects.create(
        name=slug, slug=slug, zone=GEOSGeometry(str(ZONE).replace("'", '"'), srid=4326),
        starts_at=dt.datetime(2026, 6, 20, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 6, 21, tzinfo=dt.UTC), join_code="X") for slug in ("a", "b")]
    person = old.get_model("mapping", "Contributor")

    def add(event, pseudonym):  # type: ignore[no-untyped-def]
        return person.objects.create(event=event, pseudonym=pseudonym, terms_version="t",
                                     token_digest=f"t{pseudonym}{event.pk}",
                                     follow_digest=f"f{pseudonym}{event.pk}").pk

    # Before the key, the exact (event, pseudonym) constraint let these three in together.
    first = add(events[0], "Élodie")
    nfd = add(events[0], unicodedata.normalize("NFD", "Élodie"))
    upper = add(events[0], "ÉLODIE")
    zoe = add(events[0], "Zoé")
    elsewhere = add(events[1], "élodie")
    try:
        with caplog.at_level(logging.WARNING, logger="mapping.migrations"):
            new = migrate_to(AFTER)
        keys = dict(new.get_model("mapping", "Contributor").objects.values_list(
            "pk", "pseudonym_key"))
        assert keys == {first: "élodie", nfd: f"élodie{COLLISION_SEPARATOR}{nfd}",
                        upper: f"élodie{COLLISION_SEPARATOR}{upper}", zoe: "zoé",
                        elsewhere: "élodie"}
        (warning,) = caplog.records
        assert f"ids: {nfd}, {upper}" in warning.getMessage()
        # Every row is kept, and the index now refuses a new Élodie in event a.
        now = new.get_model("mapping", "Contributor")
        with pytest.raises(IntegrityError), transaction.atomic():
            now.objects.create(event_id=events[0].pk, pseudonym="élodie",
                               pseudonym_key="élodie", terms_version="t", token_digest="x",
                               follow_digest="y")
        back = migrate_to(BEFORE)  # and back: the exact constraint holds for these rows
        assert back.get_model("mapping", "Contributor").objects.count() == 5
    finally:
        migrate_to(AFTER)
        migrate_to([("mapping", _latest())])


def _latest() -> str:
    executor = MigrationExecutor(connection)
    return max(name for app, name in executor.loader.graph.leaf_nodes() if app == "mapping")
