"""The mapping app."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MappingConfig(AppConfig):
    name = "mapping"
    verbose_name = _("Carto-parties")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from mapping import spatial_index

        post_migrate.connect(spatial_index.after_migrate, sender=self,
                             dispatch_uid="cartoparty-spatial-indexes")
