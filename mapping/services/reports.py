"""Submitting perceived-nuisance reports."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from mapping.errors import Conflict, InvalidInput
from mapping.geometry import REPORT_GEOMETRY_TYPES, extent_m
from mapping.models import Event, NuisanceReport
from mapping.presets import check_sources
from mapping.services.contributions import (
    ID_TAKEN,
    Author,
    place,
    record_received,
    replayed,
    to_geos,
)

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_COMMENT = 2000


def _clean_comment(comment: object) -> str:
    if not isinstance(comment, str):
        msg = "comment must be text."
        raise InvalidInput(msg, field="comment")
    if len(comment) > MAX_COMMENT:
        msg = f"The comment has {len(comment)} characters; at most {MAX_COMMENT} are kept."
        raise InvalidInput(msg, field="comment")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in comment):
        msg = "The comment contains a control character."
        raise InvalidInput(msg, field="comment")
    return comment.strip()


@transaction.atomic
def report_submit(
    *,
    event: Event,
    author: Author,
    geometry: object,
    category: str,
    intensity: int,
    observed_at: dt.datetime,
    sources: list[str] | None = None,
    observed_until: dt.datetime | None = None,
    comment: object = "",
    contribution_id: uuid.UUID | None = None,
) -> tuple[NuisanceReport, bool]:
    """Store a nuisance report; return it and whether it is new (False on a replayed id)."""
    existing = replayed(NuisanceReport, contribution_id=contribution_id, event=event, author=author)
    if existing is not None:
        return existing, False  # type: ignore[return-value]
    if category not in event.nuisance_categories:
        msg = (f"Category {category!r} is not offered by this event; offered: "
               f"{', '.join(event.nuisance_categories)}.")
        raise InvalidInput(msg, field="category")
    if isinstance(intensity, bool) or not isinstance(intensity, int) or not 1 <= intensity <= 5:
        msg = "intensity must be a whole number from 1 (barely noticeable) to 5 (unbearable)."
        raise InvalidInput(msg, field="intensity")
    clean_sources = check_sources(category=category, sources=sources or [])
    if observed_at > timezone.now() + CLOCK_SKEW:
        msg = "observed_at is in the future."
        raise InvalidInput(msg, field="observed_at")
    if observed_until is not None and observed_until < observed_at:
        msg = "observed_until must not be before observed_at."
        raise InvalidInput(msg, field="observed_until")
    geom = place(event, geometry, allowed=REPORT_GEOMETRY_TYPES)
    if geom.geom_type != "Point" and extent_m(geom) > settings.REPORT_MAX_EXTENT_M:
        msg = (f"A report covers at most {settings.REPORT_MAX_EXTENT_M:.0f} m; "
               f"this one spans {extent_m(geom):.0f} m. Report a place, not an area.")
        raise InvalidInput(msg, field="geometry")
    report = NuisanceReport(
        id=contribution_id or uuid.uuid4(), event=event, author=author.contributor,
        entered_by=author.entered_by, channel=author.channel, geometry=to_geos(geom),
        category=category, intensity=intensity, sources=clean_sources, observed_at=observed_at,
        observed_until=observed_until, comment=_clean_comment(comment),
    )
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        raise Conflict(ID_TAKEN, field="id") from None
    record_received(report, author)
    return report, True
