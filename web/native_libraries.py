"""Start-up guard: the geospatial wheels load their own native libraries before any database.

The wheels of shapely, pyproj and pyogrio bundle GEOS, PROJ, SQLite and GDAL under the *same
symbol names* as Debian's libraries. SQLite loads ``mod_spatialite`` with ``RTLD_GLOBAL``,
which puts Debian's libgeos_c, libproj and libsqlite3 in the process-wide symbol scope; a
wheel loaded *after* that binds its calls to Debian's copies instead of its own, and the
process dies ("double free or corruption", segfault) or GEOS fails ("WKB output dimension
must be 2 or 3"). Loaded first (``RTLD_NOW``), each wheel keeps its own copies.

``web/settings.py`` imports this module before anything else is set up: every Django process
(``cartoparty``, ``manage.py``, WSGI, ASGI, the tests) reads the settings before it can open
a connection.
``tests/web/test_native_libraries.py`` runs the dangerous order in a fresh process.
"""

from __future__ import annotations

import pyogrio  # noqa: F401
import pyproj  # noqa: F401
import shapely  # noqa: F401
