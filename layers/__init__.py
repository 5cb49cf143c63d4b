"""Sensor layers, acoustics and the perceived × measured overlay (issue 3)."""
