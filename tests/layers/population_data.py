"""The real population grid the product ships (INSEE Filosofi 2015, Talence + Bègles) and zones.

The CSV is the product's copy (``layers/data/population/``, Licence Ouverte, see its
``ATTRIBUTION.md``); the README of ``/work/shared/data/population/`` gives the oracles used
here: 357 cells (Talence 183, Bègles 174), 57 imputed, ``Ind`` = 61,201.5 in total.
"""

from __future__ import annotations

import csv
from pathlib import Path

from shapely.geometry import box, mapping

ROOT = Path(__file__).resolve().parents[2]
FILOSOFI_2015 = ROOT / "layers" / "data" / "population" / "filosofi2015_200m_talence_begles.csv"
CELLS, IMPUTED, INHABITANTS = 357, 57, 61_201.5
# Every cell of the file lies in this box (WGS84): lon −0.6114…−0.5260, lat 44.7837…44.8252.
BOTH_COMMUNES = box(-0.615, 44.78, -0.52, 44.83)
# A 1.6 km × 2.2 km part of Talence: some cells inside, some on its edges, most outside.
TALENCE_PART = box(-0.60, 44.79, -0.58, 44.81)
FIRST_CELL = "CRS3035RES200mN2467200E3486400"  # in Bègles, near 44.78 N, 0.565 W


def zone_geojson(geom=BOTH_COMMUNES) -> dict:  # type: ignore[no-untyped-def]
    """A zone as the GeoJSON Polygon an event takes."""
    return dict(mapping(geom))


def filosofi_rows() -> tuple[list[str], list[list[str]]]:
    """Header and rows of the real 2015 file, as text."""
    with FILOSOFI_2015.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
    """Write a CSV file and return its path."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path
