"""The OSM context of an event: every tagged OpenStreetMap element of its extract.

Loaded offline from an extract by ``cartoparty import_osm``; read by the conflation selector
("is it this one?"), by the OSM writers, which need the real id and the version an edit
starts from, by the field sheets and the base map (streets, buildings, water, land use,
addresses). Data © OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from mapping.models import Event


class OsmElement(models.Model):
    """An existing tagged OSM node, way or relation of an event's extract."""

    class ElementType(models.TextChoices):
        NODE = "node", "node"
        WAY = "way", "way"
        RELATION = "relation", "relation"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="osm_elements")
    osm_type = models.CharField(max_length=8, choices=ElementType.choices)
    osm_id = models.BigIntegerField()
    version = models.PositiveIntegerField()
    tags = models.JSONField(default=dict)
    # The preset this element matches ("amenity/bench"), "" for none: conflation compares them.
    preset_id = models.CharField(max_length=64, db_index=True, blank=True, default="")
    # Full geometry where the extract allows it, else the representative point (WGS84).
    geometry = models.GeometryField(srid=4326)
    # Representative point, as plain floats so a bbox prefilter works on both backends.
    lon = models.FloatField(db_index=True)
    lat = models.FloatField(db_index=True)
    # Ways: [[node id, version, lon, lat], …] — JOSM needs every node of a modified way.
    nodes = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("OSM element")
        ordering = ["osm_type", "osm_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "osm_type", "osm_id"], name="unique_osm_element_in_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.osm_type}/{self.osm_id} v{self.version} ({self.preset_id or '-'})"


class Basemap(models.Model):
    """The event's base map as last built from its OSM context: what the TileJSON says."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="basemap")
    # Digest of every tile: part of the tile URLs, so a new import means new URLs.
    version = models.CharField(max_length=32)
    west = models.FloatField()
    south = models.FloatField()
    east = models.FloatField()
    north = models.FloatField()
    min_zoom = models.PositiveSmallIntegerField()
    max_zoom = models.PositiveSmallIntegerField()
    tiles = models.PositiveIntegerField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("base map")

    def __str__(self) -> str:
        return f"{self.event} z{self.min_zoom}-{self.max_zoom} ({self.tiles} tiles)"


class BasemapTile(models.Model):
    """One vector tile (MVT) of an event's base map, in the database so that every web
    process on every machine serves the same bytes with the same ETag."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="basemap_tiles")
    z = models.PositiveSmallIntegerField()
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    data = models.BinaryField()
    etag = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("base map tile")
        constraints = [
            models.UniqueConstraint(fields=["event", "z", "x", "y"],
                                    name="unique_basemap_tile_in_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.z}/{self.x}/{self.y}"
