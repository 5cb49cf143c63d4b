"""Named geometries shared by the tests (WGS84 lon/lat), around the Chambéry demo zone."""

from __future__ import annotations

# The <bounds> of tests' copy of chambery_centre_2021.osm: about 260 m × 150 m.
WEST, SOUTH, EAST, NORTH = 5.93019, 45.56533, 5.93355, 45.56666

ZONE = {
    "type": "Polygon",
    "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]],
}
INSIDE = {"type": "Point", "coordinates": [5.9320, 45.5660]}
INSIDE_2 = {"type": "Point", "coordinates": [5.9325, 45.5655]}
# 20 m north of the zone's edge: inside the 50 m tolerance.
JUST_OUTSIDE = {"type": "Point", "coordinates": [5.9320, 45.56684]}
# About 1 km east.
FAR_OUTSIDE = {"type": "Point", "coordinates": [5.9465, 45.5660]}
SHORT_LINE = {"type": "LineString", "coordinates": [[5.9310, 45.5656], [5.9320, 45.5657]]}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.9310, 45.5655], [5.9312, 45.5655], [5.9312, 45.5657], [5.9310, 45.5657],
                     [5.9310, 45.5655]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[5.9310, 45.5655], [5.9312, 45.5657], [5.9312, 45.5655], [5.9310, 45.5657],
                     [5.9310, 45.5655]]],
}
