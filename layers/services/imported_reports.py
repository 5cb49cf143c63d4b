"""Perceived answers an importer brings (the LASSO survey) stored as nuisance reports."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence

from layers.importers import PerceivedRecord, RowError
from mapping.errors import CartopartyError
from mapping.models import Channel, Contributor, Event, NuisanceReport
from mapping.pseudonyms import pseudonym_key
from mapping.services.contributions import Author
from mapping.services.reports import report_submit

# Report ids derive from the importer's stable keys: the same file twice stores one report.
REPORT_NAMESPACE = uuid.UUID("5b0f3c1e-1a0e-4c55-9c3e-6c61727470a1")


def _contributor(event: Event, pseudonym: str) -> Contributor:
    # Imported answers have no participant secret: store digests of random, discarded keys.
    pseudonym = pseudonym[:Contributor._meta.get_field("pseudonym").max_length]
    contributor = Contributor.objects.filter(event=event,
                                             pseudonym_key=pseudonym_key(pseudonym)).first()
    if contributor is None:
        contributor = Contributor.objects.create(
            event=event, pseudonym=pseudonym,
            token_digest=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            follow_digest=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            terms_version="import",
        )
    return contributor


def report_id(event: Event, key: str) -> uuid.UUID:
    """The id of the report an importer makes from ``key`` for ``event``: stable, so the
    same file twice stores one report, and different per event, so the same survey can be
    brought into several events."""
    return uuid.uuid5(REPORT_NAMESPACE, f"event:{event.pk}:{key}")


def _report_ids(perceived: Sequence[PerceivedRecord], event: Event) -> list[uuid.UUID]:
    """Ids of the records' reports. Reports imported before ids were per event kept the
    event-less id (``uuid5(namespace, key)``): those found in this event keep it, so that
    re-importing stays idempotent."""
    legacy = {record.key: uuid.uuid5(REPORT_NAMESPACE, record.key) for record in perceived}
    kept = set(NuisanceReport.objects.filter(event=event, pk__in=list(legacy.values()))
               .values_list("pk", flat=True))
    return [legacy[r.key] if legacy[r.key] in kept else report_id(event, r.key)
            for r in perceived]


def reports_store(
    perceived: Sequence[PerceivedRecord], event: Event, file: str, errors: list[RowError]
) -> tuple[int, int]:
    """Store the answers as reports of ``event``; (new, already stored); refusals to ``errors``."""
    authors: dict[str, Author] = {}
    counts = {True: 0, False: 0}
    for number, (record, report) in enumerate(
            zip(perceived, _report_ids(perceived, event), strict=True), start=1):
        if record.group not in authors:
            authors[record.group] = Author(contributor=_contributor(event, record.group),
                                           entered_by=None, channel=Channel.IMPORT)
        try:
            _, created = report_submit(
                event=event, author=authors[record.group],
                geometry={"type": "Point", "coordinates": [record.lon, record.lat]},
                category="noise", intensity=record.intensity, sources=list(record.sources),
                observed_at=record.observed_at, comment=record.comment,
                contribution_id=report,
            )
        except CartopartyError as exc:
            errors.append(RowError(file, number, f"{record.key}: {exc.message}"))
            continue
        counts[created] += 1
    return counts[True], counts[False]
