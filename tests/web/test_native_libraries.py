"""GeoPackage export in a process whose SpatiaLite connection opened first (it used to crash).

The wheels of shapely, pyproj and pyogrio bundle GEOS, PROJ, SQLite and GDAL under the symbol
names of Debian's copies, which ``mod_spatialite`` puts in the global scope. pytest imports
every module before the test database exists, so only a fresh process shows the danger:
connect first, then use the libraries, as a shell session or a background worker would.
Without the start-up guard (``web.native_libraries``, imported by the settings) this child
died (SIGSEGV or SIGABRT "free(): invalid pointer", after GEOS errors such as "WKB output
dimension must be 2 or 3").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from pathlib import Path

import django

django.setup()
from django.db import connection

with connection.cursor() as cursor:  # loads mod_spatialite, RTLD_GLOBAL
    cursor.execute("SELECT AsText(ST_Buffer(MakePoint(5.93, 45.56, 4326), 0.001))")
    cursor.fetchone()

import pyogrio
import pyproj
import shapely
from shapely.geometry import Point

from exports.records import ExportData, ExportMeta, FeatureRecord
from exports.registry import exporter_for

folder = Path(sys.argv[1])
meta = ExportMeta(event_name="x", event_slug="x")
for i in range(3):
    path = folder / f"{i}.gpkg"
    records = [FeatureRecord(str(n), Point(5.93 + n * 1e-4, 45.56), {"amenity": "bench"})
               for n in range(50)]
    exporter_for("gpkg").write(ExportData(meta=meta, features=records), path)
    print(len(pyogrio.read_dataframe(path, layer="features")))
print(shapely.to_wkt(Point(1, 2)))
print(round(pyproj.Transformer.from_crs(4326, 2154, always_xy=True).transform(5.93, 45.56)[0]))
"""


def test_gpkg_after_a_spatialite_connection_does_not_crash(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "web.settings",
           "DATABASE_URL": f"spatialite:///{tmp_path / 'db.sqlite3'}",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True,
                          text=True, check=False, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["50", "50", "50", "POINT", "(1", "2)", "928522"]
