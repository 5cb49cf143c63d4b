"""Routes of the tiles: base map tiles, TileJSON, MapLibre style, glyphs; data tiles."""

from __future__ import annotations

from django.urls import path

from web.tiles import data, views

app_name = "tiles"

urlpatterns = [
    path("fonts/<str:fontstack>/<int:start>-<int:end>.pbf", views.glyphs, name="glyphs"),
    path("<slug:slug>/basemap/", views.basemap_page, name="basemap-page"),
    path("<slug:slug>/basemap.json", views.basemap_tilejson, name="basemap-tilejson"),
    path("<slug:slug>/basemap/offline.json", views.basemap_offline, name="basemap-offline"),
    path("<slug:slug>/basemap/style.json", views.basemap_style, name="basemap-style"),
    path(
        "<slug:slug>/basemap/<int:z>/<int:x>/<int:y>.mvt", views.basemap_tile, name="basemap-tile"
    ),
    # The event's data (features, reports, sensors, overlay): after the base map's routes.
    path("<slug:slug>/<slug:layer>.json", data.DataTileJsonApi.as_view(), name="data-tilejson"),
    path(
        "<slug:slug>/<slug:layer>/<int:z>/<int:x>/<int:y>.mvt",
        data.DataTileApi.as_view(),
        name="data-tile",
    ),
]
