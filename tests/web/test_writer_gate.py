"""SpatiaLite writers queue at a gate (web/spatialite/base.py) instead of polling SQLite's lock.

Each test sets SQLite's own busy timeout to 0 on the waiting connection: without the gate its
write fails at once with "database is locked" while another writer holds the lock; with the
gate it waits its turn and succeeds.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import OperationalError, connection, connections, transaction

from mapping.models import Event
from web import ratelimit
from web.spatialite.base import GATE_SUFFIX, writer_gate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer"),
]

HOLD_S = 0.4


def _no_busy_wait() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 0")


def _hold_a_write_transaction(holding: threading.Event, done: list[float]) -> None:
    try:
        with transaction.atomic():
            Event.objects.filter(pk=-1).update(name="x")  # BEGIN IMMEDIATE took the lock
            holding.set()
            time.sleep(HOLD_S)
        done.append(time.monotonic())
    finally:
        connections.close_all()


@pytest.fixture
def other_writer() -> Iterator[tuple[threading.Thread, list[float]]]:
    """Another thread holding a write transaction for HOLD_S; this connection's own busy
    timeout is 0."""
    holding, done = threading.Event(), []
    holder = threading.Thread(target=_hold_a_write_transaction, args=(holding, done))
    holder.start()
    assert holding.wait(10)
    _no_busy_wait()
    yield holder, done
    holder.join()


def test_a_write_transaction_waits_for_another_threads_turn(other_writer) -> None:  # type: ignore[no-untyped-def]
    holder, done = other_writer
    with transaction.atomic():  # would be "database is locked" at once without the gate
        Event.objects.filter(pk=-2).update(name="y")
        began = time.monotonic()
    holder.join()
    assert began >= done[0] - 0.05  # it began once the other had committed, not before


def test_a_write_in_autocommit_waits_too(other_writer) -> None:  # type: ignore[no-untyped-def]
    verdict = ratelimit.hit("gate-test", limit=5, period_s=60)  # one UPSERT, no transaction
    assert verdict.allowed


def test_writers_of_two_processes_take_turns() -> None:
    """The other process holds SQLite's write lock behind the gate's file lock."""
    name = str(connection.settings_dict["NAME"])
    script = textwrap.dedent(f"""
        import fcntl, os, sqlite3, sys, time
        fd = os.open({name + GATE_SUFFIX!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        db = sqlite3.connect({name!r}, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        print("holding", flush=True)
        time.sleep({HOLD_S})
        db.execute("COMMIT")
        fcntl.flock(fd, fcntl.LOCK_UN)
        print("released", flush=True)
    """)
    other = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None
        assert other.stdout.readline().strip() == "holding"
        _no_busy_wait()
        with transaction.atomic():
            Event.objects.filter(pk=-3).update(name="z")
        assert other.stdout.readline().strip() == "released"
    finally:
        other.wait(10)


def test_the_gate_gives_up_after_the_timeout() -> None:
    gate = writer_gate(str(connection.settings_dict["NAME"]))
    assert gate is not None
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        gate.acquire(5)
        holding.set()
        release.wait(10)
        gate.release()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            gate.acquire(0.1)
    finally:
        release.set()
        holder.join()
    gate.acquire(1)  # free again
    gate.release()


def test_no_gate_for_an_in_memory_database() -> None:
    assert writer_gate(":memory:") is None
    assert writer_gate("file:memdb1?mode=memory&cache=shared") is None
