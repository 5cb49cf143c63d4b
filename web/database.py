"""Database connection set-up that settings alone cannot express.

Loading ``mod_spatialite`` resets SQLite's busy timeout to 5 s (measured on Debian 12's
libsqlite3-mod-spatialite 5.0.1), and GeoDjango loads the extension *after* Django applied
``OPTIONS["timeout"]`` and ``init_command``. A writer that waits longer than 5 s for the lock
then fails with "database is locked" (46 HTTP 500 with 40 participants on runserver). The
timeout is therefore applied again on every new connection, once the extension is loaded.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created


def busy_timeout_ms(connection: BaseDatabaseWrapper) -> int:
    """The busy timeout the settings ask for, in milliseconds (Python's default: 5 s)."""
    return int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)


def restore_busy_timeout(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: set ``PRAGMA busy_timeout`` on SQLite connections."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms(connection)}")


def connect_signals() -> None:
    """Install the receivers (called once from the web app's ``ready``)."""
    connection_created.connect(restore_busy_timeout, dispatch_uid="cartoparty-busy-timeout")
