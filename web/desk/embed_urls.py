"""Routes of the embeddable widget, under /embed/."""

from __future__ import annotations

from django.urls import path

from web.desk import views_embed

app_name = "embed"

urlpatterns = [
    path("<slug:slug>/", views_embed.embed_map, name="map"),
    path("<slug:slug>/widget.js", views_embed.widget_script, name="script"),
]
