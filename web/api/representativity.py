"""Who took part and who did not: the representativity document, its files and its summary."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exports import selectors as export_selectors
from exports.representativity import representativity_files, write_coverage_csv
from layers import selectors_representativity as reads
from layers.representativity.summary import SUMMARY_NAME
from mapping import selectors
from mapping.errors import N_, NotAllowed, NotFound
from web.api import actors

FILES_FORBIDDEN = N_("Representativity files and summaries are for this event's organisers "
                     "and GIS officers.")
FORMATS = {"csv": "text/csv", "gpkg": "application/geopackage+sqlite3"}
PARAMETERS = [
    OpenApiParameter("bbox", str, description="west,south,east,north (WGS84): map cells and "
                     "1 km areas (public), contributions (organisers)."),
    OpenApiParameter("since", str, description="ISO 8601; without offset, the event's time."),
    OpenApiParameter("until", str, description="ISO 8601, excluded."),
    OpenApiParameter("channel", str, description="Comma-separated: self, mediator, paper, "
                     "import."),
    OpenApiParameter("public", bool, description="Organisers: see what the public sees."),
]


def _flag(request: Request, name: str) -> bool:
    return str(request.query_params.get(name, "")).lower() in {"1", "true", "yes"}


class EventRepresentativityApi(APIView):
    @extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT,
                   operation_id="events_representativity",
                   summary="Coverage, concentration, time, profile and the suppression rule "
                           "(organisers and officers; anyone else gets the public variant)")
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        query = reads.parse_query(request.query_params, event=event)
        public = not reads.sees_exact(actors.user(request), event) or _flag(request, "public")
        result = reads.event_representativity(event=event, public=public, query=query,
                                              k=settings.REPRESENTATIVITY_K, translate=gettext)
        response = Response(result.document)
        response["Cache-Control"] = "private, no-store" if not public else "public, max-age=60"
        return response


class EventRepresentativityCoverageGeoJsonApi(APIView):
    """The map cells and 1 km areas as one GeoJSON FeatureCollection, for a map to draw the
    blank spots: the same audiences as the document (organisers and officers exact, anyone
    else the public variant; ``public=true`` lets organisers preview it)."""

    @extend_schema(parameters=PARAMETERS, responses={(200, "application/geo+json"):
                                                     OpenApiTypes.OBJECT},
                   operation_id="events_representativity_coverage_geojson",
                   summary="Map cells (covered, blank spots) and 1 km areas as GeoJSON")
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        query = reads.parse_query(request.query_params, event=event)
        public = not reads.sees_exact(actors.user(request), event) or _flag(request, "public")
        coverage = reads.event_representativity(
            event=event, public=public, query=query, k=settings.REPRESENTATIVITY_K,
            translate=gettext).document["coverage"]
        items = [
            {**f, "properties": {**f["properties"], "level": level}}
            for level, name in (("cell_200m", "cells"), ("area_1km", "areas"))
            for f in coverage[name]["features"]]
        response = Response({"type": "FeatureCollection", "features": items,
                             "suppression": {"k": settings.REPRESENTATIVITY_K,
                                             "audience": "public" if public else "organisers"}},
                            content_type="application/geo+json")
        response["Cache-Control"] = "private, no-store" if not public else "public, max-age=60"
        return response


def _organiser_only(request: Request, slug: str):  # type: ignore[no-untyped-def]
    event = selectors.event_by_slug(slug)
    if not reads.sees_exact(actors.require_user(request), event):
        raise NotAllowed(FILES_FORBIDDEN)
    return event


class EventRepresentativityFileApi(APIView):
    refuses_readers = True  # OpenAPI: 403 for readers who may not download
    """The public-grade numbers as a CSV table or a GeoPackage (suppression applied)."""

    @extend_schema(parameters=PARAMETERS[:4], responses={(200, "*/*"): OpenApiTypes.BINARY},
                   operation_id="events_representativity_file",
                   summary="The numbers as .csv or .gpkg, suppression applied (organisers, "
                           "officers)")
    def get(self, request: Request, slug: str, ext: str) -> FileResponse:
        if ext not in FORMATS:
            msg = f"No representativity file .{ext}; known: {', '.join(FORMATS)}."
            raise NotFound(msg)
        event = _organiser_only(request, slug)
        result = reads.event_representativity(
            event=event, public=True, query=reads.parse_query(request.query_params, event=event),
            k=settings.REPRESENTATIVITY_K, translate=gettext)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{event.slug}-representativity.{ext}"
            representativity_files(result, path, event_name=event.name)
            handle = path.open("rb")  # the open handle outlives the deleted folder (POSIX)
        return FileResponse(handle, as_attachment=True, filename=path.name,
                            content_type=FORMATS[ext])


class EventRepresentativityCoverageApi(APIView):
    """The coverage per map cell and 1 km area as CSV (suppression applied)."""

    @extend_schema(parameters=PARAMETERS[:4], responses={(200, "text/csv"): OpenApiTypes.BINARY},
                   operation_id="events_representativity_coverage",
                   summary="Coverage per 200 m map cell and 1 km area as CSV, suppression "
                           "applied (organisers, officers)")
    def get(self, request: Request, slug: str) -> FileResponse:
        event = _organiser_only(request, slug)
        result = reads.event_representativity(
            event=event, public=True, query=reads.parse_query(request.query_params, event=event),
            k=settings.REPRESENTATIVITY_K, translate=gettext)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{event.slug}-representativity-coverage.csv"
            write_coverage_csv(result, path)
            handle = path.open("rb")  # the open handle outlives the deleted folder (POSIX)
        return FileResponse(handle, as_attachment=True, filename=path.name,
                            content_type="text/csv")


class EventRepresentativitySummaryApi(APIView):
    """A self-contained HTML document: map of blank spots, Lorenz curve, hours, tables."""

    @extend_schema(parameters=PARAMETERS, responses={(200, "text/html"): OpenApiTypes.STR},
                   operation_id="events_representativity_summary",
                   summary="Self-contained HTML summary to download (organisers, officers); "
                           "suppression applied unless public=false")
    def get(self, request: Request, slug: str) -> HttpResponse:
        event = _organiser_only(request, slug)
        public = str(request.query_params.get("public", "true")).lower() not in {"0", "false", "no"}
        result = reads.event_representativity(
            event=event, public=public, query=reads.parse_query(request.query_params, event=event),
            k=settings.REPRESENTATIVITY_K, translate=gettext)
        html = reads.event_summary_html(result, event=event, translate=gettext,
                                        basemap=export_selectors.document_basemap(event=event))
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        name = SUMMARY_NAME.format(slug=event.slug)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
