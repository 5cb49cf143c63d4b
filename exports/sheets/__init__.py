"""Printable field sheets: one A4 page per grid square with the event's OSM context (PDF).

Presentation, not the domain core: ``pdf`` (reportlab + segno: page, legend, QR code),
``drawing`` (the square's map), ``context`` (the OSM streets, buildings and elements drawn),
``layout`` (one page per square, in metres) are pure; ``selectors`` reads the database.
"""
