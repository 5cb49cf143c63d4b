"""The OpenStreetMap context drawn on a field sheet: streets, buildings, water, symbols (pure).

:mod:`exports.sheets.selectors` gathers it from the event's imported OSM context
(``import_osm``) as plain shapely geometries in WGS84; :func:`project_context` moves it into
the grid's metric CRS once, and :class:`ContextClipper` cuts out what one sheet's frame shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from shapely import STRtree
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import transform

from mapping.osm_areas import is_building, is_water_area, road_class

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")


@dataclass(frozen=True)
class SheetStreet:
    """A street or path: its line, its name ("" when unnamed) and its ``highway`` value."""

    geometry: BaseGeometry
    name: str
    highway: str


@dataclass(frozen=True)
class SheetSymbol:
    """An existing OSM element of a preset kind: geometry, preset id, translated name."""

    geometry: BaseGeometry
    preset_id: str
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


def context_from_elements(elements: Iterable[tuple[Mapping[str, str], BaseGeometry]],
                          symbols: Iterable[SheetSymbol] = ()) -> SheetContext:
    """Sort OSM elements into streets, buildings, water and pedestrian areas (WGS84 in and out).

    Parameters
    ----------
    elements : iterable of (tags, geometry)
        Elements of the event's OSM context as :func:`mapping.osm_file.read_elements` builds
        their geometry: closed ways are polygons only when their tags make an area.
    symbols : iterable of SheetSymbol
        Existing elements of the preset kinds, already labelled.

    Examples
    --------
    >>> road = ({"highway": "residential", "name": "Rue de Warens"},
    ...         LineString([(5.930, 45.565), (5.931, 45.565)]))
    >>> context_from_elements([road]).streets[0].name
    'Rue de Warens'
    """
    streets, buildings, water, squares = [], [], [], []
    for tags, geometry in elements:
        shape = geometry.geom_type
        if is_building(tags):
            if shape in POLYGONAL:
                buildings.append(geometry)
        elif is_water_area(tags):
            if shape in POLYGONAL:
                water.append(geometry)
        elif "waterway" in tags:
            if shape in LINEAR:
                water.append(geometry)
        elif road_class(tags.get("highway", "")):
            if shape in POLYGONAL:
                squares.append(geometry)  # a pedestrian place (area=yes)
            elif shape in LINEAR:
                streets.append(SheetStreet(geometry, tags.get("name", ""), tags["highway"]))
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
            kept: list[object] = []
            for index in sorted(tree.query(frame, predicate="intersects")):
                item = items[int(index)]
                if isinstance(item, SheetStreet):
                    kept.append(replace(item, geometry=item.geometry.intersection(frame)))
                elif isinstance(item, SheetSymbol):
                    kept.append(item)
                else:
                    kept.append(item.intersection(frame))
            clipped[name] = tuple(kept)
        return replace(self.context, **clipped)  # type: ignore[arg-type]  # tuples per field


def _geometry(item: object) -> BaseGeometry:
    if isinstance(item, SheetStreet | SheetSymbol):
        return item.geometry
    assert isinstance(item, BaseGeometry)
    return item


__all__ = ["ContextClipper", "SheetContext", "SheetStreet", "SheetSymbol",
           "context_from_elements", "project_context"]
