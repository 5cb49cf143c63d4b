"""What the writers consume: plain frozen records of features, OSM elements and metadata (pure).

Services turn querysets into these; writers never see a model. Geometries are shapely, WGS84
(EPSG:4326) lon/lat degrees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from mapping.osm_file import Element

GENERATOR = "cartoparty/0.1"
LICENCE = "ODbL-1.0"
ATTRIBUTION = (
    "Cartoparty contributors (surveyed on the ground); "
    "OpenStreetMap-derived data © OpenStreetMap contributors, ODbL 1.0, "
    "https://www.openstreetmap.org/copyright"
)


@dataclass(frozen=True)
class FeatureRecord:
    """A mapped feature as exported: never its author or pseudonym."""

    id: str
    geometry: BaseGeometry
    tags: Mapping[str, str]
    preset: str = ""
    status: str = "accepted"
    osm_type: str = ""
    osm_id: int | None = None
    osm_version: int | None = None
    consent_osm: bool = False
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class ReportRecord:
    """A nuisance report for GIS exports only (never OSM): no author, no pseudonym."""

    id: str
    geometry: BaseGeometry
    category: str
    intensity: int
    sources: tuple[str, ...]
    observed_at: dt.datetime
    observed_until: dt.datetime | None
    status: str
    comment: str = ""


@dataclass(frozen=True)
class ExportData:
    """Everything a writer may use; iterables are consumed once, in order.

    ``measurements`` is a GeoDataFrame-like summary from the layers app, or ``None``.
    ``tag_columns`` are the tag keys given their own column in tabular formats.
    """

    meta: ExportMeta
    features: Iterable[FeatureRecord]
    reports: Iterable[ReportRecord] = ()
    measurements: Any = None
    context: Mapping[tuple[str, int], ContextElement] = field(default_factory=dict)
    tag_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContextElement:
    """An existing OSM element of the event's context (ids and versions are real).

    ``nodes`` lists a way's nodes as ``(id, version, lon, lat)``; ``version``/``lon``/``lat``
    are ``None`` for nodes missing from a clipped extract.
    """

    type: str
    id: int
    version: int
    tags: Mapping[str, str]
    lon: float
    lat: float
    nodes: tuple[tuple[int, int | None, float | None, float | None], ...] = ()

    @classmethod
    def of(cls, element: Element) -> ContextElement:
        """What the writers need of an element read by :mod:`mapping.osm_file`."""
        return cls(element.type, element.id, element.version, element.tags, element.lon,
                   element.lat, element.nodes)


@dataclass(frozen=True)
class ExportMeta:
    """Who the export is for: the event, its hashtags and the changeset comment."""

    event_name: str
    event_slug: str
    generator: str = GENERATOR
    licence: str = LICENCE
    attribution: str = ATTRIBUTION
    extra_hashtags: tuple[str, ...] = field(default=())

    @property
    def hashtags(self) -> tuple[str, ...]:
        """``#cartopartie`` and one hashtag per event (letters, digits, underscores)."""
        slug = "".join(c if c.isalnum() else "_" for c in self.event_slug)
        return ("#cartopartie", f"#cartopartie_{slug}", *self.extra_hashtags)

    def changeset_tags(self, *, count: int) -> dict[str, str]:
        """The JOSM ``<changeset>`` tags pre-filling the upload dialog (each ≤ 255 characters)."""
        tags = " ".join(self.hashtags)
        head = f"{count} objets relevés sur le terrain — "
        room = 255 - len(head) - len(tags) - 1
        name = self.event_name
        if len(name) > room:
            name = name[: room - 1] + "…"
        return {
            "comment": f"{head}{name} {tags}",
            "source": "survey",
            "hashtags": ";".join(self.hashtags)[:255],
            "created_by": self.generator,
        }
