"""Tests for layers.osm_context: street networks from any OSM format, offline."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import geopandas as gpd
import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import Point

from layers.osm_context import nearest_segment, street_segments
from layers.services import measurements_import
from mapping.osm_file import read_elements
from tests.exports.tools import HELSINKI_PBF

NOISE = Path(__file__).resolve().parents[1] / "data" / "noise"
CHAMBERY = (Path(__file__).resolve().parents[2] / "mapping" / "data" / "demo"
            / "chambery_centre_2021.osm")


@pytest.fixture(scope="module")
def segments() -> gpd.GeoDataFrame:
    return street_segments(CHAMBERY)


def test_only_streets_become_segments(segments: gpd.GeoDataFrame) -> None:
    assert segments.crs.to_epsg() == 4326
    assert len(segments) == 74  # not the ~2,000 edges buildings would add
    assert set(segments.geom_type) == {"LineString"}
    assert segments["segment"].is_unique
    assert {"tertiary", "pedestrian", "residential"} <= set(segments["highway"])


def test_points_snap_to_a_segment_within_the_distance(segments: gpd.GeoDataFrame) -> None:
    line = segments.geometry.iloc[0]
    points = gpd.GeoDataFrame(geometry=[line.interpolate(0.5, normalized=True), Point(5.95, 45.58)],
                              crs="EPSG:4326")
    keys = nearest_segment(points, segments, metric_crs="EPSG:2154", max_distance_m=25)
    assert keys.iloc[0] is not None
    assert keys.iloc[0] == keys.iloc[0]
    assert keys.isna().iloc[1]


@pytest.fixture
def chambery_gz(tmp_path: Path) -> Path:
    path = tmp_path / "chambery.osm.gz"
    path.write_bytes(gzip.compress(CHAMBERY.read_bytes()))
    return path


def test_compressed_extract_gives_the_same_segments(segments: gpd.GeoDataFrame,
                                                    chambery_gz: Path) -> None:
    assert street_segments(chambery_gz)["segment"].tolist() == segments["segment"].tolist()


def test_clipped_pbf_keeps_only_complete_streets() -> None:
    found = street_segments(HELSINKI_PBF)
    assert len(found) > 50
    assert found.geometry.is_valid.all()
    assert (found["length_m"] > 0).all()


def test_elements_already_read_are_accepted(segments: gpd.GeoDataFrame) -> None:
    assert len(street_segments(read_elements(CHAMBERY))) == len(segments)


@pytest.mark.django_db
def test_overlay_summary_reads_a_gzipped_extract(chambery_june, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 chambery_gz: Path) -> None:
    # It used to end in a raw ParseError: the overlay read .osm files only. (The readings
    # serve the event whose zone and window they fall in: June 2024.)
    event = chambery_june
    measurements_import(paths=[NOISE / "stations_sample.csv"], event=event)
    out = tmp_path / "summary.html"
    call_command("overlay_summary", event.slug, "--output", str(out), "--resamples", "20",
                 "--osm", str(chambery_gz), stdout=io.StringIO())
    assert "Street segments" in out.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_overlay_summary_refuses_a_broken_extract_with_a_message(event, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.osm.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(CommandError, match="cannot be read as OSM data"):
        call_command("overlay_summary", event.slug, "--output", str(tmp_path / "r.html"),
                     "--osm", str(broken), stdout=io.StringIO())
