"""SpatiaLite's R*Tree spatial indexes, kept enabled after every migration.

SQLite alters a table by rebuilding it; GeoDjango's SpatiaLite schema editor then leaves the
geometry column registered with ``spatial_index_enabled = 0`` (seen on every table altered
after its creation: features, reports, grid cells, sensors, measurements). Queries through
``mapping.selectors.filters.in_box`` need the index, so after ``migrate`` every geometry
field that asks for one gets it back, filled from the rows already there.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.gis.db.models import GeometryField
from django.db import connections


def missing_indexes(using: str = "default") -> list[tuple[str, str]]:
    """(table, column) of geometry fields wanting a spatial index that SpatiaLite lacks."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    wanted = {(model._meta.db_table.lower(), field.column.lower())
              for model in apps.get_models() for field in model._meta.local_fields
              if isinstance(field, GeometryField) and field.spatial_index}
    with connection.cursor() as cursor:
        cursor.execute("SELECT f_table_name, f_geometry_column, spatial_index_enabled "
                       "FROM geometry_columns")
        enabled = {(table, column): flag for table, column, flag in cursor.fetchall()}
    return sorted(key for key in wanted if key in enabled and not enabled[key])


def ensure_indexes(using: str = "default") -> list[tuple[str, str]]:
    """Create (and fill) the missing spatial indexes; the ones made."""
    made = missing_indexes(using)
    with connections[using].cursor() as cursor:
        for table, column in made:
            # The old R*Tree of the rebuilt table lingers, stale: drop it, then build anew
            # (CreateSpatialIndex fills the index from the rows already there).
            cursor.execute(f'DROP TABLE IF EXISTS "idx_{table}_{column}"')
            cursor.execute("SELECT CreateSpatialIndex(%s, %s)", [table, column])
    return made


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` receiver."""
    ensure_indexes(using)
