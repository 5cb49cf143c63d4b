"""Reads of participants: who holds a token, whose follow link this is."""

from __future__ import annotations

from mapping.models import Contributor
from mapping.services.participants import digest


def contributor_by_token(token: str) -> Contributor | None:
    """The participant holding this secret token (with their event), if any."""
    return Contributor.objects.select_related("event").filter(token_digest=digest(token)).first()


def contributor_by_follow_key(follow_key: str) -> Contributor | None:
    """The participant whose private follow link carries this key, if any."""
    return Contributor.objects.select_related("event").filter(
        follow_digest=digest(follow_key)
    ).first()
