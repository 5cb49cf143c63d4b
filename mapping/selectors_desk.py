"""Field-sheet pages of an event (presentation, moving out of the domain core).

The other reads that used to live here are in :mod:`mapping.selectors` (grid, moderation,
live, events).
"""

from __future__ import annotations

from typing import Any

from shapely import STRtree
from shapely import wkb as shapely_wkb

from mapping import grids
from mapping.models import Event, MappedFeature
from mapping.selectors.grid import grid_of
from mapping.workflow import Status


def field_sheet_pages(event: Event, context: Any = None,
                      preset_names: dict[str, str] | None = None) -> list[Any]:
    """One :class:`mapping.field_sheets.SheetPage` per grid square, in metres.

    ``context`` is an optional :class:`mapping.sheet_context.SheetContext` in WGS84 (the OSM
    streets, buildings and elements the web layer gathered); each page gets the part its map
    frame shows, in the grid's metric CRS. ``preset_names`` (preset id → name in the reader's
    language) label the features already mapped.
    """
    from shapely.geometry import box
    from shapely.ops import transform

    from mapping.field_sheets import MARGIN, SheetFeature, SheetPage
    from mapping.sheet_context import ContextClipper, SheetContext, project_context
    from mapping.sheet_map import north_angle_deg

    zone = shapely_wkb.loads(bytes(event.zone.wkb))
    forward, _backward, _crs = grids.transformers(zone)
    metric_zone = transform(forward.transform, zone)
    north_deg = north_angle_deg(forward.transform, zone.centroid.x, zone.centroid.y)
    clip = ContextClipper(project_context(context, forward.transform)) if context else None
    names = preset_names or {}
    features = [
        (transform(forward.transform, shapely_wkb.loads(bytes(f.geometry.wkb))),
         ": ".join(filter(None, [names.get(f.preset, f.preset), f.tags.get("name", "")]))
         or ", ".join(f"{k}={v}" for k, v in f.tags.items()))
        for f in MappedFeature.objects.filter(event=event).exclude(
            status__in=[Status.REJECTED, Status.MERGED]).order_by("created_at")
    ]
    tree = STRtree([geom for geom, _label in features]) if features else None
    pages = []
    for cell in grid_of(event):
        square = transform(forward.transform, shapely_wkb.loads(bytes(cell.geometry.wkb)))
        inside = sorted(tree.query(square, predicate="intersects")) if tree else []
        minx, miny, maxx, maxy = square.bounds
        margin = MARGIN * (maxx - minx)
        frame = box(minx - margin, miny - margin, maxx + margin, maxy + margin)
        pages.append(SheetPage(
            label=cell.label, square=square, zone=metric_zone,
            team=cell.team.name if cell.team else "",
            features=[SheetFeature(geometry=features[i][0], label=features[i][1])
                      for i in inside],
            context=clip(frame) if clip else SheetContext(), north_deg=north_deg))
    return pages
