"""Routes of OGC API – Features under ``/ogcapi/`` (each with or without a final slash)."""

from __future__ import annotations

from django.urls import path, re_path

from web.ogcapi import views

app_name = "ogcapi"

COLLECTION = r"collections/(?P<collection_id>[A-Za-z0-9_-]+)"

urlpatterns = [
    path("", views.LandingApi.as_view(), name="landing"),
    re_path(r"^api/?$", views.ApiDefinitionApi.as_view(), name="api"),
    re_path(r"^conformance/?$", views.ConformanceApi.as_view(), name="conformance"),
    re_path(r"^collections/?$", views.CollectionsApi.as_view(), name="collections"),
    re_path(rf"^{COLLECTION}/?$", views.CollectionApi.as_view(), name="collection"),
    re_path(rf"^{COLLECTION}/items/?$", views.ItemsApi.as_view(), name="items"),
    re_path(rf"^{COLLECTION}/items/(?P<item_id>[^/]+)/?$", views.ItemApi.as_view(), name="item"),
    re_path(r"^(?P<rest>.*)$", views.UnknownApi.as_view(), name="unknown"),
]
