"""A synthetic event of every geometry kind, as writer records (shared with bench/)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator

from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from exports.records import ContextElement, FeatureRecord

CENTRE = (5.9320, 45.5660)  # Chambéry
KINDS = ("point", "line", "polygon", "holed", "multi", "long_line", "edit")
START = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)


def _square(x: float, y: float, size: float) -> list[tuple[float, float]]:
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


def context_elements(count: int = 50) -> dict[tuple[str, int], ContextElement]:
    """Existing benches far from the synthetic features, real-looking ids and versions."""
    return {
        ("node", 9_000_000_000 + i): ContextElement(
            "node", 9_000_000_000 + i, 1 + i % 5, {"amenity": "bench", "backrest": "yes"},
            round(CENTRE[0] + 0.05 + i * 1e-4, 7), round(CENTRE[1] + 0.05, 7))
        for i in range(count)
    }


def records(count: int, *, seed: int = 7, edits: int = 50) -> Iterator[FeatureRecord]:
    """``count`` features cycling through :data:`KINDS` on a 0.03° square around Chambéry.

    Kinds rotate: point, line, polygon, polygon with a hole, MultiPolygon, a 2,500-node line
    (one in 700 features, else a short line), an edit
    of one of the first ``edits`` context benches (edits stop once they are used up).
    """
    rng = random.Random(seed)
    used_edits = 0
    for i in range(count):
        x = CENTRE[0] + rng.uniform(-0.015, 0.015)
        y = CENTRE[1] + rng.uniform(-0.015, 0.015)
        kind = KINDS[i % len(KINDS)]
        if kind == "long_line" and (i // len(KINDS)) % 100:
            kind = "line"  # one long line in 700 features keeps the file size reasonable
        fid = f"00000000-0000-4000-8000-{i:012d}"
        at = START + dt.timedelta(seconds=i)
        if kind == "edit" and used_edits < edits:
            used_edits += 1
            yield FeatureRecord(fid, Point(x, y), {"backrest": "no"}, "amenity/bench",
                                osm_type="node", osm_id=9_000_000_000 + used_edits - 1,
                                osm_version=1, consent_osm=True, created_at=at)
        elif kind in {"point", "edit"}:
            yield FeatureRecord(fid, Point(x, y), {"amenity": "waste_basket", "ref": str(i)},
                                "amenity/waste_basket", consent_osm=True, created_at=at)
        elif kind == "line":
            line = LineString([(x, y), (x + 1e-4, y + 5e-5), (x + 2e-4, y)])
            yield FeatureRecord(fid, line, {"barrier": "kerb", "kerb": "lowered"},
                                "barrier/kerb/lowered", consent_osm=True, created_at=at)
        elif kind == "polygon":
            yield FeatureRecord(fid, Polygon(_square(x, y, 2e-4)), {"leisure": "playground"},
                                "leisure/playground", consent_osm=True, created_at=at)
        elif kind == "holed":
            hole = _square(x + 5e-5, y + 5e-5, 1e-4)
            yield FeatureRecord(fid, Polygon(_square(x, y, 2e-4), [hole]),
                                {"leisure": "playground", "name": f"Aire {i}"},
                                "leisure/playground", consent_osm=True, created_at=at)
        elif kind == "multi":
            parts = [Polygon(_square(x, y, 1e-4)), Polygon(_square(x + 3e-4, y, 1e-4))]
            yield FeatureRecord(fid, MultiPolygon(parts), {"amenity": "toilets"},
                                "amenity/toilets", consent_osm=True, created_at=at)
        else:  # a 2,500-node path: split into two ways
            coords = [(x + k * 2e-6, y + 1e-5 * math.sin(k / 10)) for k in range(2500)]
            yield FeatureRecord(fid, LineString(coords), {"barrier": "kerb", "kerb": "lowered"},
                                "barrier/kerb/lowered", consent_osm=True, created_at=at)
