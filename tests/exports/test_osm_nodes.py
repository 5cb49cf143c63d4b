"""Batch flattening of geometries into OSM node groups (numpy) and its use by the writers."""

from __future__ import annotations

import io

import pytest
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon

from exports import osm_build
from exports.osm_nodes import CLOSED_WAY, LINE, POINT, RELATION, SCALE, node_groups
from exports.osm_xml import write_osm
from exports.osmchange import write_osc
from exports.records import ExportMeta
from tests.exports.synthetic import context_elements, records

SQUARE = [(5.93, 45.56), (5.931, 45.56), (5.931, 45.561), (5.93, 45.561), (5.93, 45.56)]


def test_groups_follow_feature_then_ring_order() -> None:
    holed = Polygon(SQUARE, [[(5.9302, 45.5602), (5.9304, 45.5602), (5.9304, 45.5604)]])
    groups = node_groups([Point(5.9, 45.5), LineString(SQUARE[:3]), holed, Polygon(SQUARE)])
    assert groups.kind.tolist() == [POINT, LINE, RELATION, CLOSED_WAY]
    assert groups.feature.tolist() == [0, 1, 2, 2, 3]
    assert groups.size.tolist() == [1, 3, 4, 3, 4]
    assert groups.first.tolist() == [0, 1, 4, 8, 11]
    assert groups.closed.tolist() == [False, False, True, True, True]
    assert groups.outer.tolist() == [True, True, True, False, True]
    assert groups.scaled[0].tolist() == [59_000_000, 455_000_000]


def test_repeats_after_rounding_are_dropped_and_closed_lines_share_a_node() -> None:
    line = LineString([(5.93, 45.56), (5.93 + 4e-8, 45.56), (5.931, 45.56), (5.93, 45.5601),
                       (5.93, 45.56)])
    groups = node_groups([line])
    assert (groups.size.tolist(), groups.closed.tolist()) == ([3], [True])
    assert groups.scaled.tolist()[1] == [round(5.931 * SCALE), round(45.56 * SCALE)]


def test_a_multipolygon_of_one_part_is_still_a_relation() -> None:
    assert node_groups([MultiPolygon([Polygon(SQUARE)])]).kind.tolist() == [RELATION]


@pytest.mark.parametrize("geometry", [MultiLineString([SQUARE[:2]]), Point()])
def test_unsupported_or_empty_geometry_is_refused(geometry) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="OSM files"):
        node_groups([geometry])


@pytest.mark.parametrize("writer", [write_osm, write_osc])
def test_output_does_not_depend_on_the_batch_size(writer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    meta = ExportMeta(event_name="Bench", event_slug="bench")

    def text() -> str:
        stream = io.StringIO()
        writer(records(1500, edits=5), stream, meta=meta, context=context_elements())
        return stream.getvalue()

    whole = text()
    monkeypatch.setattr(osm_build, "BATCH", 7)
    assert text() == whole
    assert whole.count("<node") > 1500
