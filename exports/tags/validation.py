"""The checks JOSM and iD would flag, run by the exporter on each object first (pure).

Each finding is an :class:`Issue` with a severity:

- ``error`` — the OSM API or JOSM would refuse the object or flag it as broken; it is left out
  of the file and the command exits non-zero;
- ``held`` — a likely duplicate of an existing OSM element; left out and shown to the organiser
  ("is it the same bench?") instead of being exported silently;
- ``warning`` — written, with a note (a way split at 2000 nodes, a value JOSM counts as
  long, an edit based on an older version).

The tag rules are :data:`mapping.tags.RULES`, the table the API applies at submission:
their errors and warnings arrive here with the same codes (``docs/architecture.md``).

>>> [i.code for i in check_tags({"amenity": "", "source": "Google Maps"})]
['empty_value', 'forbidden_source']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from exports import conflation
from exports.osm_nodes import MAX_WAY_NODES, SCALE
from exports.records import ContextElement, FeatureRecord
from mapping import tags as tag_rules

# Keys that make a closed way an area (JOSM UnclosedWays, iD areaKeys, simplified).
AREA_KEYS = frozenset({"building", "landuse", "leisure", "area", "natural", "amenity", "shop",
                       "tourism", "man_made", "place", "boundary", "building:part"})
# Values of those keys that are fine on an open way (iD's areaKeys exceptions).
LINEAR_OK = frozenset({("amenity", "bench"), ("natural", "tree_row"), ("leisure", "track"),
                       ("natural", "cliff"), ("man_made", "embankment"), ("barrier", "kerb"),
                       ("natural", "coastline"), ("leisure", "slipway")})

ERROR, HELD, WARNING = tag_rules.ERROR, "held", tag_rules.WARNING


@dataclass(frozen=True)
class Issue:
    """One finding about one feature."""

    feature_id: str
    severity: str
    code: str
    message: str


def check_tags(
    tags: Mapping[str, str] | Sequence[tuple[str, str]], feature_id: str = ""
) -> list[Issue]:
    """The tag rules of :data:`mapping.tags.RULES` (pairs may repeat a key), as issues."""
    return [Issue(feature_id, found.severity, found.code, found.message)
            for found in tag_rules.check_tags(tags)]


def check_geometry(record: FeatureRecord) -> list[Issue]:
    """Supported type, not empty, coordinates in range, area tags only on closed ways."""
    geometry, fid = record.geometry, record.id
    if not isinstance(geometry, Point | LineString | Polygon | MultiPolygon) or geometry.is_empty:
        return [Issue(fid, ERROR, "unsupported_geometry",
                      f"A {geometry.geom_type} cannot be exported to OSM.")]
    coords = shapely.get_coordinates(geometry)  # (n, 2) lon/lat, every ring of every part
    (west, south), (east, north) = coords.min(axis=0), coords.max(axis=0)  # NaN propagates
    if not (west >= -180 and east <= 180 and south >= -90 and north <= 90):
        return [Issue(fid, ERROR, "out_of_range", "A coordinate is outside WGS84's range.")]
    issues = []
    if isinstance(geometry, LineString):
        scaled = np.rint(coords * SCALE)  # as the writers round: 7 decimals
        if not (scaled != scaled[0]).any():
            issues.append(Issue(fid, ERROR, "degenerate_way", "A way needs two distinct nodes."))
        closed = bool((coords[0] == coords[-1]).all())
        area = [f"{k}={v}" for k, v in record.tags.items()
                if k in AREA_KEYS and (k, v) not in LINEAR_OK and v != "no"]
        if area and not closed:
            issues.append(Issue(fid, ERROR, "area_tags_on_open_way",
                                f"{', '.join(area)} describes an area but the way is open."))
        if len(coords) > MAX_WAY_NODES:
            issues.append(Issue(fid, WARNING, "way_split",
                                f"{len(coords)} nodes: split into ways of at most "
                                f"{MAX_WAY_NODES}."))
    return issues


@dataclass
class Validator:
    """Runs every check on each feature record, before the OSM writers see it.

    ``context`` is the event's OSM context by ``(type, id)``; ``index`` finds existing
    elements of the same kind near a new point (likely duplicates).
    """

    context: Mapping[tuple[str, int], ContextElement]
    index: conflation.CandidateIndex
    presets: Mapping[str, Mapping[str, str]]
    keep_duplicates: bool = False
    duplicate_radius_m: float = 10.0
    modified: set[tuple[str, int]] = field(default_factory=set)

    def check(self, record: FeatureRecord) -> list[Issue]:
        """Every issue of ``record``; it may be written iff none is an error or held."""
        issues = check_tags(record.tags, record.id) + check_geometry(record)
        if record.osm_id:
            issues += self._check_modify(record)
        elif not self.keep_duplicates and isinstance(record.geometry, Point):
            issues += self._check_duplicate(record)
        return issues

    def _check_modify(self, record: FeatureRecord) -> list[Issue]:
        key = (record.osm_type, int(record.osm_id or 0))
        element = self.context.get(key)
        name = f"{record.osm_type}/{record.osm_id}"
        if element is None:
            return [Issue(record.id, ERROR, "not_in_osm_context",
                          f"{name} is not in the event's OSM context: run import_osm first.")]
        if element.type == "relation":
            return [Issue(record.id, ERROR, "relation_edit",
                          f"{name} is a relation: edit it in JOSM.")]
        if element.type == "way" and any(n[1] is None for n in element.nodes):
            return [Issue(record.id, ERROR, "incomplete_way",
                          f"{name} has nodes outside the extract; edit it in JOSM.")]
        if key in self.modified:
            return [Issue(record.id, ERROR, "edited_twice",
                          f"{name} is already edited by another contribution; merge them.")]
        self.modified.add(key)
        issues = []
        if record.osm_version and record.osm_version != element.version:
            issues.append(Issue(record.id, WARNING, "version_changed",
                                f"{name} is at version {element.version} in the OSM context, "
                                f"the contributor saw version {record.osm_version}."))
        return issues

    def _check_duplicate(self, record: FeatureRecord) -> list[Issue]:
        point = record.geometry
        kind = conflation.kind_of(record.tags, self.presets)
        near = self.index.near(kind=kind, lon=point.x, lat=point.y,
                               radius_m=self.duplicate_radius_m)
        if not near:
            return []
        best = near[0]
        return [Issue(record.id, HELD, "likely_duplicate",
                      f"{best.type}/{best.id} ({kind}) is {best.distance_m:.1f} m away: "
                      "is it the same object? Link the contribution to it, or export with "
                      "--keep-duplicates.")]


def blocking(issues: Iterable[Issue]) -> bool:
    """Whether these issues keep the object out of the OSM file."""
    return any(issue.severity in {ERROR, HELD} for issue in issues)
