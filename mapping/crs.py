"""Which projected CRS to use for metric computations on a zone (pure).

Metropolitan France uses Lambert-93 (EPSG:2154), the national reference; elsewhere the UTM
zone of the geometry's centroid (WGS84 / UTM, EPSG:326xx north, 327xx south).

>>> metric_crs_for(5.92, 45.57)  # Chambéry
'EPSG:2154'
>>> metric_crs_for(24.94, 60.17)  # Helsinki
'EPSG:32635'
"""

from __future__ import annotations

from shapely.geometry import box

# Lambert-93's area of use (EPSG:2154): metropolitan France, Corsica included.
LAMBERT93_AREA = box(-9.86, 41.15, 10.38, 51.56)


def metric_crs_for(lon: float, lat: float) -> str:
    """Return the CRS (``"EPSG:nnnn"``) whose unit is the metre for a WGS84 place."""
    if LAMBERT93_AREA.contains(box(lon, lat, lon, lat)) or LAMBERT93_AREA.covers(
        box(lon, lat, lon, lat)
    ):
        return "EPSG:2154"
    zone = int((lon + 180) // 6) + 1
    zone = min(max(zone, 1), 60)
    return f"EPSG:{32600 + zone if lat >= 0 else 32700 + zone}"
