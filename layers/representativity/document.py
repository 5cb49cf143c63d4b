"""The representativity document of one event: coverage, concentration, time, profile,
suppression (pure).

Two audiences. **Organisers and officers** get exact figures on the contributions the query
selects (they see every contribution anyway); declared profiles are merged under k for
them too. **The public** (and every export) gets figures computed on the largest set of
contributions whose cells, hours and channels each hold at least k people
(:mod:`layers.representativity.suppression`), with places coarsened as the public map
coarsens them (``mapping.privacy``) and times to the hour; each filter selects whole rows
of its own table (bbox → cells, since/until → hours, channel → channels), and declared
profiles are left out. See ``docs/representativity.md``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from layers.representativity import coverage as cov
from layers.representativity import margins, sections
from layers.representativity.suppression import RULE, check_k, k_closed
from layers.representativity.timing import EventWindow, local_floor_hour, time_section
from mapping.errors import N_
from mapping.privacy import coarsen_geometry

CONTRIBUTION_COLUMNS = ("contributor", "channel", "kind", "at")
CHANNELS = ("self", "mediator", "paper", "import")
CHANNEL_OF = {"web": "self", "mediator": "mediator", "paper": "paper", "import": "import"}
UNKNOWN_HOUR = "unknown"
ORGANISER_RULE = N_("Organisers' and officers' view: coverage, concentration and time are "
                    "exact for the contributions selected. Declared profiles cover the whole "
                    "event whatever the filters, each answer counted in groups of at least {k} "
                    "people. The public variant and the exports apply the rule to every "
                    "count of people.")
PUBLIC_FILTERS = N_("In the public variant, bbox selects map cells and 1 km areas "
                    "(coverage), since/until selects whole hours (time) and channel selects "
                    "channels (concentration); a filter never recomputes another table.")
PROFILE_NOT_PUBLIC = N_("Declared profiles are shown only to this event's organisers and "
                        "officers.")
AGE_NOTE = N_("Residents from 11 years on (Filosofi counts people in fiscal households: student "
              "residences, care homes and hostels are left out).")
Translate = Callable[[str], str]


@dataclass(frozen=True)
class Query:
    """What a reader asks for: a box (WGS84 west, south, east, north), a time span, channels."""

    bbox: tuple[float, float, float, float] | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventData:
    """Everything the document is computed from.

    ``contributions``: points in EPSG:4326 with :data:`CONTRIBUTION_COLUMNS` — contributor
    id (str), channel (``web``/``mediator``/``paper``/``import``), kind
    (``feature``/``report``), participation time ``at`` (UTC, NaT when unknown).
    ``cells``: the population grid (``code``, ``population``, ``households``, ``imputed``,
    ``zone_share``, ``attributes``, polygons in EPSG:4326) or None. ``squares``: the task
    grid (``label``, polygons) or None. ``answers``: declared profiles, bare.
    """

    zone: BaseGeometry
    window: EventWindow
    contributions: gpd.GeoDataFrame
    cells: gpd.GeoDataFrame | None = None
    squares: gpd.GeoDataFrame | None = None
    population_source: str = ""
    answers: Sequence[Mapping[str, str]] = ()
    asked: int = 0
    participants: int = 0


@dataclass
class Result:
    """The JSON document and the map cells behind its ``coverage`` (for maps and files)."""

    document: dict[str, Any]
    cells: gpd.GeoDataFrame = field(repr=False)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else round(float(value), 4)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _map_cells(data: EventData) -> gpd.GeoDataFrame:
    if data.cells is not None and len(data.cells):
        return sections.map_cells(data.cells.reset_index(drop=True), populated_grid=True)
    cells = cov.lattice(data.zone)
    cells["households"] = np.nan
    cells["attributes"] = [{} for _ in range(len(cells))]
    return sections.map_cells(cells, populated_grid=False)


def _prepare(data: EventData, cells: gpd.GeoDataFrame, area_crs: str, *,
             public: bool) -> pd.DataFrame:
    frame = data.contributions
    missing = [c for c in CONTRIBUTION_COLUMNS if c not in frame.columns]
    if missing or (frame.crs is not None and frame.crs.to_epsg() != 4326):
        msg = f"contributions need columns {CONTRIBUTION_COLUMNS} in EPSG:4326; lacks {missing}"
        raise ValueError(msg)
    points = frame.geometry
    at = pd.to_datetime(frame["at"], utc=True)
    if public:  # the public grain: places as the public map shows them, times to the hour
        points = gpd.GeoSeries([coarsen_geometry(p) for p in points], index=frame.index,
                               crs=frame.crs)
        at = local_floor_hour(at, data.window.time_zone)
    out = pd.DataFrame({"contributor": frame["contributor"].astype(str),
                        "channel": frame["channel"].map(CHANNEL_OF).fillna("self"),
                        "kind": frame["kind"], "at": at}, index=frame.index)
    out["cell"] = cov.assign(points, cells, "code").fillna(cov.ELSEWHERE)
    third = dict(zip(cells["code"], cells["living_standard"], strict=True))
    out["class"] = [third.get(c) or sections.NO_CLASS for c in out["cell"]]
    out["area"] = cov.area_codes(points, area_crs)
    out["square"] = (cov.assign(points, data.squares, "label")
                     if data.squares is not None and not public else None)
    out["hour"] = [UNKNOWN_HOUR if pd.isna(t) else t.isoformat()
                   for t in local_floor_hour(at, data.window.time_zone)]
    out.attrs["points"] = points
    return out


def _in_bbox(points: gpd.GeoSeries, bbox: tuple[float, float, float, float] | None) -> np.ndarray:
    if bbox is None:
        return np.ones(len(points), dtype=bool)
    return np.asarray(points.intersects(box(*bbox)), dtype=bool)


def _selected_cells(cells: gpd.GeoDataFrame, bbox: tuple[float, float, float, float] | None
                    ) -> np.ndarray:
    if bbox is None:
        return np.ones(len(cells), dtype=bool)
    return np.asarray(cells.geometry.representative_point().intersects(box(*bbox)), dtype=bool)


def _in_time(at: pd.Series, query: Query) -> np.ndarray:
    keep = np.ones(len(at), dtype=bool)
    if query.since is not None:
        keep &= (at >= pd.Timestamp(query.since)).fillna(False).to_numpy()
    if query.until is not None:
        keep &= (at < pd.Timestamp(query.until)).fillna(False).to_numpy()
    return keep


PUBLIC_DIMS = {"areas": "area", "classes": "class", "hours": "hour", "channels": "channel"}


def public_rows(data: EventData, *, k: int) -> pd.DataFrame:
    """Every contribution at the public grain with its atoms, and ``kept``: whether it
    enters public figures (the largest set whose atoms all hold ≥ ``k`` people)."""
    cells = _map_cells(data)
    rows = _prepare(data, cells, cov.lattice_crs(data.zone), public=True)
    rows["kept"] = k_closed(rows, dims=list(PUBLIC_DIMS.values()), person="contributor",
                            k=check_k(k))
    return rows


def representativity(data: EventData, *, k: int, public: bool, query: Query = Query(),
                     translate: Translate = str) -> Result:
    """The document for one audience; see the module docstring and ``docs/representativity.md``.

    Top-level keys: ``coverage``, ``concentration``, ``time``, ``profile``, ``suppression``.
    ValueError on an unknown channel or malformed contributions.
    """
    k = check_k(k)
    tr = translate
    unknown = [c for c in query.channels if c not in CHANNELS]
    if unknown:
        msg = f"unknown channel {unknown[0]!r}; channels: {', '.join(CHANNELS)}"
        raise ValueError(msg)
    cells = _map_cells(data)
    area_crs = cov.lattice_crs(data.zone)
    everything = _prepare(data, cells, area_crs, public=public)
    lattice = set(cov.lattice(data.zone, size_m=1000.0)["code"])
    area_codes = sorted(lattice | set(everything["area"]))
    channels = list(query.channels) or list(CHANNELS)
    suppressed: dict[str, set[str]] = {t: set() for t in ("areas", "classes", "hours", "channels")}
    if public:
        keep = k_closed(everything, dims=list(PUBLIC_DIMS.values()), person="contributor", k=k)
        base = everything[keep]
        for table, dim in PUBLIC_DIMS.items():
            suppressed[table] = set(everything[dim]) - set(base[dim])
        # A time filter selects whole hours (the hour's start), never parts of them.
        starts = pd.to_datetime(base["hour"].where(base["hour"] != UNKNOWN_HOUR), utc=True)
        for_space, for_time = base, base[_in_time(starts, query)]
        for_people = base[base["channel"].isin(channels)]
    else:
        in_box = _in_bbox(everything.attrs["points"], query.bbox)
        filtered = everything[in_box & _in_time(everything["at"], query)
                              & everything["channel"].isin(channels).to_numpy()]
        for_space = for_time = for_people = filtered
    areas_frame = gpd.GeoDataFrame({"code": area_codes}, geometry=cov.squares_of(area_codes),
                                   crs=cov.WGS84)
    coverage = sections.coverage(
        frame=cells, counted=for_space, everything=everything, areas=areas_frame,
        area_crs=area_crs, selected_cells=_selected_cells(cells, query.bbox),
        selected_areas=_selected_cells(areas_frame, query.bbox), suppressed=suppressed,
        public=public, k=k, tr=tr)
    cells_frame = coverage.pop("_cells_frame")
    if not public:
        coverage["elsewhere"] = int((for_space["cell"] == cov.ELSEWHERE).sum())
        if data.squares is not None and len(data.squares):
            coverage["task_squares"] = sections.task_squares(
                data.squares, cells, for_space, zone=data.zone,
                populated_grid=cells.attrs["populated_grid"])
    concentration = {**sections.concentration(for_people), "per_channel": {
        channel: ({"suppressed": True} if channel in suppressed["channels"]
                  else sections.concentration(for_people[for_people["channel"] == channel]))
        for channel in channels}}
    if not public:
        concentration["participants"] = data.participants
        concentration["joined_without_contributing"] = max(
            data.participants - everything["contributor"].nunique(), 0)
    time = time_section(for_time["at"], data.window)
    time["suppressed_hours"] = len(suppressed["hours"])
    # Which hours of the day hold a suppressed hour (marked as not empty, never counted).
    time["suppressed_hours_of_day"] = sorted({int(h[11:13]) for h in suppressed["hours"]
                                              if h != UNKNOWN_HOUR})
    population = (margins.population_margins(cells, source=data.population_source)
                  if cells.attrs["populated_grid"] else None)
    if population is not None:
        population["age_note"] = tr(AGE_NOTE)
    profile: dict[str, Any] = {"population": population}
    if public:
        profile.update(declared=None, note=tr(PROFILE_NOT_PUBLIC))
    else:
        profile["declared"] = margins.declared_margins(
            data.answers, asked=data.asked, k=k,
            population_age=population["age_band"] if population else None)
    suppression: dict[str, Any] = {
        "k": k, "audience": "public" if public else "organisers",
        "rule": tr(RULE).format(k=k) if public else tr(ORGANISER_RULE).format(k=k),
        "suppressed": {table: len(found) for table, found in suppressed.items()},
        "filters": {"bbox": list(query.bbox) if query.bbox else None,
                    "since": query.since.isoformat() if query.since else None,
                    "until": query.until.isoformat() if query.until else None,
                    "channel": list(query.channels) or None},
    }
    if public:
        suppression["filters_note"] = tr(PUBLIC_FILTERS)
    document = {"coverage": coverage, "concentration": concentration, "time": time,
                "profile": profile, "suppression": suppression}
    return Result(document=_clean(document), cells=cells_frame)
