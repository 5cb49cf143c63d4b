"""The query filters list endpoints share: bounding box, statuses, names (checked once)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.gis.geos import Polygon

from mapping.errors import N_, InvalidInput
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
