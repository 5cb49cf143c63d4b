"""GeoDjango's SpatiaLite backend, with writers queued instead of polling for SQLite's lock.

SQLite lets one writer at a time hold its lock; the others wait in its busy handler, which
*sleeps and retries* (1, 2, 5, 10 … up to 100 ms between tries, in no order). Under a
carto-party's writes (4 worker processes × 8 threads, 30–40 posts a second, each with its
rate-limit counter) half of a worker's thread time was spent in that sleep (py-spy on the
running server, ``sqlite3InvokeBusyHandler → usleep``): the lock sat free while its
waiters slept, and the threads asleep were threads that did not serve the map.

Here a write transaction (``BEGIN IMMEDIATE``) first passes a :class:`WriterGate`: a lock
per process (waiters wake as soon as it is released, in turn) and, across processes, an
``flock`` on a file beside the database (released by the kernel when a process dies, even on
``kill -9``). A write statement outside a transaction (autocommit: a rate counter, a cache
entry) passes the same gate for its statement. SQLite's own lock stays the guard of the
data; the gate only decides who asks for it next.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from typing import Any

from django.contrib.gis.db.backends.spatialite import base
from django.db import OperationalError
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

GATE_SUFFIX = ".writers"


class WriterGate:
    """One writer at a time per database file, across threads and processes."""

    def __init__(self, path: str) -> None:
        self.path = path + GATE_SUFFIX
        self._lock = threading.Lock()
        # An flock belongs to an open file: each process opens its own (shared with a forked
        # child, it would let both in), hence one gate per process (:func:`writer_gate`).
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self, timeout_s: float) -> None:
        """Wait at most ``timeout_s`` for the gate; OperationalError past it."""
        deadline = time.monotonic() + timeout_s
        if not self._lock.acquire(timeout=timeout_s):
            raise OperationalError("database is locked (waited for other writers)")
        try:
            # Only one thread per process asks for the file lock: polling it is cheap.
            delay = 0.0002
            while True:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OperationalError(
                            "database is locked (waited for other writers)") from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.002)
        except BaseException:
            self._lock.release()
            raise

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._lock.release()


_gates: dict[tuple[int, str], WriterGate] = {}  # by process and database file
_gates_lock = threading.Lock()


def writer_gate(name: str) -> WriterGate | None:
    """This process's gate of the database file ``name`` (None for an in-memory database)."""
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    key = (os.getpid(), os.path.abspath(name))
    with _gates_lock:
        if key not in _gates:
            _gates[key] = WriterGate(key[1])
        return _gates[key]


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class GatedCursor(SQLiteCursorWrapper):
    """A cursor whose write statements in autocommit pass their connection's gate."""

    wrapper: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        if self.connection.in_transaction or not query.lstrip()[:7].upper().startswith(_WRITES):
            return super().execute(query, params)
        with self.wrapper.through_gate():
            return super().execute(query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        if self.connection.in_transaction:
            return super().executemany(query, param_list)
        with self.wrapper.through_gate():
            return super().executemany(query, param_list)


class _Passage:
    def __init__(self, wrapper: DatabaseWrapper) -> None:
        self.wrapper = wrapper
        self.entered = False

    def __enter__(self) -> None:
        self.entered = self.wrapper._enter_gate()

    def __exit__(self, *exc: object) -> None:
        if self.entered:
            self.wrapper._leave_gate()


class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    """SpatiaLite, its writes queued at a :class:`WriterGate`."""

    _gate: WriterGate | None = None  # held by this connection's open write

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=GatedCursor)
        cursor.wrapper = self
        return cursor

    def through_gate(self) -> _Passage:
        """A context in which this connection holds its database's gate."""
        return _Passage(self)

    def _enter_gate(self) -> bool:
        """Take the gate unless this connection holds it; whether it took it."""
        gate = writer_gate(str(self.settings_dict["NAME"])) if self._gate is None else None
        if gate is None:
            return False
        gate.acquire(float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5)))
        self._gate = gate
        return True

    def _start_transaction_under_autocommit(self) -> None:
        if self.transaction_mode != "IMMEDIATE":
            super()._start_transaction_under_autocommit()
            return
        entered = self._enter_gate()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            if entered:
                self._leave_gate()
            raise

    def _leave_gate(self) -> None:
        gate, self._gate = self._gate, None
        if gate is not None:
            gate.release()

    def _then_leave(self, end: Any) -> Any:
        """End the transaction (commit, rollback, close), then leave the gate, whatever
        happened."""
        try:
            return end()
        finally:
            self._leave_gate()

    def _commit(self) -> Any:
        return self._then_leave(super()._commit)

    def _rollback(self) -> Any:
        return self._then_leave(super()._rollback)

    def _close(self) -> Any:
        return self._then_leave(super()._close)
