"""Routes of the API, version 1."""

from __future__ import annotations

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from web.api import (
    changes,
    contributions,
    events,
    exports,
    features,
    ingest,
    nearby,
    overlay,
    participants,
    profiles,
    reports,
    representativity,
    sensors,
)

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its set-up script as a file: no inline script (CSP). Swagger UI
    # sets inline styles, so this one page allows them (styles cannot run code).
    path("docs/", csp_update({"style-src": ["'unsafe-inline'"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
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
    path("events/<slug:slug>/representativity/",
         representativity.EventRepresentativityApi.as_view(), name="representativity"),
    path("events/<slug:slug>/representativity/coverage.geojson",
         representativity.EventRepresentativityCoverageGeoJsonApi.as_view(),
         name="representativity-coverage-geojson"),
    path("events/<slug:slug>/representativity/coverage.csv",
         representativity.EventRepresentativityCoverageApi.as_view(),
         name="representativity-coverage"),
    path("events/<slug:slug>/representativity/export.<str:ext>",
         representativity.EventRepresentativityFileApi.as_view(), name="representativity-file"),
    path("events/<slug:slug>/representativity/summary.html",
         representativity.EventRepresentativitySummaryApi.as_view(),
         name="representativity-summary"),
    path("profile/questions/", profiles.ProfileQuestionsApi.as_view(), name="profile-questions"),
    path("me/profile/", profiles.MyProfileApi.as_view(), name="my-profile"),
    path("events/<slug:slug>/changes/", changes.EventChangesApi.as_view(), name="changes"),
    path("events/<slug:slug>/changes/stream/", changes.changes_stream, name="changes-stream"),
    path("events/<slug:slug>/nearby/", nearby.NearbyApi.as_view(), name="nearby"),
    path("events/<slug:slug>/sensors/", sensors.EventSensorsApi.as_view(), name="sensors"),
    path("events/<slug:slug>/overlay/", overlay.EventOverlayApi.as_view(), name="overlay"),
    path("events/<slug:slug>/overlay/summary.html", overlay.EventOverlaySummaryApi.as_view(),
         name="overlay-summary"),
    path("events/<slug:slug>/overlay/report.html", overlay.EventOverlayReportRedirect.as_view(),
         name="overlay-report-moved"),
    path("sensors/<str:code>/readings/", ingest.SensorReadingsIngestApi.as_view(),
         name="sensor-readings"),
]
