"""Live updates without a thread per open page: one database poller per process and event.

An open live page (the desk's live view; later every citizen map) is a server-sent-events
response whose body is an async generator: under the ASGI server (``cartoparty serve``) it
costs a socket and a coroutine, not a worker or a thread. All the listeners of one event in
one process share one poller, which reads the event's new status changes from the
**database** every ``LIVE_POLL_SECONDS`` (each new contribution writes a "received" change).
The database stays the only source of truth, so a change written through any process reaches
the listeners of every process within one poll (no channel layer, no sticky sessions).

Transactions may commit out of timestamp order: every poll re-reads ``OVERLAP`` before its
cursor and drops the changes it already sent by their id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import weakref
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from mapping import selectors
from mapping.models import StatusChange

OVERLAP = dt.timedelta(seconds=5)
logger = logging.getLogger(__name__)
T = TypeVar("T")
# The most changes read in one query; a busier poll reads again at once.
BATCH = 200


def read_changes(event_id: int, since: dt.datetime) -> list[StatusChange]:
    """The event's status changes from ``since`` on (runs in a pool thread, not the loop)."""
    close_old_connections()  # the pool thread's connection follows CONN_MAX_AGE / health checks
    from mapping.models import Event

    return selectors.changes_since(event=Event(pk=event_id), since=since)


@dataclass(eq=False)  # listeners are compared by identity (they sit in sets)
class Listener(Generic[T]):
    """One open stream: a queue of news, filled by the event's poller."""

    queue: asyncio.Queue[T] = field(default_factory=lambda: asyncio.Queue(64))
    overflowed: bool = False

    def offer(self, news: T) -> None:
        try:
            self.queue.put_nowait(news)
        except asyncio.QueueFull:  # a reader too slow to keep up: it reconnects and catches up
            self.overflowed = True


class _Hub(Generic[T]):
    """Listeners per event, and at most one poller per event that has listeners."""

    def __init__(self) -> None:
        self.listeners: dict[int, set[Listener[T]]] = defaultdict(set)
        self.pollers: dict[int, asyncio.Task[None]] = {}

    def count(self) -> int:
        """Open streams in this process."""
        return sum(len(group) for group in self.listeners.values())

    def subscribe(self, event_id: int) -> Listener[T]:
        listener: Listener[T] = Listener()
        self.listeners[event_id].add(listener)
        if event_id not in self.pollers or self.pollers[event_id].done():
            self.pollers[event_id] = asyncio.get_running_loop().create_task(self._poll(event_id))
        return listener

    def unsubscribe(self, event_id: int, listener: Listener[T]) -> None:
        self.listeners[event_id].discard(listener)
        if not self.listeners[event_id]:
            del self.listeners[event_id]
            poller = self.pollers.pop(event_id, None)
            if poller is not None:
                poller.cancel()

    def broadcast(self, event_id: int, news: T) -> None:
        for listener in list(self.listeners.get(event_id, ())):
            listener.offer(news)

    async def _poll(self, event_id: int) -> None:
        raise NotImplementedError


class Feed(_Hub[list[StatusChange]]):
    """Status changes (new contributions, decisions) for the desk's live view."""

    def __init__(self, *, reader: Callable[[int, dt.datetime], list[StatusChange]]
                 = read_changes) -> None:
        super().__init__()
        self.reader = reader

    async def _poll(self, event_id: int) -> None:
        cursor = timezone.now()
        sent: deque[tuple[int, dt.datetime]] = deque()
        sent_ids: set[int] = set()
        read = sync_to_async(self.reader, thread_sensitive=False)
        since = cursor - OVERLAP
        while self.listeners.get(event_id):
            changes = await read(event_id, since)
            fresh = [c for c in changes if c.pk not in sent_ids]
            for change in fresh:
                sent.append((change.pk, change.created_at))
                sent_ids.add(change.pk)
                cursor = max(cursor, change.created_at)
            while sent and sent[0][1] < cursor - 2 * OVERLAP:
                sent_ids.discard(sent.popleft()[0])
            if fresh:
                self.broadcast(event_id, fresh)
            if len(changes) < BATCH:
                since = cursor - OVERLAP
                await asyncio.sleep(settings.LIVE_POLL_SECONDS)
            else:  # a full batch: read on from its last change, not from the overlap again
                # (more than a batch within the overlap re-read the same sent batch forever:
                # the desk's live view froze at a busy party, its poller spinning)
                since = changes[-1].created_at


class MapFeed(_Hub[str]):
    """What changed on an event's public map, rendered once per poll for every listener.

    The poller reads the event's version (one indexed query) every ``LIVE_POLL_SECONDS``;
    only when it moved does it read the changes, render them once (the public view: the same
    text for everyone) and hand that text to every open map of the event in this process.
    Each change is broadcast once (:func:`mapping.selectors.pages.unsent`), not once per
    re-read of the overlap.
    """

    def __init__(self, *, version: Callable[[int], str],
                 changes: Callable[..., tuple[str | None, dt.datetime]]) -> None:
        super().__init__()
        self.version = version
        self.changes = changes

    async def _poll(self, event_id: int) -> None:
        read_version = sync_to_async(self.version, thread_sensitive=False)
        read_changes = sync_to_async(self.changes, thread_sensitive=False)
        loop = asyncio.get_running_loop()
        cursor = timezone.now()
        seen: str | None = None  # the first poll reads: a change may land before the version
        moved = loop.time()
        sent: dict[Any, dt.datetime] = {}  # each change is broadcast once, not once per overlap
        while self.listeners.get(event_id):
            await asyncio.sleep(settings.LIVE_POLL_SECONDS)
            try:
                now = await read_version(event_id)
                if now != seen:
                    seen, moved = now, loop.time()
                # A transaction stamped before one already seen commits after it without
                # moving the version: changes are read for an overlap after every move
                # (what was sent already is not sent again).
                if loop.time() - moved <= OVERLAP.total_seconds() + settings.LIVE_POLL_SECONDS:
                    text, cursor = await read_changes(event_id, cursor, sent)
                    if text is not None:
                        self.broadcast(event_id, text)
            except Exception:  # a poller that dies leaves every open map without news
                logger.exception("live map poller of event %s failed; retrying", event_id)
                await asyncio.sleep(settings.LIVE_POLL_SECONDS * 5)


_feeds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Feed] = weakref.WeakKeyDictionary()
_map_feeds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, MapFeed] = \
    weakref.WeakKeyDictionary()


def feed() -> Feed:
    """The feed of the running event loop (one per server process; tests start several)."""
    loop = asyncio.get_running_loop()
    if loop not in _feeds:
        _feeds[loop] = Feed()
    return _feeds[loop]


def map_feed(*, version: Callable[[int], str],
             changes: Callable[..., tuple[str | None, dt.datetime]]) -> MapFeed:
    """The public-map feed of the running event loop (created with these readers)."""
    loop = asyncio.get_running_loop()
    if loop not in _map_feeds:
        _map_feeds[loop] = MapFeed(version=version, changes=changes)
    return _map_feeds[loop]


def open_streams() -> int:
    """Live streams open in this process, of both kinds."""
    loop = asyncio.get_running_loop()
    return sum(hub.count() for hub in (_feeds.get(loop), _map_feeds.get(loop)) if hub)


async def map_stream(*, hub: MapFeed, event_id: int, since: dt.datetime | None, seconds: float,
                     keep_alive_s: float = 15.0) -> AsyncIterator[str]:
    """``text/event-stream`` of an event's public map: what changed after ``since`` (when
    given), then every change, for ``seconds``; each event's ``id`` is its cursor."""
    listener = hub.subscribe(event_id)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    try:
        yield "retry: 3000\n\n"
        # Without ``since`` (a map just loaded), the last few seconds — what the poller may
        # have broadcast while this map read its area: each change is broadcast only once.
        text, cursor = await sync_to_async(hub.changes, thread_sensitive=False)(
            event_id, since or timezone.now(), {} if since is None else None)
        # Nothing to catch up: the cursor alone (an event without data still sets the
        # browser's Last-Event-ID), so that a reconnect after a long gap asks from here.
        yield text if text is not None else f"id: {cursor.isoformat()}\n\n"
        while not listener.overflowed and loop.time() < deadline:
            timeout = min(keep_alive_s, max(deadline - loop.time(), 0.0))
            try:
                yield await asyncio.wait_for(listener.queue.get(), timeout)
            except TimeoutError:
                yield ": keep-alive\n\n"
    finally:
        hub.unsubscribe(event_id, listener)


def sse(*, data: dict[str, Any], event: str = "change", cursor: dt.datetime | None = None) -> str:
    """One server-sent event."""
    head = f"id: {cursor.isoformat()}\n" if cursor else ""
    return f"{head}event: {event}\ndata: {json.dumps(data)}\n\n"


async def stream(
    *, event_id: int, since: dt.datetime, seconds: float,
    render: Callable[[list[StatusChange]], list[dict[str, Any]]],
    keep_alive_s: float = 15.0,
) -> AsyncIterator[str]:
    """``text/event-stream`` text: the changes after ``since``, then new ones, for ``seconds``.

    ``render`` turns changes into the payloads this reader may see (it runs in a pool thread:
    it may read the database). The stream catches up from ``since`` once, then listens to the
    shared poller; it ends after ``seconds`` (the browser's ``EventSource`` reconnects and
    sends back its last ``id``).
    """
    hub = feed()
    listener = hub.subscribe(event_id)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    cursor = since
    shown: set[int] = set()
    to_payloads = sync_to_async(render, thread_sensitive=False)
    try:
        yield "retry: 1500\n\n"
        catch_up = await sync_to_async(hub.reader, thread_sensitive=False)(
            event_id, since - OVERLAP)
        batches: list[list[StatusChange]] = [catch_up]
        while True:
            for batch in batches:
                new = [c for c in batch if c.pk not in shown and c.created_at > since - OVERLAP]
                if not new:
                    continue
                shown.update(c.pk for c in new)
                cursor = max([cursor, *(c.created_at for c in new)])
                for payload in await to_payloads(new):
                    yield sse(data=payload, cursor=cursor)
            if listener.overflowed or loop.time() >= deadline:
                return
            timeout = min(keep_alive_s, max(deadline - loop.time(), 0.0))
            try:
                batches = [await asyncio.wait_for(listener.queue.get(), timeout)]
            except TimeoutError:
                batches = []
                yield ": keep-alive\n\n"
    finally:
        hub.unsubscribe(event_id, listener)
