"""Joining an event: a pseudonym, a secret token and a private follow link, no e-mail."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from mapping import permissions
from mapping.errors import Conflict, InvalidInput, NotAllowed
from mapping.models import Contributor, Event

WRONG_JOIN_CODE = "This join code is not the event's: check it with the organisers."
PSEUDONYM_TAKEN = "This pseudonym is already used in this event: choose another one."


@dataclass(frozen=True)
class Joined:
    """A new participant and its two secrets, shown once and never stored in clear."""

    contributor: Contributor
    token: str
    follow_key: str


def digest(secret: str) -> str:
    """SHA-256 of a secret, as stored in the database."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_pseudonym(pseudonym: object) -> str:
    if not isinstance(pseudonym, str):
        msg = "The pseudonym must be text."
        raise InvalidInput(msg, field="pseudonym")
    cleaned = " ".join(unicodedata.normalize("NFC", pseudonym).split())
    if not 2 <= len(cleaned) <= 40:
        msg = "The pseudonym needs 2 to 40 characters."
        raise InvalidInput(msg, field="pseudonym")
    if any(unicodedata.category(c).startswith("C") for c in cleaned):
        msg = "The pseudonym contains a control character."
        raise InvalidInput(msg, field="pseudonym")
    return cleaned


def _create(*, event: Event, pseudonym: str, registered_by: Any = None) -> Joined:
    token, follow_key = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            if Contributor.objects.filter(event=event, pseudonym__iexact=pseudonym).exists():
                raise Conflict(PSEUDONYM_TAKEN, field="pseudonym")
            contributor = Contributor.objects.create(
                event=event, pseudonym=pseudonym, token_digest=digest(token),
                follow_digest=digest(follow_key), terms_version=settings.TERMS_VERSION,
                registered_by=registered_by,
            )
    except IntegrityError:
        raise Conflict(PSEUDONYM_TAKEN, field="pseudonym") from None
    return Joined(contributor=contributor, token=token, follow_key=follow_key)


def contributor_join(*, event: Event, join_code: object, pseudonym: object) -> Joined:
    """A participant joins with the event's code and a pseudonym."""
    if not isinstance(join_code, str) or not hmac.compare_digest(
        join_code.strip().casefold().encode(), event.join_code.casefold().encode()
    ):
        raise NotAllowed(WRONG_JOIN_CODE, field="join_code")
    return _create(event=event, pseudonym=_clean_pseudonym(pseudonym))


def contributor_register(*, event: Event, mediator: Any, pseudonym: object) -> Contributor:
    """A mediator registers a participant who has no phone; returns the existing one if any."""
    if not permissions.can_enter_on_behalf(mediator, event):
        msg = "Only this event's organisers and mediators may enter contributions for others."
        raise NotAllowed(msg)
    cleaned = _clean_pseudonym(pseudonym)
    existing = Contributor.objects.filter(event=event, pseudonym__iexact=cleaned).first()
    if existing is not None:
        return existing
    return _create(event=event, pseudonym=cleaned, registered_by=mediator).contributor
