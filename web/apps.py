"""The web app: pages, API, templates and static files."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Cartoparty web"

    def ready(self) -> None:
        from web import database

        database.connect_signals()
