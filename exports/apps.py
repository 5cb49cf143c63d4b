"""The exports app: OSM context elements (its model) and the export and import commands."""

from __future__ import annotations

from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
