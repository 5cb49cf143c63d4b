"""Test settings: only speed and isolation knobs differ from web.settings."""

from __future__ import annotations

from web.settings import *  # noqa: F403
from web.settings import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"join": "10000/hour", "contribute": "10000/hour"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

STATIC_ROOT = Path(tempfile.mkdtemp(prefix="cartoparty-static-"))

# SpatiaLite: the test database is a file, as in production. An in-memory database shared
# between the live server's threads takes table-level locks ("database table is locked")
# that no busy timeout waits for; a file gets WAL and the busy timeout like the product.
if DATABASES["default"]["ENGINE"].endswith("spatialite"):  # noqa: F405
    _shm = Path("/dev/shm")
    _test_dir = Path(tempfile.mkdtemp(prefix="cartoparty-test-db-",
                                      dir=_shm if _shm.is_dir() else None))
    DATABASES["default"]["TEST"] = {"NAME": str(_test_dir / "test.sqlite3")}  # noqa: F405
