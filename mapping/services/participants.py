"""Joining an event: a pseudonym, a secret token and a private follow link, no e-mail."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from mapping import permissions
from mapping.errors import N_, Conflict, InvalidInput, NotAllowed
from mapping.models import Contributor, Event
from mapping.profiles import clean_answers
from mapping.pseudonyms import pseudonym_key
from mapping.services.opening import require_open
from mapping.services.profiles import profile_declare

WRONG_JOIN_CODE = N_("This join code is not the event's: check it with the organisers.")
PSEUDONYM_TAKEN = N_("This pseudonym is already used in this event: choose another one.")
PSEUDONYM_SELF_JOINED = N_("{pseudonym!r} joined with their own device: enter this "
                           "contribution under another name, e.g. with an initial.")


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
        raise InvalidInput(N_("The pseudonym must be text."), field="pseudonym")
    cleaned = " ".join(unicodedata.normalize("NFC", pseudonym).split())
    if not 2 <= len(cleaned) <= 40:
        raise InvalidInput(N_("The pseudonym needs 2 to 40 characters."), field="pseudonym")
    if any(unicodedata.category(c).startswith("C") for c in cleaned):
        raise InvalidInput(N_("The pseudonym contains a control character."), field="pseudonym")
    return cleaned


def _same_pseudonym(event: Event, pseudonym: str) -> Contributor | None:
    """The participant whose pseudonym equals this one, ignoring case, accents' forms and
    spaces (``mapping.pseudonyms``): one lookup in the (event, pseudonym_key) unique index."""
    return (Contributor.objects.filter(event=event, pseudonym_key=pseudonym_key(pseudonym))
            .only("pk", "pseudonym", "registered_by").first())


def _create(*, event: Event, pseudonym: str, registered_by: Any = None) -> Joined:
    """A new participant; PSEUDONYM_TAKEN when the index holds the same pseudonym's key.

    Nothing is read first: the insert is refused by the unique (event, pseudonym_key) index,
    in its own savepoint, also when two phones send the same name at the same instant.
    """
    token, follow_key = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            contributor = Contributor.objects.create(
                event=event, pseudonym=pseudonym, token_digest=digest(token),
                follow_digest=digest(follow_key), terms_version=settings.TERMS_VERSION,
                registered_by=registered_by,
            )
    except IntegrityError:
        raise Conflict(PSEUDONYM_TAKEN, field="pseudonym") from None
    return Joined(contributor=contributor, token=token, follow_key=follow_key)


def contributor_join(
    *, event: Event, join_code: object, pseudonym: object, profile: object = None,
    received_at: dt.datetime | None = None,
) -> Joined:
    """A participant joins with the event's code, a pseudonym and an optional profile.

    Only while the event is open (``mapping.opening``) at ``received_at`` (default now; a
    demo replaying a past event gives a time inside its window); a wrong code is told first.
    """
    if not isinstance(join_code, str) or not hmac.compare_digest(
        join_code.strip().casefold().encode(), event.join_code.casefold().encode()
    ):
        raise NotAllowed(WRONG_JOIN_CODE, field="join_code")
    require_open(event, now=received_at)
    cleaned = _clean_pseudonym(pseudonym)
    answers = clean_answers(profile)  # checked before anything is written
    with transaction.atomic():
        joined = _create(event=event, pseudonym=cleaned)
        if answers:
            profile_declare(contributor=joined.contributor, answers=answers)
    return joined


def contributor_register(*, event: Event, mediator: Any, pseudonym: object) -> Contributor:
    """A mediator registers a participant who has no phone; returns the existing one if any."""
    if not permissions.can_enter_on_behalf(mediator, event):
        raise NotAllowed(
            N_("Only this event's organisers and mediators may enter contributions for others."))
    cleaned = _clean_pseudonym(pseudonym)
    existing = _registered(event, cleaned)
    if existing is not None:
        return existing
    try:
        return _create(event=event, pseudonym=cleaned, registered_by=mediator).contributor
    except Conflict:
        # Another mediator registered this name (or its owner joined) at the same instant:
        # the index refused this insert once the other was committed, so it is visible now.
        existing = _registered(event, cleaned)
        if existing is None:
            raise
        return existing


def _registered(event: Event, pseudonym: str) -> Contributor | None:
    """The participant a mediator may enter for under this name, if registered already."""
    existing = _same_pseudonym(event, pseudonym)
    if existing is not None and existing.registered_by_id is None:
        # Someone joined with their own phone under this name: never write in their name.
        raise Conflict(PSEUDONYM_SELF_JOINED, field="on_behalf_of", pseudonym=pseudonym)
    return existing
