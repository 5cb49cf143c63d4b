"""The perceived × measured overlay of an event: grid cells as GeoJSON, and the HTML summary."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import get_language, gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exports import selectors as export_selectors
from layers.overlay_figures import cells_feature_collection
from layers.overlay_parameters import OverlayParameters
from layers.selectors import overlay as overlay_selectors
from mapping import selectors
from mapping.privacy import MIN_PUBLIC_CONTRIBUTORS, PUBLIC_H3_RESOLUTIONS, PUBLIC_SQUARE_CELLS_M
from web.api import actors
from web.api.openapi import ref
from web.csp import as_sandboxed_document

PUBLIC_SIZES = (f"public readers: {', '.join(map(str, PUBLIC_SQUARE_CELLS_M))} m; organisers "
                "and officers: 5–5000 m")


class OverlayQuery(serializers.Serializer):
    """The overlay's query parameters; absent ones take the reader's defaults."""

    grid = serializers.ChoiceField(choices=["square", "h3"], required=False)
    cell_m = serializers.FloatField(required=False,
                                    help_text=f"Square cell side, m ({PUBLIC_SIZES}).")
    h3_resolution = serializers.IntegerField(required=False, help_text=(
        f"H3 resolution (public readers: {', '.join(map(str, PUBLIC_H3_RESOLUTIONS))}; "
        "organisers and officers: 6–13)."))
    radius_m = serializers.FloatField(required=False, help_text="Report ↔ reading join radius, m.")
    window_s = serializers.FloatField(required=False,
                                      help_text="Report ↔ reading half time window, s.")
    bbox = serializers.CharField(required=False,
                                 help_text="west,south,east,north (WGS84): cells meeting it.")
    resamples = serializers.IntegerField(required=False, min_value=100, max_value=5000,
                                         help_text="Bootstrap resamples of the summary.")

    def validate_bbox(self, raw: str) -> tuple[float, float, float, float]:
        try:
            west, south, east, north = (float(v) for v in raw.split(","))
        except ValueError:
            msg = gettext("bbox must be four numbers: west,south,east,north.")
            raise serializers.ValidationError(msg) from None
        return west, south, east, north


PARAMETERS = [OpenApiParameter(name, str if name in {"grid", "bbox"} else float,
                               description=str(field.help_text or ""))
              for name, field in OverlayQuery().fields.items()]


def _given(request: Request) -> dict[str, Any]:
    query = OverlayQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class EventOverlayApi(APIView):
    @extend_schema(parameters=PARAMETERS, responses={200: ref("Overlay")},
                   operation_id="events_overlay",
                   summary="Grid cells: energetic LAeq, reports, contributors, discrepancy")
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        given = _given(request)
        resamples = given.pop("resamples", 2000)
        found = overlay_selectors.overlay_cells(event=event, reader=actors.user(request),
                                                given=given)
        # The soundscape figures (ISO 12913) are exact: organisers and officers only.
        soundscape = overlay_selectors.soundscape_statistics(
            event=event, params=found.parameters, resamples=resamples,
            translate=gettext) if found.exact else None
        body = cells_feature_collection(found.cells)
        note = None if found.exact else gettext(overlay_selectors.PUBLIC_NOTE).format(
            min=MIN_PUBLIC_CONTRIBUTORS)
        return Response({**body, "parameters": found.parameters.as_dict(),
                         "metric_crs": found.metric_crs, "note": note,
                         "left_out": [item.as_dict(gettext) for item in found.left_out],
                         "soundscape": soundscape})


class EventOverlaySummaryApi(APIView):
    @extend_schema(parameters=PARAMETERS, responses={(200, "text/html"): OpenApiTypes.STR},
                   operation_id="events_overlay_summary",
                   summary="Self-contained HTML summary of the overlay (organisers and officers)")
    def get(self, request: Request, slug: str) -> HttpResponse:
        event = selectors.event_by_slug(slug)
        reader = actors.require_user(request)
        given = _given(request)
        resamples = given.pop("resamples", 2000)
        # Street segments when settings name an .osm file of this event's zone.
        osm = settings.OVERLAY_STREETS_OSM.get(event.slug)
        osm_path = settings.BASE_DIR / osm if osm else None
        html = overlay_selectors.overlay_summary_for(
            reader=reader, event=event, params=OverlayParameters.for_reader(given, exact=True),
            tile_url=settings.BASEMAP_TILE_URL, attribution=settings.BASEMAP_ATTRIBUTION,
            resamples=resamples, osm_path=osm_path if osm_path and osm_path.is_file() else None,
            translate=gettext, language=get_language() or "en",
            basemap=export_selectors.document_basemap(event=event))
        return as_sandboxed_document(HttpResponse(html, content_type="text/html; charset=utf-8"))


class EventOverlayReportRedirect(APIView):
    """The summary's former address (``…/overlay/report.html``): a permanent redirect."""

    @extend_schema(responses={301: None}, operation_id="events_overlay_report", deprecated=True,
                   summary="Former address of the overlay summary: moved to summary.html")
    def get(self, request: Request, slug: str) -> HttpResponsePermanentRedirect:
        target = reverse("api:overlay-summary", args=[slug])
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
