"""Writes of the layers app: measurement imports, pushed readings, sensor keys."""

from __future__ import annotations

from layers.services.imports import ImportSummary, measurements_import
from layers.services.ingest import readings_ingest, sensor_issue_key, sensor_register

__all__ = ["ImportSummary", "measurements_import", "readings_ingest", "sensor_issue_key",
           "sensor_register"]
