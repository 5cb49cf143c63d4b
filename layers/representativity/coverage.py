"""Coverage in space: contributions per map cell and task square, blank spots, rates (pure).

The *map cells* are the population grid's cells when one is loaded (INSEE's 200 m squares),
else a 200 m lattice over the zone laid out like INSEE's (EPSG:3035, INSPIRE codes; 1 km
when the zone would need more than :data:`MAX_LATTICE_CELLS`). A contribution counts in the
cell holding its point (a line or polygon: its representative point); one outside every
populated cell counts as ``elsewhere``. A *blank spot* is a populated cell nobody covered.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from layers.importers.population import inspire_square, reproject
from mapping.crs import metric_crs_for

WGS84 = "EPSG:4326"
ELSEWHERE = "elsewhere"
MAX_LATTICE_CELLS = 5000
LAEA = pyproj.CRS.from_epsg(3035)
LIVING_STANDARD_CLASSES = ("lower_third", "middle_third", "upper_third")


@lru_cache(maxsize=32)
def transformer(source: str, target: str) -> pyproj.Transformer:
    """A lon/lat-ordered transformer, built once (building one takes tens of milliseconds)."""
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def lattice_crs(zone: BaseGeometry) -> str:
    """EPSG:3035 (INSEE's and INSPIRE's grid) in its area of use, Europe; else the zone's
    metric CRS."""
    area = LAEA.area_of_use
    west, south, east, north = zone.bounds
    if area is not None and area.west <= west and east <= area.east and area.south <= south \
            and north <= area.north:
        return "EPSG:3035"
    centre = zone.centroid
    return metric_crs_for(centre.x, centre.y)


def lattice(zone: BaseGeometry, *, size_m: float = 200.0) -> gpd.GeoDataFrame:
    """The lattice squares of side ``size_m`` (m) that overlap the zone (WGS84 lon/lat).

    Returns a frame with ``code`` (INSPIRE style, ``CRS3035RES200mN…E…``), ``population``
    NaN (unknown), ``imputed`` False, ``zone_share`` and the square in EPSG:4326.
    """
    crs = lattice_crs(zone)
    forward, back = transformer(WGS84, crs), transformer(crs, WGS84)
    metric = reproject(zone, forward)
    minx, miny, maxx, maxy = metric.bounds
    x0, y0 = math.floor(minx / size_m) * size_m, math.floor(miny / size_m) * size_m
    cols, rows = math.ceil((maxx - x0) / size_m), math.ceil((maxy - y0) / size_m)
    if cols * rows > MAX_LATTICE_CELLS and size_m < 1000:
        return lattice(zone, size_m=1000.0)
    codes, squares, shares = [], [], []
    epsg = crs.split(":")[1]
    for i in range(cols):
        for j in range(rows):
            east, north = x0 + i * size_m, y0 + j * size_m
            square = box(east, north, east + size_m, north + size_m)
            if not square.intersects(metric) or square.touches(metric):
                continue
            codes.append(f"CRS{epsg}RES{size_m:.0f}mN{north:.0f}E{east:.0f}")
            squares.append(reproject(square, back))
            shares.append(square.intersection(metric).area / square.area)
    return gpd.GeoDataFrame({"code": codes, "population": np.nan, "imputed": False,
                             "zone_share": shares}, geometry=squares, crs=WGS84)


def area_codes(points: gpd.GeoSeries, crs: str, *, size_m: float = 1000.0) -> pd.Series:
    """The code of the lattice square of side ``size_m`` (m, in ``crs``) holding each point."""
    if not len(points):
        return pd.Series([], index=points.index, dtype=object)
    metric = points.to_crs(crs)
    east = np.floor(metric.x.to_numpy() / size_m) * size_m
    north = np.floor(metric.y.to_numpy() / size_m) * size_m
    epsg = crs.split(":")[1]
    return pd.Series([f"CRS{epsg}RES{size_m:.0f}mN{n:.0f}E{e:.0f}" for e, n in zip(east, north,
                                                                                 strict=True)],
                     index=points.index, dtype=object)


def squares_of(codes: list[str]) -> gpd.GeoSeries:
    """The WGS84 squares of lattice codes (``CRS3035RES1000mN…E…``)."""
    polygons = []
    for code in codes:
        crs, square = inspire_square(code)
        polygons.append(reproject(square, transformer(crs, WGS84)))
    return gpd.GeoSeries(polygons, crs=WGS84)


def squares_frame(labels: list[str], polygons: list[BaseGeometry]) -> gpd.GeoDataFrame:
    """Task-grid squares (``mapping.grids``) as the frame the document takes (EPSG:4326)."""
    return gpd.GeoDataFrame({"label": labels}, geometry=polygons, crs=WGS84)


def assign(points: gpd.GeoSeries, areas: gpd.GeoDataFrame, key: str) -> pd.Series:
    """The ``key`` of the area holding each point (the first one on a shared edge), or None.

    ``points`` and ``areas`` are in EPSG:4326; the result is indexed like ``points``.
    """
    if not len(points) or not len(areas):
        return pd.Series([None] * len(points), index=points.index, dtype=object)
    left = gpd.GeoDataFrame(geometry=points.reset_index(drop=True), crs=WGS84)
    joined = gpd.sjoin(left, areas[[key, "geometry"]], how="left", predicate="intersects")
    first = joined[~joined.index.duplicated(keep="first")][key]
    values = first.reindex(range(len(points))).to_numpy(dtype=object)
    values = [None if (v is None or (isinstance(v, float) and math.isnan(v))) else v
              for v in values]
    return pd.Series(values, index=points.index, dtype=object)


def living_standard(cells: pd.DataFrame) -> tuple[pd.Series, list[float]]:
    """Each populated cell's third of mean living standard, and the two bounds (€/year).

    The mean standard of living of a Filosofi cell is ``ind_snv / ind`` (winsorised, €/year
    per person); the thirds are cut so that each holds a third of the zone's inhabitants.
    Cells without the figure get None; no bounds when no cell has it.
    """
    mean_eur = pd.Series([_attribute(a, "ind_snv") for a in cells["attributes"]],
                         index=cells.index, dtype=float) / cells["population"].where(
                             cells["population"] > 0)
    known = mean_eur.notna()
    if not known.any():
        return pd.Series([None] * len(cells), index=cells.index, dtype=object), []
    weights = (cells["population"] * cells["zone_share"])[known]
    order = mean_eur[known].sort_values()
    cumulative = weights[order.index].cumsum() / weights.sum()
    bounds = [float(order[cumulative >= q].iloc[0]) for q in (1 / 3, 2 / 3)]
    classes = pd.Series([None] * len(cells), index=cells.index, dtype=object)
    classes[known] = np.select([mean_eur[known] <= bounds[0], mean_eur[known] <= bounds[1]],
                               list(LIVING_STANDARD_CLASSES[:2]), LIVING_STANDARD_CLASSES[2])
    return classes, [round(b) for b in bounds]


def _attribute(attributes: Any, name: str) -> float:
    value = attributes.get(name) if isinstance(attributes, dict) else None
    return float(value) if isinstance(value, int | float) else math.nan


def inhabitants(cells: pd.DataFrame) -> pd.Series:
    """Residents of each cell counted in the zone: population × share of area in the zone."""
    return cells["population"].fillna(0.0) * cells["zone_share"]


def per_1000(contributions: float, residents: float) -> float | None:
    """Contributions per 1,000 inhabitants, None without inhabitants."""
    return round(1000.0 * contributions / residents, 2) if residents > 0 else None


def apportion(cells: gpd.GeoDataFrame, squares: gpd.GeoDataFrame, zone: BaseGeometry,
              crs: str) -> pd.Series:
    """Inhabitants of each task square, spreading each cell's evenly over its area.

    A square counts the residents of the parts of cells that lie in it *and* in the zone,
    so the squares together hold Σ population × zone share. ``crs`` is a metric CRS in which
    areas are compared; the result is indexed like ``squares`` (0 where nobody lives).
    """
    if not len(cells) or not len(squares):
        return pd.Series(0.0, index=squares.index)
    metric_cells = cells[["population", "geometry"]].to_crs(crs)
    metric_cells["cell_area"] = metric_cells.geometry.area
    metric_zone = gpd.GeoSeries([zone], crs=WGS84).to_crs(crs).iloc[0]
    metric_squares = squares[["label", "geometry"]].to_crs(crs)
    metric_squares["geometry"] = metric_squares.geometry.intersection(metric_zone)
    metric_squares = metric_squares[~metric_squares.geometry.is_empty]
    pieces = gpd.overlay(metric_squares, metric_cells, how="intersection", keep_geom_type=True)
    pieces["part"] = pieces["population"].fillna(0.0) * pieces.geometry.area / pieces["cell_area"]
    by_label = pieces.groupby("label")["part"].sum()
    return squares["label"].map(by_label).fillna(0.0)
