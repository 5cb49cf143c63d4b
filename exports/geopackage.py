"""GeoPackage for GIS officers: layers ``features``, ``reports``, ``measurements`` (pure).

Written with pyogrio in chunks (append), so memory stays bounded by :data:`CHUNK`. Layers are
EPSG:4326. ``features`` has one column per known tag key plus every tag as JSON in ``tags``;
``reports`` never holds authors; ``measurements`` is the layers app's summary, one row per
sensor serving the event (``layers.selectors.sensors.measurement_summary``: a point or a track
line, readings, first start and last end, LAeq of the whole record and of its located part,
L10/L50/L90 to 0.01 dB, why the overlay leaves it out), written when sensors serve the event.
Licence and attribution are in each layer's description (``gpkg_contents.description``) and
in the dataset metadata. A ``layer_styles`` table holds each layer's QGIS style
(:mod:`exports.qgis_styles`), so the layers open styled in QGIS.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd
import pyogrio

from exports.qgis_styles import style_rows
from exports.records import ExportData, FeatureRecord, ReportRecord

CHUNK = 20_000
CRS = "EPSG:4326"
DATASET_OPTIONS = {"VERSION": "1.2"}
T = TypeVar("T")


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _features_frame(batch: list[FeatureRecord], tag_columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    columns: dict[str, Any] = {
        "id": [r.id for r in batch],
        "status": [r.status for r in batch],
        "preset": [r.preset for r in batch],
        "osm_type": [r.osm_type for r in batch],
        "osm_id": pd.array([r.osm_id for r in batch], dtype="Int64"),
        "created_at": pd.to_datetime([r.created_at for r in batch], utc=True),
        "tags": [json.dumps(dict(r.tags), ensure_ascii=False) for r in batch],
    }
    for key in tag_columns:
        columns[key] = pd.array([r.tags.get(key) for r in batch], dtype="string")
    return gpd.GeoDataFrame(columns, geometry=[r.geometry for r in batch], crs=CRS)


def _reports_frame(batch: list[ReportRecord]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "id": [r.id for r in batch],
        "status": [r.status for r in batch],
        "category": [r.category for r in batch],
        "intensity": pd.array([r.intensity for r in batch], dtype="Int32"),
        "sources": [",".join(r.sources) for r in batch],
        "observed_at": pd.to_datetime([r.observed_at for r in batch], utc=True),
        "observed_until": pd.to_datetime([r.observed_until for r in batch], utc=True),
        "comment": [r.comment for r in batch],
    }, geometry=[r.geometry for r in batch], crs=CRS)


def _layer_options(description: str) -> dict[str, str]:
    # Milliseconds always: GDAL < 3.9 (Debian 12's QGIS) warns on "…:35Z" as non-conformant.
    return {"DESCRIPTION": description, "DATETIME_PRECISION": "MILLISECOND"}


def _write(frame: gpd.GeoDataFrame, path: Path, layer: str, *, new_layer: bool,
           description: str) -> None:
    pyogrio.write_dataframe(
        frame, path, layer=layer, driver="GPKG", geometry_type="Unknown",
        append=not new_layer, layer_options=_layer_options(description) if new_layer else None,
        # GeoPackage 1.2: pyogrio's GDAL writes 1.4, which GDAL 3.6 reads with a warning.
        dataset_options=None if path.exists() else DATASET_OPTIONS,
    )


def _write_layer(frames: Iterable[gpd.GeoDataFrame], path: Path, layer: str,
                 empty: gpd.GeoDataFrame, description: str) -> int:
    """Append ``frames`` as ``layer``; an empty layer still tells QGIS the schema."""
    count = 0
    for frame in frames:
        _write(frame, path, layer, new_layer=count == 0, description=description)
        count += len(frame)
    if count == 0:
        _write(empty, path, layer, new_layer=True, description=description)
    return count


def write_gpkg(data: ExportData, path: Path) -> int:
    """Write the three layers to ``path`` (replaced); returns the number of features written."""
    path.unlink(missing_ok=True)
    notice = f"{data.meta.attribution} Licence: {data.meta.licence}."
    written = _write_layer(
        (_features_frame(b, data.tag_columns) for b in _batches(data.features, CHUNK)),
        path, "features", _features_frame([], data.tag_columns), notice)
    _write_layer((_reports_frame(b) for b in _batches(data.reports, CHUNK)), path, "reports",
                 _reports_frame([]), notice)
    measurements = data.measurements
    if measurements is not None and len(measurements):
        frame = measurements if isinstance(measurements, gpd.GeoDataFrame) else (
            gpd.GeoDataFrame(pd.DataFrame(list(measurements)), geometry="geometry", crs=CRS))
        _write(frame.to_crs(CRS), path, "measurements", new_layer=True, description=notice)
    write_styles(path)
    return written


def write_styles(path: Path) -> None:
    """Add QGIS's ``layer_styles`` table: the default style of each layer of ``path``."""
    layers = {name: pyogrio.read_info(path, layer=name)["geometry_name"]
              for name, geometry_type in pyogrio.list_layers(path) if geometry_type}
    rows = style_rows(layers)
    if not rows:
        return
    frame = pd.DataFrame(rows)
    frame["update_time"] = pd.Timestamp.now(tz="UTC").floor("ms")
    # QGIS's own layout of the table: an ``id`` key, no geometry ("attributes" contents).
    pyogrio.write_dataframe(frame, path, layer="layer_styles", driver="GPKG",
                            layer_options={"FID": "id", "DATETIME_PRECISION": "MILLISECOND"})
