"""The exports app; its ``ready()`` loads the geospatial wheels before any database connection."""

from __future__ import annotations

from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"

    def ready(self) -> None:
        """Load shapely, pyproj and pyogrio now, before Django opens a SpatiaLite connection.

        Their wheels bundle their own GEOS, PROJ, SQLite and GDAL under the *same symbol
        names* as Debian's libraries. SQLite loads ``mod_spatialite`` with ``RTLD_GLOBAL``, which
        puts Debian's libgeos_c, libproj and libsqlite3 in the process-wide symbol scope; a
        wheel loaded *after* that binds its calls to Debian's copies instead of its own, and
        the process dies ("double free or corruption", segfault) or GEOS fails ("WKB output
        dimension must be 2 or 3"). Loaded first (``RTLD_NOW``), each wheel keeps its own
        copies. ``tests/exports/test_native_libraries.py`` runs the dangerous order.
        """
        import pyogrio  # noqa: F401
        import pyproj  # noqa: F401
        import shapely  # noqa: F401
