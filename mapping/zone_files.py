"""Reading an event's zone from an uploaded GeoJSON or GeoPackage file (pure).

The zone is one polygon in WGS84. A file may hold several polygons, as GeoJSON Features or
layer rows (e.g. the districts of the carto-party): they are merged; a file in another CRS is
reprojected.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Any

import pyproj
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import transform

MAX_BYTES = 5_000_000
GPKG_MAGIC = b"SQLite format 3\x00"


class ZoneFileError(ValueError):
    """The file does not hold one usable polygon."""


def _from_geojson(data: bytes) -> BaseGeometry:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"The file is neither GeoJSON nor a GeoPackage ({exc.__class__.__name__})."
        raise ZoneFileError(msg) from None
    if not isinstance(doc, dict):
        msg = "The GeoJSON must be an object."
        raise ZoneFileError(msg)
    if doc.get("type") == "FeatureCollection":
        geoms = [f.get("geometry") for f in doc.get("features", []) if isinstance(f, dict)]
    elif doc.get("type") == "Feature":
        geoms = [doc.get("geometry")]
    else:
        geoms = [doc]
    try:
        return shapely.union_all([shape(g) for g in geoms if g])
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        msg = "The GeoJSON geometries could not be read."
        raise ZoneFileError(msg) from None


def _gpkg_wkb(blob: bytes) -> bytes:
    """The WKB inside a GeoPackage geometry blob (header: magic, flags, srs id, envelope)."""
    if blob[:2] != b"GP":
        msg = "Not a GeoPackage geometry."
        raise ZoneFileError(msg)
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((flags >> 1) & 0b111)
    if envelope is None:
        msg = "Unknown GeoPackage envelope."
        raise ZoneFileError(msg)
    return blob[8 + envelope:]


def _from_gpkg(data: bytes) -> BaseGeometry:
    """Read the first geometry table of a GeoPackage with sqlite3 (a GPKG is SQLite).

    Not with pyogrio: its bundled GDAL and SQLite crash the process when Django's SpatiaLite
    connection is open (measured: "double free or corruption" on Debian 12).
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "zone.gpkg"
        path.write_bytes(data)
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                table, column, srs_id = db.execute(
                    "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns "
                    "ORDER BY table_name LIMIT 1").fetchone()
                row = db.execute(
                    "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys "
                    "WHERE srs_id = ?", (srs_id,)).fetchone()
                quoted_table, quoted_column = (name.replace('"', '""') for name in (table, column))
                blobs = [b for (b,) in db.execute(
                    f'SELECT "{quoted_column}" FROM "{quoted_table}"')
                    if b]
        except (sqlite3.DatabaseError, TypeError) as exc:
            msg = f"The GeoPackage could not be read: {exc}"
            raise ZoneFileError(msg) from None
    geom = shapely.union_all([shapely.from_wkb(_gpkg_wkb(b)) for b in blobs])
    if row and str(row[0]).upper() == "EPSG" and int(row[1]) not in (4326, 0, -1):
        to_wgs84 = pyproj.Transformer.from_crs(f"EPSG:{int(row[1])}", "EPSG:4326",
                                               always_xy=True)
        geom = transform(to_wgs84.transform, geom)
    return geom


def zone_from_file(data: bytes) -> dict[str, Any]:
    """The zone of a GeoJSON or GeoPackage file, as a GeoJSON Polygon (WGS84).

    Parameters
    ----------
    data : bytes
        The uploaded file, at most 5 MB.

    Returns
    -------
    dict
        A GeoJSON Polygon; ZoneFileError when the file holds no polygon or several apart.
    """
    if len(data) > MAX_BYTES:
        msg = f"The file is larger than {MAX_BYTES // 1_000_000} MB."
        raise ZoneFileError(msg)
    geom = _from_gpkg(data) if data.startswith(GPKG_MAGIC) else _from_geojson(data)
    if geom.is_empty:
        msg = "The file holds no geometry."
        raise ZoneFileError(msg)
    if geom.geom_type == "MultiPolygon" and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    if geom.geom_type != "Polygon":
        msg = f"The zone must be one polygon; the file gives a {geom.geom_type}."
        raise ZoneFileError(msg)
    zone: dict[str, Any] = json.loads(json.dumps(mapping(shapely.set_precision(geom, 1e-7))))
    return zone
