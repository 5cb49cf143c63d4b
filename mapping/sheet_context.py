"""The OpenStreetMap context drawn on a field sheet: streets, buildings, water, symbols (pure).

The web layer gathers it (from the event's ``.osm`` extract and the exports app's OSM
elements) as plain shapely geometries in WGS84; :func:`project_context` moves it into the
grid's metric CRS once, and :class:`ContextClipper` cuts out what one sheet's frame shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import shapely
from shapely import STRtree
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import transform

from mapping.osm_file import OsmWay

# Ways tagged with these keys are drawn; the rest of the extract is not.
CONTEXT_KEYS = ("highway", "building", "waterway", "natural")
# highway=* values that are areas or points in practice, never streets to draw as lines.
NOT_STREETS = frozenset({"platform", "bus_stop", "street_lamp", "elevator", "corridor",
                         "proposed", "construction", "raceway"})
# Closed ways with these highway values are squares (areas), e.g. a pedestrian place.
AREA_HIGHWAYS = frozenset({"pedestrian", "footway"})


@dataclass(frozen=True)
class SheetStreet:
    """A street or path: its line, its name ("" when unnamed) and its ``highway`` value."""

    geometry: BaseGeometry
    name: str
    kind: str


@dataclass(frozen=True)
class SheetSymbol:
    """An existing OSM element of a preset kind: geometry, preset id, translated name."""

    geometry: BaseGeometry
    kind: str
    label: str


@dataclass(frozen=True)
class SheetContext:
    """Everything drawn under the contributions; all geometries in one CRS."""

    streets: tuple[SheetStreet, ...] = ()
    buildings: tuple[BaseGeometry, ...] = ()
    water: tuple[BaseGeometry, ...] = ()
    squares: tuple[BaseGeometry, ...] = ()  # pedestrian areas (places, squares)
    symbols: tuple[SheetSymbol, ...] = ()
    # True when the streets come from an extract: "no street drawn" then means "none there".
    has_extract: bool = False


def _area(way: OsmWay) -> Polygon | None:
    if not way.closed:
        return None
    polygon = Polygon(way.coords)
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon)
    return None if polygon.is_empty else polygon


def context_from_ways(ways: Iterable[OsmWay], symbols: Iterable[SheetSymbol] = ()) -> SheetContext:
    """Sort OSM ways into streets, buildings, water and pedestrian areas (WGS84 in and out).

    Parameters
    ----------
    ways : iterable of OsmWay
        Ways read with :func:`mapping.osm_file.ways_with_keys` (``CONTEXT_KEYS``).
    symbols : iterable of SheetSymbol
        Existing elements of the preset kinds, already labelled.

    Examples
    --------
    >>> road = OsmWay(1, {"highway": "residential", "name": "Rue de Warens"},
    ...               ((5.930, 45.565), (5.931, 45.565)))
    >>> context_from_ways([road]).streets[0].name
    'Rue de Warens'
    """
    streets, buildings, water, squares = [], [], [], []
    for way in ways:
        tags = way.tags
        highway = tags.get("highway", "")
        if "building" in tags and tags["building"] != "no":
            if (area := _area(way)) is not None:
                buildings.append(area)
        elif tags.get("natural") == "water" or tags.get("waterway") in ("riverbank", "dock"):
            if (area := _area(way)) is not None:
                water.append(area)
        elif "waterway" in tags:
            water.append(LineString(way.coords))
        elif highway and highway not in NOT_STREETS:
            if highway in AREA_HIGHWAYS and tags.get("area") == "yes":
                if (area := _area(way)) is not None:
                    squares.append(area)
                continue
            streets.append(SheetStreet(LineString(way.coords), tags.get("name", ""), highway))
    return SheetContext(streets=tuple(streets), buildings=tuple(buildings), water=tuple(water),
                        squares=tuple(squares), symbols=tuple(symbols), has_extract=True)


def project_context(context: SheetContext,
                    func: Callable[..., tuple[float, float]]) -> SheetContext:
    """The same context with every geometry passed through ``func(x, y) -> (x', y')``."""
    def move(geom: BaseGeometry) -> BaseGeometry:
        return transform(func, geom)

    return replace(
        context,
        streets=tuple(replace(s, geometry=move(s.geometry)) for s in context.streets),
        buildings=tuple(move(g) for g in context.buildings),
        water=tuple(move(g) for g in context.water),
        squares=tuple(move(g) for g in context.squares),
        symbols=tuple(replace(s, geometry=move(s.geometry)) for s in context.symbols),
    )


class ContextClipper:
    """Cut out of a (metric) context what a sheet's frame shows, with one spatial index each."""

    def __init__(self, context: SheetContext) -> None:
        self.context = context
        self._trees = {
            name: STRtree([_geometry(item) for item in getattr(context, name)])
            for name in ("streets", "buildings", "water", "squares", "symbols")
        }

    def __call__(self, frame: Polygon) -> SheetContext:
        """The elements intersecting ``frame``, lines and areas clipped to it."""
        clipped: dict[str, tuple[object, ...]] = {}
        for name, tree in self._trees.items():
            items = getattr(self.context, name)
            kept = []
            for index in sorted(tree.query(frame, predicate="intersects")):
                item = items[int(index)]
                if isinstance(item, SheetStreet):
                    kept.append(replace(item, geometry=item.geometry.intersection(frame)))
                elif isinstance(item, SheetSymbol):
                    kept.append(item)
                else:
                    kept.append(item.intersection(frame))
            clipped[name] = tuple(kept)
        return replace(self.context, **clipped)  # type: ignore[arg-type]


def _geometry(item: object) -> BaseGeometry:
    return item.geometry if isinstance(item, SheetStreet | SheetSymbol) else item  # type: ignore[return-value]


__all__ = ["CONTEXT_KEYS", "ContextClipper", "SheetContext", "SheetStreet", "SheetSymbol",
           "context_from_ways", "project_context"]
