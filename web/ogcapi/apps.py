"""The OGC API – Features app (``/ogcapi/``)."""

from __future__ import annotations

from django.apps import AppConfig


class OgcApiConfig(AppConfig):
    name = "web.ogcapi"
    label = "ogcapi"
    verbose_name = "OGC API – Features"
