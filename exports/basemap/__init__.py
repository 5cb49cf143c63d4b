"""The event's own base map: vector tiles, TileJSON, MapLibre style and glyphs (pure parts).

``features`` sorts OSM elements into tile layers, ``tiles`` cuts and encodes them, ``style``
writes the TileJSON and the MapLibre style, ``glyphs`` renders the SDF fonts for street
names. Served under ``/tiles/{slug}/basemap/…`` (``web.tiles``). © OpenStreetMap contributors.
"""
