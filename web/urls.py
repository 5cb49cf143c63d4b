"""Root URLs: pages, the API under /api/v1/, the admin, i18n."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

handler404 = "web.api.errors.not_found"

urlpatterns = [
    path("api/v1/", include("web.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("desk/", include("web.desk.urls")),
    path("embed/", include("web.desk.embed_urls")),
    path("tiles/", include("web.tiles.urls")),
    path("ogcapi/", include("web.ogcapi.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["web"]), name="javascript-catalog"),
    path("", include("web.pages.urls")),
]
