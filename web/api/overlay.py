"""The perceived × measured overlay of an event: grid cells as GeoJSON, and the HTML report."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from layers import analysis
from mapping import permissions, selectors
from web.api import actors
from web.csp import as_sandboxed_document

PARAMETERS = [
    OpenApiParameter("grid", str, description="square (default) or h3"),
    OpenApiParameter("cell_m", float, description="Square cell side, m (default 100)."),
    OpenApiParameter("h3_resolution", int, description="H3 resolution (default 10 ≈ 66 m)."),
    OpenApiParameter("radius_m", float, description="Report ↔ reading join radius, m."),
    OpenApiParameter("window_s", float, description="Report ↔ reading half time window, s."),
]


class EventOverlayApi(APIView):
    @extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT,
                   operation_id="events_overlay",
                   summary="Grid cells: energetic LAeq, reports, contributors, discrepancy")
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        req = analysis.parse_request(request.query_params)
        exact = permissions.can_see_exact_reports(actors.user(request), event)
        if not exact:
            analysis.check_public(req)
        cells = analysis.grid_cells(event, req)
        body = analysis.cells_geojson(cells, exact=exact, id_column="cell")
        return Response({**body, "parameters": req.__dict__, "metric_crs": analysis.metric_crs(event),
                         "note": ("Perceived figures of cells with fewer than 3 contributors are "
                                  "withheld for the public." if not exact else None)})


class EventOverlayReportApi(APIView):
    @extend_schema(parameters=PARAMETERS, responses={(200, "text/html"): OpenApiTypes.STR},
                   operation_id="events_overlay_report",
                   summary="Self-contained HTML report of the overlay (organisers and officers)")
    def get(self, request: Request, slug: str) -> HttpResponse:
        event = selectors.event_by_slug(slug)
        if not permissions.can_see_exact_reports(actors.require_user(request), event):
            return Response({"detail": "Only this event's organisers and officers.",
                             "code": "notAllowed"}, status=403)
        req = analysis.parse_request(request.query_params)
        try:
            resamples = min(max(int(request.query_params.get("resamples", 2000)), 100), 5000)
        except ValueError:
            resamples = 2000
        # Street segments when settings name an .osm file of this event's zone.
        osm = settings.OVERLAY_STREETS_OSM.get(event.slug)
        osm_path = settings.BASE_DIR / osm if osm else None
        html = analysis.report_html(event, req, tile_url=settings.BASEMAP_TILE_URL,
                                    attribution=settings.BASEMAP_ATTRIBUTION, resamples=resamples,
                                    osm_path=osm_path if osm_path and osm_path.is_file() else None)
        return as_sandboxed_document(HttpResponse(html, content_type="text/html; charset=utf-8"))
