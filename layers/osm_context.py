"""Street network of a zone from an OSM XML file, offline, with osmnx (pure).

The only module that imports osmnx. ``graph_from_xml`` turns *every* way into an edge and
fails on clipped extracts, so the file is first reduced to ``highway`` ways whose nodes are
all present (docs: ../shared/docs/osm-export.md §11). Data © OpenStreetMap contributors, ODbL.
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import osmnx as ox
import pandas as pd
from defusedxml.ElementTree import parse as safe_parse

from layers.frames import WGS84

# No network, ever: an accidental *_from_place fails fast on loopback.
ox.settings.use_cache = False
ox.settings.log_console = False
ox.settings.overpass_url = "http://127.0.0.1:9/api"
ox.settings.nominatim_url = "http://127.0.0.1:9/"
SEGMENT_COLUMNS = ("segment", "name", "highway", "length_m", "geometry")


def _streets_only(source: Path, target: Path) -> int:
    """Write the highway ways of ``source`` whose nodes are all present; return their count."""
    root = safe_parse(str(source)).getroot()
    nodes = {n.get("id"): n for n in root.iter("node")}
    out = ET.Element("osm", version="0.6", generator="cartoparty")
    ways, used = [], set()
    for way in root.iter("way"):
        refs = [nd.get("ref") for nd in way.iter("nd")]
        tags = {t.get("k") for t in way.iter("tag")}
        if "highway" in tags and len(refs) > 1 and all(r in nodes for r in refs):
            ways.append(way)
            used.update(refs)
    for node_id in used:
        out.append(nodes[node_id])
    for way in ways:
        out.append(way)
    ET.ElementTree(out).write(target, encoding="utf-8", xml_declaration=True)
    return len(ways)


def street_segments(osm_path: Path | str) -> gpd.GeoDataFrame:
    """Street segments (osmnx edges, simplified, one per direction dropped) of an .osm file.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 lines with ``segment`` (``"u-v"`` of OSM node ids), ``name``, ``highway``
        and ``length_m`` (osmnx's great-circle length, m). Empty when the file has no street.
    """
    with tempfile.TemporaryDirectory() as tmp:
        streets = Path(tmp) / "streets.osm"
        if _streets_only(Path(osm_path), streets) == 0:
            return gpd.GeoDataFrame(columns=list(SEGMENT_COLUMNS), geometry="geometry", crs=WGS84)
        graph = ox.graph_from_xml(streets, bidirectional=False, simplify=True, retain_all=True)
    edges = ox.graph_to_gdfs(graph, nodes=False).reset_index()
    edges = edges[edges["key"] == 0]
    # A two-way street is two edges u→v and v→u with the same geometry: keep one.
    pair = edges[["u", "v"]].min(axis=1).astype(str) + "-" + edges[["u", "v"]].max(axis=1).astype(str)
    edges = edges.assign(segment=pair).drop_duplicates("segment")

    def text(value: object) -> str:
        if isinstance(value, list):
            return ";".join(str(v) for v in value)
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

    frame = gpd.GeoDataFrame({
        "segment": edges["segment"].to_numpy(),
        "name": [text(v) for v in edges.get("name", pd.Series([None] * len(edges)))],
        "highway": [text(v) for v in edges["highway"]],
        "length_m": edges["length"].astype(float).to_numpy(),
    }, geometry=edges.geometry.to_numpy(), crs=edges.crs)
    return frame.to_crs(WGS84).reset_index(drop=True)


def nearest_segment(
    points: gpd.GeoDataFrame, segments: gpd.GeoDataFrame, *, metric_crs: str,
    max_distance_m: float = 25.0,
) -> pd.Series:
    """The segment id nearest to each point within ``max_distance_m`` (m), else NaN."""
    if not len(points) or not len(segments):
        return pd.Series([None] * len(points), index=points.index, dtype="object")
    joined = gpd.sjoin_nearest(
        points[["geometry"]].to_crs(metric_crs), segments[["segment", "geometry"]].to_crs(metric_crs),
        how="left", max_distance=max_distance_m, distance_col="distance_m")
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined["segment"].reindex(points.index)
