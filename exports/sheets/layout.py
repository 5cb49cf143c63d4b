"""Laying the field sheets out: one page per grid square, in the grid's metric CRS (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shapely import STRtree
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import transform

from exports.sheets.context import ContextClipper, SheetContext, project_context
from exports.sheets.drawing import north_angle_deg
from exports.sheets.pdf import MARGIN, SheetFeature, SheetPage
from mapping import grids


@dataclass(frozen=True)
class SheetSquare:
    """A grid square to print: its label, WGS84 polygon and the team it is given to."""

    label: str
    geometry: Polygon
    team: str = ""


def sheet_pages(*, zone: BaseGeometry, squares: Sequence[SheetSquare],
                features: Sequence[tuple[BaseGeometry, str]],
                context: SheetContext | None = None) -> list[SheetPage]:
    """One :class:`SheetPage` per square, every geometry moved to the grid's metric CRS.

    Parameters
    ----------
    zone : shapely geometry
        The event's zone, WGS84 (EPSG:4326) lon/lat degrees.
    squares : sequence of SheetSquare
        The grid, in print order (row-major), WGS84.
    features : sequence of (geometry, label)
        Features already mapped (WGS84) and how the sheet lists them.
    context : SheetContext, optional
        The OSM streets, buildings and elements (WGS84); each page gets what its map frame
        (the square plus :data:`~exports.sheets.pdf.MARGIN`) shows.
    """
    forward, _backward, _crs = grids.transformers(zone)
    metric_zone = transform(forward.transform, zone)
    north_deg = north_angle_deg(forward.transform, zone.centroid.x, zone.centroid.y)
    clip = ContextClipper(project_context(context, forward.transform)) if context else None
    metric_features = [(transform(forward.transform, geometry), label)
                       for geometry, label in features]
    tree = STRtree([geometry for geometry, _label in metric_features]) if features else None
    pages = []
    for square in squares:
        metric_square = transform(forward.transform, square.geometry)
        inside = sorted(tree.query(metric_square, predicate="intersects")) if tree else []
        minx, miny, maxx, maxy = metric_square.bounds
        margin = MARGIN * (maxx - minx)
        frame = box(minx - margin, miny - margin, maxx + margin, maxy + margin)
        pages.append(SheetPage(
            label=square.label, square=metric_square, zone=metric_zone, team=square.team,
            features=[SheetFeature(geometry=metric_features[i][0], label=metric_features[i][1])
                      for i in inside],
            context=clip(frame) if clip else SheetContext(), north_deg=north_deg))
    return pages


__all__ = ["SheetSquare", "sheet_pages"]
