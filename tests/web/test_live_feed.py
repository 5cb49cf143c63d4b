"""The desk's live feed (web/live.py ``Feed``) under a burst: every change reaches the listener."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from web import live


@dataclass(frozen=True)
class Change:  # what the feed reads of a StatusChange
    pk: int
    created_at: dt.datetime


def test_a_burst_larger_than_a_batch_within_the_overlap_reaches_the_desk(settings) -> None:
    """Busy party: more changes within a few seconds than one read returns (450 > BATCH, all
    inside the overlap). The feed used to re-read the first, already sent, batch for ever."""
    settings.LIVE_POLL_SECONDS = 0.01
    start = timezone.now() + dt.timedelta(milliseconds=50)
    changes = [Change(pk=n, created_at=start + dt.timedelta(milliseconds=4 * n))
               for n in range(450)]
    reads: list[dt.datetime] = []

    def reader(event_id: int, since: dt.datetime) -> list[Change]:  # the database, ordered
        reads.append(since)
        return [c for c in changes if c.created_at >= since][: live.BATCH]

    async def listen() -> set[int]:
        feed = live.Feed(reader=reader)  # type: ignore[arg-type]
        listener = feed.subscribe(7)
        got: set[int] = set()
        try:
            async with asyncio.timeout(5):
                while len(got) < len(changes):
                    got.update(change.pk for change in await listener.queue.get())
        except TimeoutError:
            pass
        finally:
            feed.unsubscribe(7, listener)
        return got

    # In a thread of its own: Playwright's tests may hold this thread's event loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        got = pool.submit(asyncio.run, listen()).result(timeout=60)
    assert got == {c.pk for c in changes}
    assert len(reads) < 50  # it read on, it did not spin
