"""Routes of the API, version 1."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from web.api import (
    contributions,
    events,
    exports,
    features,
    ingest,
    nearby,
    overlay,
    participants,
    reports,
    sensors,
)

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("events/", events.EventListCreateApi.as_view(), name="events"),
    path("events/<slug:slug>/", events.EventDetailApi.as_view(), name="event"),
    path("events/<slug:slug>/participants/", participants.ParticipantJoinApi.as_view(),
         name="participants"),
    path("events/<slug:slug>/features/", features.FeatureListCreateApi.as_view(), name="features"),
    path("events/<slug:slug>/features/<str:pk>/", features.FeatureDetailApi.as_view(),
         name="feature"),
    path("events/<slug:slug>/features/<str:pk>/status/",
         contributions.ContributionStatusApi.as_view(kind="features"), name="feature-status"),
    path("events/<slug:slug>/reports/", reports.ReportListCreateApi.as_view(), name="reports"),
    path("events/<slug:slug>/reports/<str:pk>/", reports.ReportDetailApi.as_view(), name="report"),
    path("events/<slug:slug>/reports/<str:pk>/status/",
         contributions.ContributionStatusApi.as_view(kind="reports"), name="report-status"),
    path("events/<slug:slug>/export.<str:ext>", exports.EventExportApi.as_view(), name="export"),
    path("me/contributions/", participants.MyContributionsApi.as_view(), name="my-contributions"),
    path("me/contributions/export/", participants.MyContributionsExportApi.as_view(),
         name="my-contributions-export"),
    path("me/contributions/<str:pk>/", participants.MyContributionDeleteApi.as_view(),
         name="my-contribution"),
    path("events/<slug:slug>/nearby/", nearby.NearbyApi.as_view(), name="nearby"),
    path("events/<slug:slug>/sensors/", sensors.EventSensorsApi.as_view(), name="sensors"),
    path("events/<slug:slug>/overlay/", overlay.EventOverlayApi.as_view(), name="overlay"),
    path("events/<slug:slug>/overlay/summary.html", overlay.EventOverlaySummaryApi.as_view(),
         name="overlay-summary"),
    # Transitional: the desk still reverses "api:overlay-report"; it names the summary now.
    path("events/<slug:slug>/overlay/summary.html", overlay.EventOverlaySummaryApi.as_view(),
         name="overlay-report"),
    path("events/<slug:slug>/overlay/report.html", overlay.EventOverlayReportRedirect.as_view(),
         name="overlay-report-moved"),
    path("sensors/<str:code>/readings/", ingest.SensorReadingsIngestApi.as_view(),
         name="sensor-readings"),
]
