"""Street network of a zone from its OSM elements, offline, with osmnx (pure).

The only module that imports osmnx. The elements come from :mod:`mapping.osm_file` (the
product's one reader: any format, clipped extracts). Only ``highway`` ways whose nodes are all
present become edges — osmnx's own XML route turns *every* way into an edge and fails on
clipped extracts (docs: ../shared/docs/osm-export.md §11) — then osmnx simplifies the graph.
Data © OpenStreetMap contributors, ODbL.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import networkx as nx
import osmnx as ox
import pandas as pd

from layers.frames import WGS84
from mapping.osm_file import Element, read_elements

# No network, ever: an accidental *_from_place fails fast on loopback.
ox.settings.use_cache = False
ox.settings.log_console = False
ox.settings.overpass_url = "http://127.0.0.1:9/api"
ox.settings.nominatim_url = "http://127.0.0.1:9/"
SEGMENT_COLUMNS = ("segment", "name", "highway", "length_m", "geometry")
# osmnx's reading of the oneway tag (graph._add_paths), for a graph that is not bidirectional.
ONEWAY = frozenset({"yes", "true", "1", "-1", "reverse", "T", "F"})
REVERSED = frozenset({"-1", "reverse", "T"})


def _is_street(element: Element) -> bool:
    return (element.type == "way" and "highway" in element.tags and element.complete
            and len(element.nodes) > 1)


def street_graph(elements: Iterable[Element]) -> nx.MultiDiGraph:
    """The osmnx graph (EPSG:4326, unsimplified) of the complete ``highway`` ways.

    Edges carry ``osmid``, ``highway``, ``name`` (when tagged), ``oneway``, ``reversed`` and
    ``length`` (great-circle, metres), as ``osmnx.graph_from_xml`` builds them.
    """
    graph = nx.MultiDiGraph(crs=WGS84)
    for way in filter(_is_street, elements):
        refs = [node[0] for node in way.nodes]
        for ref, _version, lon, lat in way.nodes:
            graph.add_node(ref, x=lon, y=lat)
        tags = way.tags
        one_way = tags.get("oneway") in ONEWAY or tags.get("junction") == "roundabout"
        if one_way and tags.get("oneway") in REVERSED:
            refs.reverse()
        attrs = {"osmid": way.id, "highway": tags["highway"], "oneway": one_way}
        if "name" in tags:
            attrs["name"] = tags["name"]
        edges = list(pairwise(refs))
        graph.add_edges_from(edges, **attrs, reversed=False)
        if not one_way:
            graph.add_edges_from([(v, u) for u, v in edges], **attrs, reversed=True)
    return ox.distance.add_edge_lengths(graph) if len(graph.edges) else graph


def street_segments(source: Path | str | Iterable[Element]) -> gpd.GeoDataFrame:
    """Street segments (osmnx edges, simplified, one per direction dropped) of a zone.

    Parameters
    ----------
    source : Path, str or iterable of Element
        An OSM file (any format :func:`mapping.osm_file.read_elements` reads) or elements
        already read (e.g. the event's imported OSM context).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 lines with ``segment`` (``"u-v"`` of OSM node ids), ``name``, ``highway``
        and ``length_m`` (osmnx's great-circle length, m). Empty when there is no street.
    """
    elements = (read_elements(Path(source), wanted=lambda tags: "highway" in tags)
                if isinstance(source, Path | str) else source)
    graph = street_graph(elements)
    if not len(graph.edges):
        return gpd.GeoDataFrame(columns=list(SEGMENT_COLUMNS), geometry="geometry", crs=WGS84)
    graph = ox.simplify_graph(graph)
    edges = ox.graph_to_gdfs(graph, nodes=False).reset_index()
    edges = edges[edges["key"] == 0]
    # A two-way street is two edges u→v and v→u with the same geometry: keep one.
    ends = edges[["u", "v"]]
    pair = ends.min(axis=1).astype(str) + "-" + ends.max(axis=1).astype(str)
    edges = edges.assign(segment=pair).drop_duplicates("segment")

    def text(value: object) -> str:
        if isinstance(value, list):
            return ";".join(str(v) for v in value)
        missing = value is None or (isinstance(value, float) and pd.isna(value))
        return "" if missing else str(value)

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
        points[["geometry"]].to_crs(metric_crs),
        segments[["segment", "geometry"]].to_crs(metric_crs), how="left",
        max_distance=max_distance_m, distance_col="distance_m")
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined["segment"].reindex(points.index)
