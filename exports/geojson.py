"""GeoJSON (RFC 7946) FeatureCollection, streamed feature by feature (pure).

Tags become properties as they are; Cartoparty's own fields are prefixed with ``@`` (as
``osmium export`` does) so no tag is shadowed. Licence and attribution are foreign members of
the collection. Polygons are oriented counter-clockwise (RFC 7946 §3.1.6); coordinates keep
7 decimals, OSM's precision.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from exports.records import ExportData, FeatureRecord


def rfc7946_geometry(geometry: BaseGeometry) -> dict[str, Any]:
    """The geometry as a GeoJSON dict, rings oriented as RFC 7946 asks, 7 decimals."""
    if isinstance(geometry, Polygon):
        geometry = orient(geometry, sign=1.0)
    elif isinstance(geometry, MultiPolygon):
        geometry = MultiPolygon([orient(p, sign=1.0) for p in geometry.geoms])
    rounded: dict[str, Any] = json.loads(json.dumps(mapping(geometry)),
                                         parse_float=lambda s: round(float(s), 7))
    return rounded


def feature_properties(record: FeatureRecord) -> dict[str, Any]:
    """Tags plus ``@id``, ``@status``, ``@preset``, ``@osm`` and ``@created_at``."""
    properties: dict[str, Any] = dict(record.tags)
    properties.update({
        "@id": record.id, "@status": record.status, "@preset": record.preset,
        "@osm": f"{record.osm_type}/{record.osm_id}" if record.osm_id else None,
        "@created_at": record.created_at.isoformat() if record.created_at else None,
    })
    return properties


def write_geojson(data: ExportData, path: Path) -> int:
    """Write the features of ``data`` to ``path``; returns how many were written."""
    count = 0
    with path.open("w", encoding="utf-8") as stream:
        head = {"type": "FeatureCollection", "name": data.meta.event_slug,
                "licence": data.meta.licence, "attribution": data.meta.attribution}
        stream.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n')
        for record in data.features:
            feature = {"type": "Feature", "id": record.id,
                       "geometry": rfc7946_geometry(record.geometry),
                       "properties": feature_properties(record)}
            stream.write(("" if count == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
            count += 1
        stream.write("\n]}\n")
    return count
