"""Vector tiles served by the product: the event's own base map (``/tiles/{slug}/basemap…``)."""
