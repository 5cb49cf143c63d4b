"""Routes of the HTML pages."""

from __future__ import annotations

from django.urls import path

from web.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/<slug:slug>/", views.event_map, name="event-map"),
    path("events/<slug:slug>/join-qr.svg", views.join_qr, name="join-qr"),
    path("follow/<str:key>/", views.follow, name="follow"),
    path("follow/<str:key>/export.geojson", views.follow_export, name="follow-export"),
    path("sw.js", views.service_worker, name="service-worker"),
]
