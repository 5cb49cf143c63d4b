"""The layers app."""

from __future__ import annotations

from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
