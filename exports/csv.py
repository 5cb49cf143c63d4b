"""CSV of features: lon/lat of a representative point, WKT, tags, licence (pure).

Spreadsheets run cells starting with ``=``, ``+``, ``-``, ``@`` (and tab or carriage return)
as formulas; such text cells are prefixed with an apostrophe (OWASP "CSV injection").
Numeric columns stay numbers.

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> neutralise("bench")
'bench'
"""

from __future__ import annotations

import csv as _csv
import json
from pathlib import Path

from shapely import to_wkt

from exports.records import ExportData

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BASE_COLUMNS = ["id", "status", "preset", "osm_type", "osm_id", "created_at", "lon", "lat",
                "wkt", "tags", "licence", "attribution"]


def neutralise(text: str) -> str:
    """``text`` made inert for spreadsheets if it could start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(data: ExportData, path: Path) -> int:
    """Write one row per feature to ``path`` (UTF-8 with BOM, for spreadsheets)."""
    count = 0
    columns = BASE_COLUMNS + [f"tag:{key}" for key in data.tag_columns]
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = _csv.writer(stream)
        writer.writerow(columns)
        for record in data.features:
            point = record.geometry.representative_point()
            text = [record.id, record.status, record.preset, record.osm_type]
            row: list[object] = [neutralise(t) for t in text]
            row += [record.osm_id if record.osm_id else "",
                    record.created_at.isoformat() if record.created_at else "",
                    round(point.x, 7), round(point.y, 7),
                    to_wkt(record.geometry, rounding_precision=7, trim=True),
                    neutralise(json.dumps(dict(record.tags), ensure_ascii=False)),
                    data.meta.licence, data.meta.attribution]
            row += [neutralise(record.tags.get(key, "")) for key in data.tag_columns]
            writer.writerow(row)
            count += 1
    return count
