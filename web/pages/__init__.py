"""HTML pages: the event list, the citizen map, the private follow page."""
