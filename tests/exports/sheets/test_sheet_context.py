"""The OSM context of field sheets: sorting elements, projecting, clipping to a frame."""

from __future__ import annotations

import pyproj
import pytest
from shapely.geometry import LineString, Point, box

from exports.sheets.context import (
    ContextClipper,
    SheetContext,
    SheetStreet,
    SheetSymbol,
    context_from_elements,
    project_context,
)
from mapping.osm_file import way_geometry

SQUARE_WAY = [(5.930, 45.565), (5.931, 45.565), (5.931, 45.566), (5.930, 45.565)]


@pytest.mark.parametrize(("tags", "where"), [
    ({"highway": "residential", "name": "Rue de Warens"}, "streets"),
    ({"highway": "footway"}, "streets"),
    ({"building": "yes"}, "buildings"),
    ({"building": "church", "name": "Notre-Dame"}, "buildings"),
    ({"natural": "water"}, "water"),
    ({"waterway": "river"}, "water"),
    ({"highway": "pedestrian", "area": "yes"}, "squares"),
    ({"highway": "bus_stop"}, None),
    ({"building": "no"}, None),
])
def test_ways_are_sorted_by_what_they_are(tags, where):
    # The geometry the reader gives a closed way with these tags (an area or a ring line).
    context = context_from_elements([(tags, way_geometry(SQUARE_WAY, tags))])
    counts = {name: len(getattr(context, name))
              for name in ("streets", "buildings", "water", "squares")}
    assert counts == {name: int(name == where) for name in counts}
    assert context.has_extract


def test_an_open_building_way_is_not_drawn():
    tags = {"building": "yes"}
    assert not context_from_elements([(tags, way_geometry(SQUARE_WAY[:3], tags))]).buildings


def test_projection_reaches_metres():
    forward = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    street = SheetStreet(LineString([(5.930, 45.565), (5.931, 45.565)]), "Rue", "residential")
    projected = project_context(SheetContext(streets=(street,)), forward.transform)
    # 0.001° of longitude at 45.6° N is about 78 m.
    assert projected.streets[0].geometry.length == pytest.approx(78, abs=1)
    assert projected.streets[0].name == "Rue"


def test_clipper_keeps_what_the_frame_shows_clipped_to_it():
    context = SheetContext(
        streets=(SheetStreet(LineString([(-50, 5), (150, 5)]), "Long", "primary"),
                 SheetStreet(LineString([(500, 500), (600, 500)]), "Far", "primary")),
        buildings=(box(90, 90, 120, 120),),
        symbols=(SheetSymbol(Point(10, 10), "natural/tree", "Tree"),
                 SheetSymbol(Point(300, 10), "amenity/bench", "Bench")),
    )
    clipped = ContextClipper(context)(box(0, 0, 100, 100))
    assert [s.name for s in clipped.streets] == ["Long"]
    assert clipped.streets[0].geometry.length == pytest.approx(100)
    assert clipped.buildings[0].area == pytest.approx(100)
    assert [s.preset_id for s in clipped.symbols] == ["natural/tree"]
