"""Reads of the layers app, grouped by what they read: ``sensors`` (sensors, measurements and
reports as frames) and ``overlay`` (an event's perceived × measured overlay)."""
