"""The organisers' desk: preparing and running a carto-party, the officer view, the widget."""

from __future__ import annotations

from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "web.desk"
    label = "desk"
    verbose_name = "Cartoparty desk"
