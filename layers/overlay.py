"""Perceived × measured: join reports to readings in space and time, aggregate on cells (pure).

Frames come from :mod:`layers.frames` (EPSG:4326); distances are computed in the metric CRS
given (``mapping.crs.metric_crs_for`` of the zone: Lambert-93 in France, else UTM). Levels are
pooled **energetically**, weighted by duration (docs/acoustics.md §1, §4).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree
from shapely.geometry import Polygon, box

from layers.acoustics import grouped_energetic_mean_db, percentile_level_db
from layers.frames import REPORT_COLUMNS, WGS84, check_frame

MIN_CONTRIBUTORS = 3  # fewer: perceived figures are small counts (and identifying)
MIN_SECONDS = 60.0  # fewer measured seconds: the cell's LAeq is a glimpse, not a level
MIN_PERCENTILE_SAMPLES = 30


@dataclass(frozen=True)
class JoinParameters:
    """How near in space (m, metric CRS) and time (s) a reading must be to describe a report.

    ``max_accuracy_m`` drops mobile points whose GPS accuracy is worse (docs/acoustics.md §4.2);
    ``pool="nearest"`` keeps only the nearest sensor's readings, ``"all"`` pools every sensor
    within the radius (co-located recordings).
    """

    radius_m: float = 50.0
    window_s: float = 900.0
    max_accuracy_m: float = 30.0
    pool: str = "nearest"


def _places(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of an (n, 2) array and the index of each row's place (hashing, O(n))."""
    codes, unique = pd.factorize(xy[:, 0] + 1j * xy[:, 1])
    return np.column_stack([unique.real, unique.imag]), codes.astype(np.int64)


def _xy(frame: gpd.GeoDataFrame, metric_crs: str) -> np.ndarray:
    """Metric x, y (m) of point frames; each distinct place is projected once (a station
    holds thousands of readings at one point)."""
    lonlat = shapely.get_coordinates(frame.geometry.to_numpy())
    if len(lonlat) < 1000:
        places, inverse = lonlat, None
    else:
        places, inverse = _places(lonlat)
    x, y = Transformer.from_crs(WGS84, metric_crs, always_xy=True).transform(
        places[:, 0], places[:, 1])
    xy = np.column_stack([x, y])
    return xy if inverse is None else xy[inverse]


def _seconds(times: pd.Series) -> np.ndarray:
    seconds: np.ndarray = times.astype("datetime64[ns, UTC]").astype("int64").to_numpy() / 1e9
    return seconds


def join_reports(
    reports: gpd.GeoDataFrame, readings: gpd.GeoDataFrame, *, metric_crs: str,
    params: JoinParameters = JoinParameters(),
) -> pd.DataFrame:
    """The measured context of each report at its place and time.

    Parameters
    ----------
    reports : GeoDataFrame
        :func:`layers.frames.reports_frame` (EPSG:4326).
    readings : GeoDataFrame
        :func:`layers.frames.readings_frame` (EPSG:4326): LAeq, dB(A), ``duration_s`` in s.
    metric_crs : str
        Projected CRS for distances, e.g. ``"EPSG:2154"``.
    params : JoinParameters
        Radius (m), half time window (s) around ``[observed_at, observed_until]``, etc.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``reports``: ``measured`` (bool), ``laeq_db`` (dB(A), energetic,
        duration-weighted; NaN when nothing is near), ``seconds_measured`` (s), ``n_readings``,
        ``nearest_sensor`` (code), ``distance_m`` (to the nearest reading, m) and ``context``
        — a sentence, e.g. "no measurement within 50 m and ±900 s".
    """
    check_frame(reports, REPORT_COLUMNS, "reports")
    check_frame(readings, ("sensor_code", "measured_at", "duration_s", "laeq_db"), "readings")
    accurate = readings["accuracy_m"].isna() | (readings["accuracy_m"] <= params.max_accuracy_m)
    readings = readings[accurate & readings["laeq_db"].notna()]
    r_xy = _xy(readings, metric_crs) if len(readings) else np.empty((0, 2))
    p_xy = _xy(reports, metric_crs) if len(reports) else np.empty((0, 2))
    report, reading, distance = _pairs(
        p_xy, _seconds(reports["observed_at"]) - params.window_s,
        _seconds(reports["observed_until"]) + params.window_s,
        r_xy, _seconds(readings["measured_at"]), readings["duration_s"].to_numpy(),
        radius_m=params.radius_m)
    n = len(reports)
    code = readings["sensor_code"].to_numpy()
    # Nearest reading of each report: sort pairs by (report, distance), take each run's first.
    order = np.lexsort((distance, report))
    report, reading, distance = report[order], reading[order], distance[order]
    heads = np.flatnonzero(np.r_[True, report[1:] != report[:-1]]) if report.size else report
    nearest_code = np.full(n, None, dtype=object)
    nearest_distance = np.full(n, np.nan)
    nearest_code[report[heads]] = code[reading[heads]]
    nearest_distance[report[heads]] = distance[heads]
    if params.pool == "nearest":
        keep = code[reading] == nearest_code[report]
        report, reading = report[keep], reading[keep]
    level, seconds = grouped_energetic_mean_db(
        readings["laeq_db"].to_numpy()[reading], readings["duration_s"].to_numpy()[reading],
        report, n_groups=n)
    count = np.bincount(report, minlength=n)
    measured = count > 0
    none = f"no measurement within {params.radius_m:g} m and ±{params.window_s:g} s"
    context = [f"LAeq {lv:.1f} dB(A) over {sec:g} s within {params.radius_m:g} m" if m else none
               for m, lv, sec in zip(measured, level, seconds, strict=True)]
    return pd.DataFrame({
        "measured": measured, "laeq_db": level, "seconds_measured": seconds,
        "n_readings": count.astype("int64"), "nearest_sensor": nearest_code,
        "distance_m": nearest_distance, "context": context}, index=reports.index)


def _pairs(
    p_xy: np.ndarray, start_s: np.ndarray, end_s: np.ndarray, r_xy: np.ndarray,
    r_start_s: np.ndarray, r_duration_s: np.ndarray, *, radius_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (report, reading, distance m) with the reading within ``radius_m`` of the report
    and overlapping ``[start_s, end_s]``, without a Python loop over reports or readings.

    Readings are grouped by place (a fixed station is one place); a KD-tree finds the places
    near each report, then a binary search in each place's time-sorted readings finds those
    in the window.
    """
    empty = np.empty(0, dtype=np.int64)
    if not (len(p_xy) and len(r_xy)):
        return empty, empty, np.empty(0)
    places, place_of = _places(r_xy)
    by_place = np.lexsort((r_start_s, place_of))  # readings sorted by (place, start)
    span = float(r_start_s.max() - r_start_s.min()) + 2.0
    t0 = float(r_start_s.min())
    key = place_of[by_place] * span + (r_start_s[by_place] - t0)
    near = cKDTree(places).query_ball_point(p_xy, r=radius_m)
    lengths = np.fromiter((len(x) for x in near), dtype=np.int64, count=len(near))
    p = np.repeat(np.arange(len(p_xy)), lengths)
    q = np.fromiter(itertools.chain.from_iterable(near), dtype=np.int64, count=int(lengths.sum()))
    longest = float(r_duration_s.max())
    # Readings overlapping the window start after start − longest and before end; widened
    # by 1 s against rounding of the combined key, then filtered exactly below.
    lo = np.searchsorted(key, q * span + (start_s[p] - longest - 1.0 - t0), side="left")
    hi = np.searchsorted(key, q * span + (end_s[p] + 1.0 - t0), side="right")
    counts = hi - lo
    pair = np.repeat(np.arange(p.size), counts)
    offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    reading = by_place[lo[pair] + offset]
    report = p[pair]
    inside = ((r_start_s[reading] <= end_s[report])
              & (r_start_s[reading] + r_duration_s[reading] >= start_s[report]))
    report, reading = report[inside], reading[inside]
    distance = np.hypot(*(r_xy[reading] - p_xy[report]).T)
    return report, reading, distance


# --- Cells ------------------------------------------------------------------------------------

def square_cells(points: gpd.GeoDataFrame, *, cell_m: float, metric_crs: str) -> pd.Series:
    """Square-grid cell of each point: ``"<ix>_<iy>"`` with ``ix = floor(x / cell_m)`` (m)."""
    xy = _xy(points, metric_crs)
    ij = np.floor(xy / cell_m).astype("int64")
    return pd.Series([f"{i}_{j}" for i, j in ij], index=points.index, dtype="object")


def square_cell_polygon(cell: str, *, cell_m: float) -> Polygon:
    """The square of a cell id, in the metric CRS it was computed in."""
    i, j = (int(v) for v in cell.split("_"))
    return box(i * cell_m, j * cell_m, (i + 1) * cell_m, (j + 1) * cell_m)


def h3_cells(points: gpd.GeoDataFrame, *, resolution: int) -> pd.Series:
    """H3 v4 cell of each WGS84 point (resolution 10 ≈ 66 m edge, 11 ≈ 25 m)."""
    return pd.Series([h3.latlng_to_cell(p.y, p.x, resolution) for p in points.geometry],
                     index=points.index, dtype="object")


def h3_cell_polygon(cell: str) -> Polygon:
    """The hexagon of an H3 cell, WGS84 lon/lat."""
    return Polygon([(lon, lat) for lat, lon in h3.cell_to_boundary(cell)])


def cell_polygons(
    cells: pd.Index, *, grid: str, cell_m: float, metric_crs: str
) -> gpd.GeoSeries:
    """Polygons of cell ids as a GeoSeries in EPSG:4326."""
    if grid == "h3":
        return gpd.GeoSeries([h3_cell_polygon(c) for c in cells], index=cells, crs=WGS84)
    squares = gpd.GeoSeries([square_cell_polygon(c, cell_m=cell_m) for c in cells], index=cells,
                            crs=metric_crs)
    return squares.to_crs(WGS84)


def aggregate(
    reports: pd.DataFrame, readings: pd.DataFrame, *, report_keys: pd.Series,
    reading_keys: pd.Series,
) -> pd.DataFrame:
    """Per key (cell or street segment): measured and perceived figures and their discrepancy.

    Parameters
    ----------
    reports : DataFrame
        Reports with ``contributor_id`` and ``intensity`` (1–5).
    readings : DataFrame
        Readings with ``laeq_db`` (dB(A)) and ``duration_s`` (s).
    report_keys, reading_keys : Series
        The key of each report / reading (NaN: outside every key, ignored).

    Returns
    -------
    pandas.DataFrame
        Indexed by key: ``laeq_db`` (energetic, duration-weighted), ``seconds_measured``,
        ``n_readings``, ``l10_db``/``l50_db``/``l90_db`` (pooled samples, NaN below 30),
        ``n_reports``, ``n_contributors``, ``mean_intensity``; ``kind`` — "both",
        "perceived_not_measured" or "measured_not_perceived"; ``discrepancy`` —
        z(mean intensity) − z(LAeq) over the keys holding both (> 0: perceived louder than
        measured, relative to the event); ``small_count`` — fewer than 3 contributors or
        60 s measured.
    """
    codes, keys = pd.factorize(reading_keys.to_numpy(), sort=True)
    located = codes >= 0  # NaN key: outside every cell or segment
    levels = readings["laeq_db"].to_numpy()[located]
    durations = readings["duration_s"].to_numpy()[located]
    codes = codes[located]
    level, seconds = grouped_energetic_mean_db(levels, durations, codes, n_groups=len(keys))
    # Percentile levels pool the samples of a key (never average them, docs/acoustics.md §2.2).
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(keys) + 1))
    percentiles = np.full((len(keys), 3), np.nan)
    for g in np.flatnonzero(np.diff(bounds) >= MIN_PERCENTILE_SAMPLES):
        mine = order[bounds[g]:bounds[g + 1]]
        percentiles[g] = [percentile_level_db(levels[mine], n, durations[mine])
                          for n in (10, 50, 90)]
    measured = pd.DataFrame({
        "laeq_db": level, "seconds_measured": seconds, "n_readings": np.diff(bounds),
        "l10_db": percentiles[:, 0], "l50_db": percentiles[:, 1], "l90_db": percentiles[:, 2],
    }, index=pd.Index(keys))
    perceived = reports.groupby(report_keys.to_numpy(), sort=True).agg(
        n_reports=("intensity", "size"), n_contributors=("contributor_id", "nunique"),
        mean_intensity=("intensity", "mean"))
    table = measured.join(perceived, how="outer") if len(measured) else perceived.copy()
    for column in ("laeq_db", "seconds_measured", "n_readings", "l10_db", "l50_db", "l90_db"):
        if column not in table:
            table[column] = np.nan
    for column in ("n_reports", "n_contributors", "n_readings"):
        table[column] = table[column].fillna(0).astype("int64")
    table["seconds_measured"] = table["seconds_measured"].fillna(0.0)
    has_m, has_p = table["n_readings"] > 0, table["n_reports"] > 0
    table["kind"] = np.select([has_m & has_p, has_p], ["both", "perceived_not_measured"],
                              "measured_not_perceived")
    table["small_count"] = (has_p & (table["n_contributors"] < MIN_CONTRIBUTORS)) | (
        has_m & (table["seconds_measured"] < MIN_SECONDS))
    return with_discrepancy(table)


def with_discrepancy(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its ``discrepancy`` column (re)computed over the rows it holds.

    ``discrepancy`` = z(mean intensity) − z(LAeq) over the rows of ``kind`` "both", NaN
    elsewhere and when fewer than two rows hold both: relative to the cells shown, so a
    table cut for the public is recomputed without the cells it no longer holds.
    """
    table = table.copy()
    both = (table["kind"] == "both").to_numpy()

    def z(values: pd.Series) -> pd.Series:
        spread = values.std(ddof=0)
        return (values - values.mean()) / spread if spread > 0 else values * 0.0

    table["discrepancy"] = np.nan
    if both.sum() >= 2:
        table.loc[both, "discrepancy"] = (z(table.loc[both, "mean_intensity"])
                                          - z(table.loc[both, "laeq_db"]))
    return table


def grid_overlay(
    reports: gpd.GeoDataFrame, readings: gpd.GeoDataFrame, *, metric_crs: str,
    grid: str = "square", cell_m: float = 100.0, h3_resolution: int = 10,
) -> gpd.GeoDataFrame:
    """:func:`aggregate` on a square grid of ``cell_m`` metres (``metric_crs``) or H3 cells.

    Returns a GeoDataFrame in EPSG:4326 indexed by cell id (column ``cell``), one polygon per
    cell holding data.
    """
    if grid not in {"square", "h3"}:
        msg = f"grid must be 'square' or 'h3', got {grid!r}"
        raise ValueError(msg)
    if grid == "square" and not cell_m > 0:
        msg = f"cell_m must be > 0 m, got {cell_m}"
        raise ValueError(msg)

    def keys(frame: gpd.GeoDataFrame) -> pd.Series:
        if not len(frame):
            return pd.Series([], dtype="object", index=frame.index)
        if grid == "h3":
            return h3_cells(frame, resolution=h3_resolution)
        return square_cells(frame, cell_m=cell_m, metric_crs=metric_crs)

    table = aggregate(reports, readings, report_keys=keys(reports), reading_keys=keys(readings))
    geometry = cell_polygons(table.index, grid=grid, cell_m=cell_m, metric_crs=metric_crs)
    out = gpd.GeoDataFrame(table, geometry=geometry.to_numpy(), crs=WGS84)
    out.index.name = "cell"
    return out.reset_index()


def segment_overlay(
    reports: gpd.GeoDataFrame, readings: gpd.GeoDataFrame, segments: gpd.GeoDataFrame, *,
    metric_crs: str, max_distance_m: float = 25.0,
) -> gpd.GeoDataFrame:
    """:func:`aggregate` on street segments: each point goes to its nearest segment within
    ``max_distance_m`` (m, in ``metric_crs``), farther points are left out (Can et al. 2014).

    Returns the segments holding data (EPSG:4326 lines) with ``segment``, ``name``,
    ``highway`` and the figures of :func:`aggregate`.
    """
    from layers.osm_context import nearest_segment  # osmnx only when streets are asked

    report_keys = nearest_segment(reports, segments, metric_crs=metric_crs,
                                  max_distance_m=max_distance_m)
    reading_keys = nearest_segment(readings, segments, metric_crs=metric_crs,
                                   max_distance_m=max_distance_m)
    table = aggregate(reports[report_keys.notna()], readings[reading_keys.notna()],
                      report_keys=report_keys.dropna(), reading_keys=reading_keys.dropna())
    lines = segments.set_index("segment")
    table = table[table.index.isin(lines.index)]
    out = gpd.GeoDataFrame(
        table.join(lines[["name", "highway"]]),
        geometry=lines.geometry.reindex(table.index).to_numpy(), crs=WGS84)
    out.index.name = "segment"
    return out.reset_index()
