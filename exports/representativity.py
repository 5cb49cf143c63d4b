"""The representativity numbers as files: a tidy CSV and a GeoPackage (pure).

The CSV has one number per row — ``section, item, measure, value`` — so a spreadsheet can
filter and pivot it (text cells that could start a formula are neutralised). The GeoPackage
holds layer ``cells`` (the 200 m map cells and whether they are covered), layer ``areas``
(the 1 km areas and their counts) and the attribute table ``indicators`` (the CSV's rows);
each layer's description states the suppression rule. Both are written from the public
variant of the document, suppression applied.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry import shape

from exports.csv import neutralise
from layers.representativity.document import Result

COLUMNS = ["section", "item", "measure", "value"]
# The key naming a row in a list of rows, per list.
ROW_KEYS = ("hour", "weekday", "date", "class", "label", "answer", "code")
SKIPPED = {"cells", "areas", "lorenz"}  # written as map layers, or as their own rows


def _rows(section: str, item: str, value: Any) -> Iterator[list[object]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in SKIPPED:
                continue
            yield from _rows(section, f"{item}.{key}" if item else key, inner)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for row in value:
            name = next((str(row[k]) for k in ROW_KEYS if k in row), "")
            for key, inner in row.items():
                if key in ROW_KEYS:
                    continue
                yield from _rows(section, f"{item}[{name}]", {key: inner})
    elif isinstance(value, list):  # e.g. the blank spots: one row each
        for index, inner in enumerate(value):
            yield [section, f"{item}[{index}]", "", inner]
    else:
        head, _, measure = item.rpartition(".")
        yield [section, head, measure, "" if value is None else value]


def indicator_rows(document: dict[str, Any]) -> list[list[object]]:
    """The document as ``[section, item, measure, value]`` rows (map features left out)."""
    rows: list[list[object]] = []
    for section, body in document.items():
        rows.extend(_rows(section, "", body))
        if section == "concentration":
            curves = [("", body)] + [(f"per_channel[{c}]", v) for c, v in
                                     body.get("per_channel", {}).items()]
            for item, part in curves:
                for share, value in part.get("lorenz") or []:
                    rows.append([section, f"{item}.lorenz[{share}]".lstrip("."),
                                 "contributions_share", value])
    return rows


def write_csv(result: Result, path: Path) -> int:
    """Write the tidy CSV (UTF-8 with BOM, for spreadsheets); the number of rows."""
    rows = indicator_rows(result.document)
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
    return len(rows)


def _layer(collection: dict[str, Any]) -> gpd.GeoDataFrame:
    features = collection["features"]
    frame = pd.DataFrame([f["properties"] for f in features])
    return gpd.GeoDataFrame(frame, geometry=[shape(f["geometry"]) for f in features],
                            crs="EPSG:4326")


def write_gpkg(result: Result, path: Path, *, event_name: str) -> int:
    """Write layers ``cells``, ``areas`` and table ``indicators``; the number of features."""
    path.unlink(missing_ok=True)
    document = result.document
    rule = document["suppression"]["rule"]
    options = {"DESCRIPTION": f"{event_name}. {rule}"}
    written = 0
    for name in ("cells", "areas"):
        layer = _layer(document["coverage"][name])
        if not len(layer):
            continue
        pyogrio.write_dataframe(layer, path, layer=name, driver="GPKG", layer_options=options,
                                dataset_options=None if path.exists() else {"VERSION": "1.2"})
        written += len(layer)
    table = pd.DataFrame(indicator_rows(document), columns=COLUMNS).astype({"value": str})
    pyogrio.write_dataframe(table, path, layer="indicators", driver="GPKG",
                            layer_options=options,
                            dataset_options=None if path.exists() else {"VERSION": "1.2"})
    return written


COVERAGE_COLUMNS = ["level", "code", "area", "inhabitants", "imputed", "living_standard",
                    "status", "contributions", "contributors", "per_1000_inhabitants"]
AREA_CODE = re.compile(r"^CRS(?P<crs>\d+)RES200mN(?P<n>\d+)E(?P<e>\d+)$")


def _area_of(code: str, area_crs: str) -> str:
    """The 1 km area holding a 200 m INSPIRE cell (same CRS), or "" when codes do not say."""
    found = AREA_CODE.match(code)
    if found is None or f"EPSG:{found['crs']}" != area_crs:
        return ""
    n, e = (int(found[x]) // 1000 * 1000 for x in ("n", "e"))
    return f"CRS{found['crs']}RES1000mN{n}E{e}"


def coverage_rows(document: dict[str, Any]) -> list[list[object]]:
    """One row per map cell (``cell_200m``) then per 1 km area (``area_1km``).

    From the public variant: cells carry residents, imputation, living-standard third and
    ``covered``/``blank`` but no count; areas carry counts only where at least k people
    contributed (``suppressed`` ones have empty counts).
    """
    coverage = document["coverage"]
    rows: list[list[object]] = []
    for feature in coverage["cells"]["features"]:
        p = feature["properties"]
        rows.append(["cell_200m", p["code"], _area_of(p["code"], coverage["area_crs"]),
                     p["inhabitants"], int(bool(p["imputed"])), p["living_standard"] or "",
                     p["status"], p["contributions"], p["contributors"], None])
    for feature in coverage["areas"]["features"]:
        p = feature["properties"]
        rows.append(["area_1km", p["code"], p["code"], p["inhabitants"], "", "", p["status"],
                     p["contributions"], p["contributors"], p["per_1000_inhabitants"]])
    return [["" if v is None else int(v) if isinstance(v, float) and v.is_integer()
             and i in (7, 8) else v for i, v in enumerate(row)] for row in rows]


def write_coverage_csv(result: Result, path: Path) -> int:
    """The coverage per map cell and 1 km area as CSV (UTF-8 with BOM), the suppression rule
    in a last row of level ``suppression_rule`` (its text in ``code``); the number of rows."""
    rows = coverage_rows(result.document)
    rule = result.document["suppression"]["rule"]
    rows.append(["suppression_rule", rule] + [""] * (len(COVERAGE_COLUMNS) - 2))
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COVERAGE_COLUMNS)
        for row in rows:
            writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
    return len(rows)


def representativity_files(result: Result, path: Path, *, event_name: str) -> int:
    """Write ``path`` as CSV or GeoPackage after its extension (``….coverage.csv``: the
    coverage per cell)."""
    if path.name.endswith(".coverage.csv") or path.name.endswith("-coverage.csv"):
        return write_coverage_csv(result, path)
    if path.suffix == ".csv":
        return write_csv(result, path)
    if path.suffix == ".gpkg":
        return write_gpkg(result, path, event_name=event_name)
    msg = f"unknown representativity file type {path.suffix!r}: .csv or .gpkg"
    raise ValueError(msg)


__all__ = ["coverage_rows", "indicator_rows", "representativity_files", "write_coverage_csv",
           "write_csv", "write_gpkg"]
