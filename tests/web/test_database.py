"""Database connections as the server opens them: busy timeout, persistence."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, connections

pytestmark = pytest.mark.django_db


def _pragma(name: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's busy timeout")
def test_busy_timeout_survives_loading_spatialite():
    # mod_spatialite resets it to 5000 ms once loaded; the settings ask for 20 s.
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] == 20
    assert _pragma("busy_timeout") == 20_000


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's busy timeout")
def test_busy_timeout_is_set_on_every_new_connection():
    seen: list[object] = []

    def in_a_thread() -> None:  # a new thread opens a new connection
        with connections["default"].cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            seen.append(cursor.fetchone()[0])
        connections.close_all()

    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join()
    assert seen == [20_000]


def test_connections_are_persistent_with_health_checks():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
