"""Rate limits that fit a carto-party, counted in a shared store (:mod:`web.ratelimit`).

A whole room shares the town hall's Wi-Fi, hence one public address: limits are counted per
**event** and per participant where one is known, and only then per address — with an
address limit sized for a room, not for one person. The counters live in the database (or
Redis when ``REDIS_URL`` is set), never in process memory: they hold across worker processes,
machines and restarts, and cost one statement per counted request. Organisers may raise their
event's limits for the day (:func:`limits_raise`).

Failed token authentications are counted per address; past ``TOKEN_FAILURES_PER_HOUR`` the
address gets 429 for every further unknown token until the hour has passed. (Tokens carry
256 random bits: the limit stops noisy scanning; guessing one was never a chance.)
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from mapping.models import Contributor, Event
from web import ratelimit

LIMIT_FACTORS = (1, 2, 5, 10)
TOO_MANY_FAILURES = _("Too many failed authentications from this address; try again later.")
PERIODS_S = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400,
             "day": 86400}
# A raised limit reaches every process within this many seconds.
FACTOR_MEMO_S = 30.0
_factor_memo: dict[str, tuple[float, int]] = {}


def parse_rate(rate: str) -> tuple[int, float]:
    """``"600/hour"`` → (600, 3600.0)."""
    count, _slash, period = rate.partition("/")
    return int(count), float(PERIODS_S[period.strip().lower()])


def _factor_key(slug: str) -> str:
    return f"cartoparty:limits:{slug}"


def limit_factor(slug: str) -> int:
    """How many times the configured limits apply to this event today (1 unless raised)."""
    now = time.monotonic()
    memo = _factor_memo.get(slug)
    if memo is None or now - memo[0] > FACTOR_MEMO_S:
        value = cache.get(_factor_key(slug), 1)
        memo = (now, value if value in LIMIT_FACTORS else 1)
        _factor_memo[slug] = memo
    return memo[1]


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
    _factor_memo.pop(event.slug, None)
    return until


def client_address(request: Request) -> str:
    """The client's address, trusting ``NUM_PROXIES`` proxies' X-Forwarded-For and no more."""
    return BaseThrottle().get_ident(request)


class _EventScoped(BaseThrottle):
    """A scoped rate, per event, multiplied by the event's factor of the day."""

    scope = ""

    def ident(self, request: Request) -> str:
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        slug = str(view.kwargs.get("slug", ""))
        rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]
        limit, period_s = parse_rate(rate)
        self.verdict = ratelimit.hit(f"{self.scope}:{slug}:{self.ident(request)}",
                                     limit=limit * limit_factor(slug), period_s=period_s)
        return self.verdict.allowed

    def wait(self) -> float | None:
        return self.verdict.retry_after_s


class ParticipantRateThrottle(_EventScoped):
    """Contributions: per participant of the event; per address for anonymous callers."""

    scope = "contribute"

    def ident(self, request: Request) -> str:
        if isinstance(request.auth, Contributor):
            return f"p{request.auth.pk}"
        return f"a{client_address(request)}"


class EventJoinThrottle(_EventScoped):
    """Joins: per event and client address, sized for a room behind one address."""

    scope = "join"

    def ident(self, request: Request) -> str:
        return f"a{client_address(request)}"


def note_failed_token(request: Request) -> None:
    """Count one failed token authentication; 429 once the address made too many."""
    verdict = ratelimit.hit(f"token-failures:{client_address(request)}",
                            limit=settings.TOKEN_FAILURES_PER_HOUR, period_s=3600)
    if not verdict.allowed:
        raise exceptions.Throttled(wait=verdict.retry_after_s, detail=str(TOO_MANY_FAILURES))
