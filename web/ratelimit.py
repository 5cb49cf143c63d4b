"""Shared rate counters: one atomic statement per counted request.

A sliding-window estimate (Cloudflare's): the count of the current fixed window plus the
previous window's count weighted by how much of it still overlaps the sliding one. Both
counts live in one row, rolled and incremented by a single ``INSERT … ON CONFLICT … DO UPDATE
… RETURNING`` (SQLite ≥ 3.35 and PostgreSQL alike), so a contribution pays one query for its
rate limit — DRF's cache throttle paid eight on the database cache (read the history, count
the table for culling, read the key, write it). With ``REDIS_URL`` set the counters live in
Redis instead (INCR + EXPIRE in one round trip).

The counters are shared by every process and machine using the same database (or Redis), and
survive restarts.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

TABLE = "cartoparty_rate_counter"

_UPSERT = f"""
INSERT INTO {TABLE} (counter_key, window_start, hits, previous_hits, expires_s)
VALUES (%s, %s, 1, 0, %s)
ON CONFLICT (counter_key) DO UPDATE SET
    previous_hits = CASE
        WHEN {TABLE}.window_start = excluded.window_start THEN {TABLE}.previous_hits
        WHEN {TABLE}.window_start = excluded.window_start - 1 THEN {TABLE}.hits
        ELSE 0 END,
    hits = CASE WHEN {TABLE}.window_start = excluded.window_start THEN {TABLE}.hits + 1
        ELSE 1 END,
    window_start = excluded.window_start,
    expires_s = excluded.expires_s
RETURNING hits, previous_hits
"""

_READ = f"SELECT window_start, hits, previous_hits FROM {TABLE} WHERE counter_key = %s"
_PURGE = f"DELETE FROM {TABLE} WHERE expires_s < %s"
# One counted request in this many also deletes the counters nobody touched for two windows.
PURGE_EVERY = 2000


@dataclass(frozen=True)
class Verdict:
    """Whether a request is within its limit, and if not, when to come back (seconds)."""

    allowed: bool
    retry_after_s: float
    estimate: float


def _estimate(hits: int, previous: int, elapsed_fraction: float) -> float:
    return hits + previous * (1.0 - elapsed_fraction)


def _verdict(hits: int, previous: int, *, limit: int, period_s: float, now: float) -> Verdict:
    window = math.floor(now / period_s)
    fraction = now / period_s - window
    estimate = _estimate(hits, previous, fraction)
    if estimate <= limit:
        return Verdict(True, 0.0, estimate)
    # When the weighted previous window has faded enough (or the window turns over).
    if previous and hits <= limit:
        fade_to = 1.0 - (limit - hits) / previous
        wait = max(fade_to - fraction, 0.0) * period_s
    else:
        wait = (1.0 - fraction) * period_s
    return Verdict(False, max(wait, 1.0), estimate)


def hit(key: str, *, limit: int, period_s: float, now: float | None = None) -> Verdict:
    """Count one request under ``key`` and say whether it stays within ``limit``/``period_s``."""
    now = time.time() if now is None else now
    window = math.floor(now / period_s)
    if settings.REDIS_URL:
        hits, previous = _redis_hit(key, window, period_s)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [key, window, (window + 2) * period_s])
            hits, previous = cursor.fetchone()
            if random.randrange(PURGE_EVERY) == 0:
                cursor.execute(_PURGE, [now])
    return _verdict(hits, previous, limit=limit, period_s=period_s, now=now)


def peek(key: str, *, limit: int, period_s: float, now: float | None = None) -> Verdict:
    """The verdict for ``key`` without counting a request."""
    now = time.time() if now is None else now
    window = math.floor(now / period_s)
    if settings.REDIS_URL:
        client = _redis()
        current, before = client.mget(f"rate:{key}:{window}", f"rate:{key}:{window - 1}")
        hits, previous = int(current or 0), int(before or 0)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_READ, [key])
            row = cursor.fetchone()
        if row is None:
            hits = previous = 0
        elif row[0] == window:
            hits, previous = row[1], row[2]
        elif row[0] == window - 1:
            hits, previous = 0, row[1]
        else:
            hits = previous = 0
    return _verdict(hits, previous, limit=limit, period_s=period_s, now=now)


_client = None


def _redis():  # type: ignore[no-untyped-def]
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client


def _redis_hit(key: str, window: int, period_s: float) -> tuple[int, int]:
    pipe = _redis().pipeline()
    current = f"rate:{key}:{window}"
    pipe.incr(current)
    pipe.expire(current, int(period_s * 2) + 1)
    pipe.get(f"rate:{key}:{window - 1}")
    hits, _expired, previous = pipe.execute()
    return int(hits), int(previous or 0)
