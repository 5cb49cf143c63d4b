"""The query filters list endpoints share: bounding box, statuses, names (checked once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from mapping.errors import N_, InvalidInput
from mapping.privacy import public_time_bounds
from mapping.workflow import Status


def parse_bbox(raw: str) -> Polygon:
    """``west,south,east,north`` in WGS84 degrees → a polygon; InvalidInput when malformed."""
    try:
        west, south, east, north = (float(part) for part in raw.split(","))
    except ValueError:
        raise InvalidInput(N_("bbox must be four numbers: west,south,east,north (WGS84 degrees)."),
                           field="bbox") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidInput(
            N_("bbox is out of range or inverted: west < east in [-180, 180], "
               "south < north in [-90, 90]."), field="bbox")
    return Polygon.from_bbox((west, south, east, north))


Rows = TypeVar("Rows", bound=QuerySet[Any])


def in_box(qs: Rows, box: Polygon, *, field: str = "geometry", exact: bool = True) -> Rows:
    """The rows of ``qs`` whose ``field`` intersects ``box``, through the spatial index;
    ``exact=False``: whose bounding rectangle meets the box's (the index alone, no geometry
    test — for a caller who decides on each row afterwards).

    PostGIS answers ``ST_Intersects`` (``&&`` for rectangles) from its GiST index. GeoDjango's
    SpatiaLite lookups do not use the R*Tree (a bbox query scanned the event's rows: 87.6 ms
    for 645 of 50,000), so there the candidates come from SpatiaLite's ``SpatialIndex``
    virtual table first (bounding rectangles), and the exact test runs on those candidates
    only.
    """
    spatialite = settings.SPATIAL_BACKEND == "spatialite"
    if exact:
        qs = qs.filter(**{f"{field}__intersects": box})
    elif not spatialite:
        qs = qs.filter(**{f"{field}__bboverlaps": box})
    if not spatialite:
        return qs
    table = qs.model._meta.db_table
    column = qs.model._meta.get_field(field).column
    west, south, east, north = box.extent
    return qs.extra(  # type: ignore[return-value] # constant identifiers, values as params
        where=[f'"{table}".ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = %s '
               "AND f_geometry_column = %s AND search_frame = BuildMbr(%s, %s, %s, %s, 4326))"],
        params=[table, column, west, south, east, north])


@dataclass(frozen=True)
class Span:
    """A time interval, both ends included; an end left None is open (an instant: both equal)."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None


def in_span(qs: Rows, span: Span | None, *, start: str, end: str | None = None,
            public: bool = False) -> Rows:
    """The rows of ``qs`` whose time (``start``, up to ``end`` when the row has one) meets
    ``span``. ``public``: decided on the times public readers see, truncated to the hour
    (:func:`mapping.privacy.public_time_bounds`), never on the exact ones."""
    if span is None or (span.start is None and span.end is None):
        return qs
    last = Coalesce(end, start) if end else None
    if public:
        low, high = public_time_bounds(span.start, span.end)
        if high is not None:
            qs = qs.filter(**{f"{start}__lt": high})
    else:
        low = span.start
        if span.end is not None:
            qs = qs.filter(**{f"{start}__lte": span.end})
    if low is not None:
        qs = (qs.alias(_span_last=last).filter(_span_last__gte=low) if last is not None
              else qs.filter(**{f"{start}__gte": low}))
    return qs


def check_name(value: str, field: str) -> str:
    """A filter value must be printable: a NUL byte breaks PostgreSQL's string literals."""
    if any(not char.isprintable() for char in value):
        raise InvalidInput(N_("{field_name} contains a control character."), field=field,
                           field_name=field)
    return value


def check_statuses(statuses: Sequence[str]) -> list[str]:
    """The statuses asked for, each a known one; InvalidInput naming the first unknown."""
    unknown = [s for s in statuses if s not in set(Status)]
    if unknown:
        raise InvalidInput(N_("Unknown status {status!r}; expected one of: {allowed}."),
                           field="status", status=unknown[0], allowed=", ".join(Status))
    return list(statuses)
