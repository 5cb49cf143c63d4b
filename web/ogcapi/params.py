"""The query parameters of ``/ogcapi/``, checked: a bad one is a 400 that names it.

``limit`` (1…10000, default 100; a larger value is served as the maximum, as the standard
asks), ``bbox`` (4 or 6 numbers) and ``bbox-crs``, ``datetime`` (an instant, or an interval
``start/end`` with ``..`` or nothing for an open end, RFC 3339), ``crs``, the paging cursor,
and the filters a collection offers. Unknown parameters are refused (OGC API – Features
Part 1, /req/core/query-param-unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mapping.selectors import Span
from web.ogcapi import crs
from web.ogcapi.errors import OgcError

DEFAULT_LIMIT = 100
MAX_LIMIT = 10000
#: Parameters every request may carry: the format (JSON only).
FORMATS = {"json", "geojson", "application/json", "application/geo+json"}


@dataclass(frozen=True)
class ItemsQuery:
    """A checked items request."""

    limit: int = DEFAULT_LIMIT
    bbox: str = ""  # west,south,east,north in CRS84, as the selectors take it
    box: tuple[float, float, float, float] | None = None
    span: Span | None = None
    crs: str = crs.CRS84
    cursor: str | None = None
    offset: int = 0
    filters: dict[str, str] = field(default_factory=dict)


def check_format(query: Mapping[str, str]) -> None:
    """``f=`` names JSON or GeoJSON (HTML is not served)."""
    value = query.get("f")
    if value is not None and value.lower() not in FORMATS:
        raise OgcError(_("f must be json (GeoJSON for items); HTML is not served."), parameter="f")


def check_known(query: Mapping[str, str], allowed: Collection[str]) -> None:
    """Refuse a parameter this resource does not define."""
    for name in query:
        if name not in allowed and name != "f":
            raise OgcError(
                _("Unknown parameter {name}; this resource accepts: {allowed}.").format(
                    name=name, allowed=", ".join(sorted({*allowed, "f"}))
                ),
                parameter=name,
            )


def parse_limit(raw: str | None) -> int:
    """``limit``: a whole number ≥ 1; above the maximum, the maximum."""
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not raw.isdigit() or int(raw) < 1:
        raise OgcError(
            _("limit must be a whole number from 1 to {maximum}.").format(maximum=MAX_LIMIT),
            parameter="limit",
        )
    return min(int(raw), MAX_LIMIT)


def parse_crs(raw: str | None, choices: Sequence[str], parameter: str = "crs") -> str:
    """A CRS URI among ``choices`` (CRS84 when absent)."""
    if raw is None or raw == "":
        return crs.CRS84
    found = crs.known(raw, choices)
    if found is None:
        raise OgcError(
            _("{parameter} {value} is not offered; use one of: {choices}.").format(
                parameter=parameter, value=raw, choices=", ".join(choices)
            ),
            parameter=parameter,
        )
    return found


def parse_bbox(raw: str, bbox_crs: str) -> tuple[float, float, float, float]:
    """``bbox`` in ``bbox_crs`` (its axis order; 6 numbers: heights ignored) → CRS84."""
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(abs(n) < float("inf") for n in numbers):
        raise OgcError(
            _(
                "bbox must be four numbers (lower corner, upper corner, in the axis "
                "order of bbox-crs), or six with heights."
            ),
            parameter="bbox",
        )
    if not (numbers[0] <= numbers[2] and numbers[1] <= numbers[3]):
        raise OgcError(_("bbox is inverted: the lower corner comes first."), parameter="bbox")
    try:
        west, south, east, north = crs.bbox_to_crs84(numbers, bbox_crs)
    except Exception:  # pyproj refuses points outside the CRS: a bad box
        west = south = east = north = float("nan")
    if not all(abs(n) < float("inf") for n in (west, south, east, north)) or not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        raise OgcError(_("bbox lies outside the area of bbox-crs."), parameter="bbox")
    if west == east or south == north:  # a point or a line: widen by a hair to a box
        west, south, east, north = west - 1e-9, south - 1e-9, east + 1e-9, north + 1e-9
    return west, south, east, north


def _moment(raw: str, *, end: bool) -> dt.datetime:
    text = raw.strip()
    try:
        if len(text) == 10:  # a date: the whole day (UTC)
            day = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), dt.UTC)
            return day + dt.timedelta(days=1, microseconds=-1) if end else day
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise OgcError(
            _(
                "datetime must be an RFC 3339 date-time (2026-05-01T09:00:00Z) or an "
                "interval start/end, with .. for an open end."
            ),
            parameter="datetime",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_datetime(raw: str) -> Span:
    """An instant (a date: that day) or an interval ``start/end`` (``..`` or empty: open)."""
    if "/" not in raw:
        return Span(_moment(raw, end=False), _moment(raw, end=True))
    first, _sep, last = raw.partition("/")
    start = None if first in {"", ".."} else _moment(first, end=False)
    end = None if last in {"", ".."} else _moment(last, end=True)
    if start is None and end is None:
        raise OgcError(_("datetime: an interval needs at least one end."), parameter="datetime")
    if start is not None and end is not None and start > end:
        raise OgcError(_("datetime: the interval ends before it starts."), parameter="datetime")
    return Span(start, end)


def items_query(
    query: Mapping[str, str], *, choices: Sequence[str], filters: Collection[str], paging: str
) -> ItemsQuery:
    """The checked parameters of an items request. ``paging``: ``cursor`` or ``offset``."""
    check_format(query)
    check_known(query, {"limit", "bbox", "bbox-crs", "datetime", "crs", paging, *filters})
    bbox_crs = parse_crs(query.get("bbox-crs"), choices, "bbox-crs")
    box = parse_bbox(query["bbox"], bbox_crs) if query.get("bbox") else None
    offset = 0
    if paging == "offset" and query.get("offset"):
        raw = query["offset"]
        if not raw.isdigit():
            raise OgcError(
                _("offset must be a whole number ≥ 0 (from a next link)."), parameter="offset"
            )
        offset = int(raw)
    return ItemsQuery(
        limit=parse_limit(query.get("limit")),
        bbox=",".join(repr(n) for n in box) if box else "",
        box=box,
        span=parse_datetime(query["datetime"]) if query.get("datetime") else None,
        crs=parse_crs(query.get("crs"), choices),
        cursor=(query.get("cursor") or None) if paging == "cursor" else None,
        offset=offset,
        filters={name: query[name] for name in filters if query.get(name)},
    )
