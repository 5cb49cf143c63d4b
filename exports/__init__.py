"""OSM-ready and GIS-ready exports (issue 4)."""
