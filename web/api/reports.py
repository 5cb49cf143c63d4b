"""Nuisance reports: list (coarsened for the public), submit (idempotent), detail."""

from __future__ import annotations

import shapely
import shapely.geometry
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapping import permissions, selectors, services
from mapping.models import Event, NuisanceReport
from mapping.privacy import PUBLIC_DECIMALS
from web.api import actors, geojson
from web.api.throttling import ParticipantRateThrottle
from web.api.contributions import (
    ATTRIBUTION,
    EnvelopeSerializer,
    author_of,
    envelope,
    statuses,
    submitted_response,
)

# Coarsened places move by at most half a grid step (mapping.privacy): widen the query by one.
PUBLIC_MARGIN_DEG = 10.0 ** -PUBLIC_DECIMALS

FILTERS = [
    OpenApiParameter("status", str, description="Comma-separated statuses."),
    OpenApiParameter("bbox", str, description="west,south,east,north (WGS84)."),
    OpenApiParameter("category", str, description="A nuisance category, e.g. noise."),
]


def _exact_for(request: Request, event: Event, item: NuisanceReport) -> bool:
    """Officers, organisers and the report's author see its exact place and time."""
    person = actors.participant(request)
    if person is not None and item.author_id == person.pk:
        return True
    return permissions.can_see_exact_reports(actors.user(request), event)


class ReportListCreateApi(APIView):
    throttle_classes = [ParticipantRateThrottle]
    throttle_scope = "contribute"

    def get_throttles(self):  # type: ignore[no-untyped-def]
        return super().get_throttles() if self.request.method == "POST" else []

    class ReportPropertiesInput(serializers.Serializer):
        category = serializers.CharField()
        intensity = serializers.JSONField(help_text="1 (barely noticeable) to 5 (unbearable).")
        sources = serializers.ListField(child=serializers.CharField(), required=False, default=list)
        observed_at = serializers.DateTimeField()
        observed_until = serializers.DateTimeField(required=False, allow_null=True, default=None)
        comment = serializers.CharField(required=False, default="", allow_blank=True,
                                        trim_whitespace=False)
        on_behalf_of = serializers.CharField(required=False, default=None, allow_null=True)

    class ReportInput(EnvelopeSerializer):
        properties = serializers.DictField()

    @extend_schema(parameters=FILTERS, responses=OpenApiTypes.OBJECT,
                   summary="The event's nuisance reports (coarsened unless you are an officer)",
                   operation_id="events_reports_list")
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        moderator = permissions.can_moderate(actors.user(request), event)
        officer = permissions.can_see_exact_reports(actors.user(request), event)
        bbox = request.query_params.get("bbox", "")
        items = selectors.reports_in_event(
            event=event, statuses=statuses(request), bbox=bbox,
            category=request.query_params.get("category", ""),
            bbox_margin_deg=0.0 if officer else PUBLIC_MARGIN_DEG,
        )
        features = [geojson.report(r, exact=_exact_for(request, event, r), moderator=moderator)
                    for r in items]
        if bbox and not officer:
            # Decide on the place the reader sees, or repeated boxes would reveal the exact one.
            box = shapely.from_wkt(selectors.parse_bbox(bbox).wkt)
            features = [f for f in features if box.intersects(shapely.geometry.shape(f["geometry"]))]
        return Response(geojson.collection(features, **ATTRIBUTION))

    @extend_schema(request=ReportInput, responses={201: OpenApiTypes.OBJECT},
                   summary="Report a perceived nuisance (participant token)")
    def post(self, request: Request, slug: str) -> Response:
        event = actors.event(request, slug)
        data = self.ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        props = self.ReportPropertiesInput(data=data.validated_data["properties"])
        props.is_valid(raise_exception=True)
        values = props.validated_data
        contribution_id, geometry = envelope(data.validated_data)
        submitted = services.report_submit(
            event=event, author=author_of(request, values["on_behalf_of"]),
            geometry=geometry, category=values["category"], intensity=values["intensity"],
            sources=values["sources"], observed_at=values["observed_at"],
            observed_until=values["observed_until"], comment=values["comment"],
            contribution_id=contribution_id,
        )
        return submitted_response(submitted, geojson.report(
            submitted.contribution, exact=True, history=submitted.history))


class ReportDetailApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="One report with its history")
    def get(self, request: Request, slug: str, pk: str) -> Response:
        event = selectors.event_by_slug(slug)
        item = selectors.report_in_event(event=event, contribution_id=pk)
        moderator = permissions.can_moderate(actors.user(request), event)
        return Response(geojson.report(item, exact=_exact_for(request, event, item),
                                       moderator=moderator))
