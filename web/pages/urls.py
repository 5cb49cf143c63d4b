"""Routes of the HTML pages."""

from __future__ import annotations

from django.urls import path

from web.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/<slug:slug>/", views.event_map, name="event-map"),
    path("follow/<str:key>/", views.follow, name="follow"),
]
