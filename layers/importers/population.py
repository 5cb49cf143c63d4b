"""Population grids: INSEE Filosofi gridded data and a generic grid, cut to a zone (pure).

**Filosofi** (INSEE "données carroyées", 200 m cells): a CSV or GeoPackage with one row per
inhabited cell. The column names changed between releases — 2015 ``IdINSPIRE``, ``I_est_cr``,
``Ind``, ``Depcom``; 2017 ``Idcar_200m``, ``I_est_200``, ``Ind``, ``lcog_geo``; 2019 and 2021 the
same in lower case (``idcar_200m``, ``i_est_200``, ``ind``…) — so columns are matched without
regard to case. The cell's square is **rebuilt from its INSPIRE code**
(``CRS3035RES200mN2467200E3486400``: lower-left corner N, E in metres of EPSG:3035, side
200 m), never taken from a geometry column (the files' squares are sometimes clipped to a
commune or an IRIS). ``I_est_cr``/``I_est_200`` = 1 flags an *imputed* cell: it has fewer than
11 households and INSEE spread the values of a larger group over it.

**Generic grid**: a CSV with a population column (``population``, ``pop``, ``inhabitants``
or ``ind``, or the one named) and either an INSPIRE code column (``cell``, ``code``) or a
``wkt`` polygon in ``crs`` (EPSG:4326 unless told); or a GeoPackage whose first feature table
has polygons and a population column. An optional ``imputed`` column (0/1) is read too.

Only cells that overlap the zone are kept, each with ``zone_share``, the fraction of its area
inside the zone (computed in an equal-area or metric CRS). Parsing streams rows and is
bounded: file size, rows, cells kept, and errors listed.
"""

from __future__ import annotations

import csv
import math
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pyproj
import shapely
from shapely import prepared
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from layers.importers.records import ImportFormatError, RowError, parse_number
from mapping.crs import metric_crs_for
from mapping.zone_files import GPKG_MAGIC, _gpkg_wkb

MAX_BYTES = 2 * 1024**3  # INSEE's national 200 m CSV is about 0.7 GB
MAX_ROWS = 5_000_000  # metropolitan France has about 2.3 million inhabited 200 m cells
MAX_KEPT = 100_000  # a 500 km² zone holds 12,500 cells of 200 m
MAX_ERRORS = 1000
INSPIRE_CODE = re.compile(r"^CRS(?P<epsg>\d{4,5})RES(?P<size>\d+)mN(?P<n>\d+)E(?P<e>\d+)$")
FILOSOFI_ID = ("idinspire", "idcar_200m")
FILOSOFI_IMPUTED = ("i_est_cr", "i_est_200")
FILOSOFI_COMMUNE = ("depcom", "lcog_geo")
# Identifiers, not quantities: kept out of a cell's numeric attributes.
FILOSOFI_IDS = frozenset({*FILOSOFI_ID, *FILOSOFI_COMMUNE, "id_carr1km", "id_carr_n", "groupe",
                          "id_car2010", "idcar_1km", "idcar_nat"})
GENERIC_POPULATION = ("population", "pop", "inhabitants", "ind")
GENERIC_CODE = ("cell", "code", "idinspire", "idcar_200m")
WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class CellRecord:
    """One populated cell kept: its code, WGS84 polygon, people and what else the file gives.

    ``population`` and ``households`` are INSEE estimates (fractions happen);
    ``attributes`` holds every other numeric column under its lower-case name (Filosofi:
    ``ind_0_3`` … ``ind_80p``, ``men_pauv``, ``ind_snv`` in €/year summed over individuals…)
    and ``commune`` when known; ``zone_share`` is the share of the cell's area in the zone.
    """

    code: str
    polygon: Polygon
    population: float
    imputed: bool
    zone_share: float
    households: float | None = None
    attributes: dict[str, float | str] = field(default_factory=dict)


@dataclass
class ParsedGrid:
    """A grid file cut to the zone: cells kept, rows read, refusals and notes."""

    format: str  # "filosofi" | "generic"
    vintage: str  # "Filosofi 2015", "Filosofi 2017", "Filosofi 2019 or later", "generic"
    cell_crs: str
    rows: int = 0
    cells: list[CellRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    errors_not_listed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def imputed(self) -> int:
        """How many kept cells are imputed."""
        return sum(cell.imputed for cell in self.cells)

    def refuse(self, error: RowError) -> None:
        """Record a refused row, listing at most :data:`MAX_ERRORS`."""
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.errors_not_listed += 1


def reproject(geometry: BaseGeometry, transformer: pyproj.Transformer) -> BaseGeometry:
    """``geometry`` through a lon/lat-ordered ``transformer``."""
    return shapely.transform(geometry, transformer.transform, interleaved=False)


class _Zone:
    """The zone in one CRS: a prepared geometry, its bounds and the WGS84 back-transform."""

    def __init__(self, zone_wgs84: BaseGeometry, crs: str) -> None:
        self.forward = pyproj.Transformer.from_crs(WGS84, crs, always_xy=True)
        self.back = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)
        self.geometry = reproject(zone_wgs84, self.forward)
        self.bounds = self.geometry.bounds
        self.prepared = prepared.prep(self.geometry)

    def share(self, cell: BaseGeometry) -> float:
        """Fraction of ``cell``'s area inside the zone; 0 when they only touch or are apart."""
        minx, miny, maxx, maxy = cell.bounds
        if maxx <= self.bounds[0] or minx >= self.bounds[2] or maxy <= self.bounds[1] \
                or miny >= self.bounds[3] or not self.prepared.intersects(cell):
            return 0.0
        if self.prepared.contains(cell):
            return 1.0
        return float(cell.intersection(self.geometry).area / cell.area)


def inspire_square(code: str) -> tuple[str, Polygon]:
    """The CRS and the square (in that CRS, metres) of an INSPIRE grid cell code.

    >>> crs, square = inspire_square("CRS3035RES200mN2467200E3486400")
    >>> crs, square.bounds
    ('EPSG:3035', (3486400.0, 2467200.0, 3486600.0, 2467400.0))
    """
    found = INSPIRE_CODE.match(code.strip())
    if found is None:
        msg = f"{code[:60]!r} is not an INSPIRE cell code such as CRS3035RES200mN2467200E3486400"
        raise ValueError(msg)
    size, north, east = (int(found[name]) for name in ("size", "n", "e"))
    if not 1 <= size <= 100_000:
        msg = f"cell size {size} m out of range"
        raise ValueError(msg)
    return f"EPSG:{found['epsg']}", box(east, north, east + size, north + size)


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    """The data rows of a CSV as ``{lower-case column: text}``; delimiter sniffed (, ; tab |)."""
    with path.open("rb") as raw:
        head = raw.read(1 << 16)
    try:
        text = head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A cut in the middle of a UTF-8 character at the end of the sample is not an error.
        encoding = "utf-8-sig" if exc.start >= len(head) - 3 else "cp1252"
        text = head.decode(encoding, errors="ignore")
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        msg = f"{path.name}: empty file"
        raise ImportFormatError(msg)
    delimiter = max(",;\t|", key=first.count)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = [name.strip().lower() for name in next(reader)]
        for line in reader:
            row: dict[str, str | bool] = dict(zip(header, line, strict=False))
            if len(line) < len(header):
                row["__short__"] = True
            yield row  # type: ignore[misc]


def _gpkg_rows(path: Path) -> tuple[Iterator[dict[str, object]], str | None]:
    """The rows of a GeoPackage's first feature table, and the EPSG code of its geometries.

    Read with sqlite3 (a GeoPackage is SQLite) rather than a bundled GDAL, which crashes next
    to Django's SpatiaLite connection (``mapping.zone_files``).
    """
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        table, column, srs_id = db.execute(
            "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns "
            "ORDER BY table_name LIMIT 1").fetchone()
        srs = db.execute("SELECT organization, organization_coordsys_id FROM "
                         "gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)).fetchone()
    except (sqlite3.DatabaseError, TypeError) as exc:
        msg = f"{path.name}: not a readable GeoPackage ({exc})"
        raise ImportFormatError(msg) from None
    crs = f"EPSG:{int(srs[1])}" if srs and str(srs[0]).upper() == "EPSG" else None
    quoted = table.replace('"', '""')

    def rows() -> Iterator[dict[str, object]]:
        with closing(db):
            cursor = db.execute(f'SELECT * FROM "{quoted}"')
            names = [d[0].lower() for d in cursor.description]
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                blob = row.pop(column.lower(), None)
                row["__wkb__"] = _gpkg_wkb(blob) if blob else None
                yield row

    return rows(), crs


def _pick(columns: set[str], names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in columns), None)


def _flag(raw: object) -> bool:
    return str(raw).strip() in {"1", "1.0", "true", "True"}


class _Reader:
    """Turns rows into kept cells; one instance per file."""

    def __init__(self, path: Path, zone_wgs84: BaseGeometry, parsed: ParsedGrid,
                 wkt_crs: str) -> None:
        self.path, self.zone_wgs84, self.parsed, self.wkt_crs = path, zone_wgs84, parsed, wkt_crs
        self.zones: dict[str, _Zone] = {}
        self.seen: set[str] = set()

    def zone(self, crs: str) -> _Zone:
        if crs not in self.zones:
            self.zones[crs] = _Zone(self.zone_wgs84, crs)
        return self.zones[crs]

    def geometry(self, row: dict[str, object], code_column: str | None) -> tuple[str, BaseGeometry]:
        """The cell's CRS and geometry in it: from its INSPIRE code, WKT or GeoPackage WKB."""
        if code_column and row.get(code_column):
            return inspire_square(str(row[code_column]))
        if row.get("__wkb__"):
            return self.wkt_crs, shapely.from_wkb(row["__wkb__"])
        if row.get("wkt"):
            return self.wkt_crs, shapely.from_wkt(str(row["wkt"]))
        msg = "no cell code and no geometry"
        raise ValueError(msg)

    def keep(self, number: int, code: str, crs: str, cell: BaseGeometry, population: float,
             imputed: bool, households: float | None, attributes: dict[str, float | str]) -> None:
        if code in self.seen:
            self.parsed.refuse(RowError(self.path.name, number, f"cell {code} appears twice"))
            return
        self.seen.add(code)
        if cell.geom_type not in {"Polygon", "MultiPolygon"} or cell.is_empty or cell.area <= 0:
            self.parsed.refuse(RowError(self.path.name, number,
                                        f"cell {code}: not a polygon ({cell.geom_type})"))
            return
        # Areas: the code's CRS (EPSG:3035 is equal-area); a generic polygon in the zone's
        # metric CRS, so that a share is a share of square metres, not of square degrees.
        if crs == WGS84:
            centre = cell.centroid
            crs = metric_crs_for(centre.x, centre.y)
            cell = reproject(cell, self.zone(crs).forward)
        zone = self.zone(crs)
        share = zone.share(cell)
        if share <= 0:
            return
        if len(self.parsed.cells) >= MAX_KEPT:
            msg = f"{self.path.name}: more than {MAX_KEPT} cells in the zone; is the zone right?"
            raise ImportFormatError(msg)
        polygon = reproject(cell, zone.back)
        if polygon.geom_type == "MultiPolygon":
            polygon = max(polygon.geoms, key=lambda part: part.area)
        self.parsed.cells.append(CellRecord(
            code=code, polygon=shapely.set_precision(polygon, 1e-7), population=population,
            imputed=imputed, zone_share=round(share, 6), households=households,
            attributes=attributes))


def _number(row: dict[str, object], column: str) -> float:
    try:
        value = parse_number(row.get(column))
    except ValueError:
        msg = f"{column}: {str(row.get(column))[:40]!r} is not a number"
        raise ValueError(msg) from None
    if value < 0:
        msg = f"{column} is negative ({value:g})"
        raise ValueError(msg)
    return value


def _attributes(row: dict[str, object], skip: set[str]) -> dict[str, float | str]:
    found: dict[str, float | str] = {}
    for name, raw in row.items():
        if name in skip or name.startswith("__") or raw in (None, ""):
            continue
        try:
            found[name] = parse_number(raw)
        except ValueError:
            continue
    return found


def parse_population(
    path: Path, *, zone_wgs84: BaseGeometry, crs: str = WGS84,
    population_column: str | None = None,
) -> ParsedGrid:
    """Read a Filosofi or generic population grid file, keeping the cells in ``zone_wgs84``.

    Parameters
    ----------
    path : Path
        A CSV (any of ``, ; tab |``, UTF-8 or cp1252) or a GeoPackage.
    zone_wgs84 : shapely geometry
        The event's zone, WGS84 lon/lat.
    crs : str
        CRS of a generic grid's ``wkt`` column (a GeoPackage says its own).
    population_column : str, optional
        The population column of a generic grid, when it has another name.

    Returns
    -------
    ParsedGrid
        Kept cells (WGS84 polygons), rows read, row-level errors.
        ImportFormatError when the file as a whole cannot be read.
    """
    if path.stat().st_size > MAX_BYTES:
        msg = f"{path.name}: larger than {MAX_BYTES // 1024**3} GB; cut it to the region first"
        raise ImportFormatError(msg)
    with path.open("rb") as handle:
        is_gpkg = handle.read(len(GPKG_MAGIC)) == GPKG_MAGIC
    rows: Iterator[dict[str, object]]
    if is_gpkg:
        rows, gpkg_crs = _gpkg_rows(path)
        crs = gpkg_crs or crs
    else:
        rows = _csv_rows(path)  # type: ignore[assignment]
    try:
        first = next(rows)
    except StopIteration:
        msg = f"{path.name}: no data row"
        raise ImportFormatError(msg) from None
    except csv.Error as exc:
        msg = f"{path.name}: not a CSV ({exc})"
        raise ImportFormatError(msg) from None
    columns = set(first)
    id_column, imputed_column = _pick(columns, FILOSOFI_ID), _pick(columns, FILOSOFI_IMPUTED)
    code_column: str | None
    imputed: str | None
    if id_column and "ind" in columns and not population_column:
        vintage = ("Filosofi 2015" if id_column == "idinspire" else "Filosofi 2017"
                   if "Idcar_200m" in _original_header(path, is_gpkg) else "Filosofi 2019 or later")
        parsed = ParsedGrid(format="filosofi", vintage=vintage, cell_crs="")
        code_column, population, imputed = id_column, "ind", imputed_column
    else:
        chosen = (population_column or "").lower() or _pick(columns, GENERIC_POPULATION)
        if not chosen or chosen not in columns:
            msg = (f"{path.name}: no population column; expected one of "
                   f"{', '.join(GENERIC_POPULATION)} (or name it), or INSEE Filosofi columns")
            raise ImportFormatError(msg)
        population = chosen
        code_column = _pick(columns, GENERIC_CODE)
        if not code_column and "wkt" not in columns and "__wkb__" not in columns:
            msg = f"{path.name}: no cell code column ({', '.join(GENERIC_CODE)}) and no wkt column"
            raise ImportFormatError(msg)
        parsed = ParsedGrid(format="generic", vintage="generic", cell_crs="")
        imputed = "imputed" if "imputed" in columns else None
    reader = _Reader(path, zone_wgs84, parsed, crs)
    skip = {code_column or "", population, imputed or "", "wkt", *FILOSOFI_IDS}
    commune = _pick(columns, FILOSOFI_COMMUNE)
    for number, row in enumerate(_chain(first, rows), start=1):
        if number > MAX_ROWS:
            msg = f"{path.name}: more than {MAX_ROWS} rows; cut it to the region first"
            raise ImportFormatError(msg)
        parsed.rows += 1
        try:
            _row(reader, number, row, code_column, population, imputed, skip, commune)
        except ImportFormatError:
            raise
        except (ValueError, shapely.errors.GEOSException) as exc:
            parsed.refuse(RowError(path.name, number, str(exc)[:300]))
    crs_names = sorted(reader.zones)
    parsed.cell_crs = ", ".join(crs_names) if crs_names else crs
    return parsed


def _chain(
    first: dict[str, object], rest: Iterator[dict[str, object]]
) -> Iterator[dict[str, object]]:
    yield first
    try:
        yield from rest
    except csv.Error as exc:  # e.g. a field larger than csv's limit: the rest is unreadable
        msg = f"unreadable from here on: {exc}"
        raise ImportFormatError(msg) from None


def _original_header(path: Path, is_gpkg: bool) -> str:
    """The header line as written (for the 2017 capitalisation), or empty for a GeoPackage."""
    if is_gpkg:
        return ""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        return handle.readline()


def _row(reader: _Reader, number: int, row: dict[str, object], code_column: str | None,
         population: str, imputed: str | None, skip: set[str], commune: str | None) -> None:
    if row.get("__short__"):
        msg = "fewer values than columns"
        raise ValueError(msg)
    if any("\x00" in str(value) for value in row.values() if isinstance(value, str)):
        msg = "NUL byte in the row"
        raise ValueError(msg)
    crs, cell = reader.geometry(row, code_column)
    code = str(row[code_column]).strip() if code_column and row.get(code_column) else (
        str(row.get("id") or row.get("fid") or number))
    people = _number(row, population)
    households = _number(row, "men") if row.get("men") not in (None, "") else None
    attributes = _attributes(row, skip | {"men", "id", "fid"})
    if commune and row.get(commune):
        attributes["commune"] = str(row[commune]).strip()[:12]
    if not math.isfinite(people):
        msg = "population is not a finite number"
        raise ValueError(msg)
    reader.keep(number, code[:64], crs, cell, people, _flag(row.get(imputed)) if imputed else False,
                households, attributes)


__all__ = ["CellRecord", "ImportFormatError", "ParsedGrid", "RowError", "inspire_square",
           "parse_population", "reproject"]
