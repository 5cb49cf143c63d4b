"""Rate limits that fit a carto-party, kept in the shared cache (database or Redis).

A whole room shares the town hall's Wi-Fi, hence one public address: limits are counted per
**event** and per participant where one is known, and only then per address — with an
address limit sized for a room, not for one person. The counters live in Django's default
cache, which is the database (or Redis when ``REDIS_URL`` is set), never process memory: they
hold across worker processes and restarts. Organisers may raise their event's limits for the
day (:func:`limits_raise`).

Secrets are guessed by trying many of them: failed token authentications are counted per
address, and past ``TOKEN_FAILURES_PER_HOUR`` the address is refused until the hour passes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from mapping.models import Contributor, Event

LIMIT_FACTORS = (1, 2, 5, 10)
TOO_MANY_FAILURES = _("Too many failed authentications from this address; try again later.")


def _factor_key(slug: str) -> str:
    return f"cartoparty:limits:{slug}"


def limit_factor(slug: str) -> int:
    """How many times the configured limits apply to this event today (1 unless raised)."""
    value = cache.get(_factor_key(slug), 1)
    return value if value in LIMIT_FACTORS else 1


def limits_raise(*, event: Event, factor: int, now: dt.datetime | None = None) -> dt.datetime:
    """Multiply the event's rate limits by ``factor`` until the end of the day (event time).

    Returns the moment the factor lapses. ``factor`` 1 restores the configured limits.
    """
    if factor not in LIMIT_FACTORS:
        msg = f"factor must be one of {LIMIT_FACTORS}"
        raise ValueError(msg)
    now = now or timezone.now()
    local = now.astimezone(ZoneInfo(event.time_zone))
    midnight = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    until = midnight.astimezone(dt.UTC)
    if factor == 1:
        cache.delete(_factor_key(event.slug))
    else:
        cache.set(_factor_key(event.slug), factor, timeout=(until - now).total_seconds())
    return until


class _EventScoped(ScopedRateThrottle):
    """A scoped rate counted per event, multiplied by the event's factor of the day."""

    def allow_request(self, request: Request, view: Any) -> bool:
        self.slug = str(view.kwargs.get("slug", ""))
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.num_requests *= limit_factor(self.slug)
        return SimpleRateThrottle.allow_request(self, request, view)

    def key(self, ident: str) -> str:
        return f"throttle_{self.scope}_{self.slug}_{ident}"


class ParticipantRateThrottle(_EventScoped):
    """Contributions: per participant of the event; per address for anonymous callers."""

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if isinstance(request.auth, Contributor):
            return self.key(f"p{request.auth.pk}")
        return self.key(f"a{self.get_ident(request)}")


class EventJoinThrottle(_EventScoped):
    """Joins: per event and client address, sized for a room behind one address."""

    def get_cache_key(self, request: Request, view: object) -> str | None:
        return self.key(f"a{self.get_ident(request)}")


class _AddressIdent(SimpleRateThrottle):
    """Only for its ``get_ident`` (client address, honouring ``NUM_PROXIES``)."""

    rate = "1/s"

    def get_cache_key(self, request: Request, view: object) -> str | None:  # pragma: no cover
        return None


def _failures_key(request: Request) -> str:
    return f"cartoparty:token-failures:{_AddressIdent().get_ident(request)}"


def refuse_if_guessing(request: Request) -> None:
    """429 when this address failed too many token authentications in the last hour."""
    if cache.get(_failures_key(request), 0) >= settings.TOKEN_FAILURES_PER_HOUR:
        raise exceptions.Throttled(wait=3600, detail=str(TOO_MANY_FAILURES))


def note_failed_token(request: Request) -> None:
    """Count one failed token authentication for this address (for an hour)."""
    key = _failures_key(request)
    if cache.add(key, 1, timeout=3600):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
