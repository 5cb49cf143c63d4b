"""Nuisance reports: list (as the reader may see them), submit (idempotent), detail."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapping import selectors, services
from mapping.selectors import WRITER
from web.api import actors, geojson, items, listing
from web.api.contributions import (
    ATTRIBUTION,
    EnvelopeSerializer,
    author_of,
    envelope,
    statuses,
    submitted_response,
)
from web.api.openapi import ref
from web.api.throttling import ParticipantRateThrottle

FILTERS = [
    OpenApiParameter("status", str, description="Comma-separated statuses."),
    OpenApiParameter("bbox", str, description="west,south,east,north (WGS84)."),
    OpenApiParameter("category", str, description="A nuisance category, e.g. noise."),
]


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
        soundscape = serializers.JSONField(
            required=False, default=None, allow_null=True,
            help_text="Optional ISO 12913 part of a noise report, when the event offers it: "
                      "pleasant, chaotic, vibrant, uneventful, calm, annoying, eventful, "
                      "monotonous (required, 1–5), loudness and overall (optional, 1–5), "
                      "site (optional: the name of one of the event's sites).")

    class ReportInput(EnvelopeSerializer):
        properties = serializers.DictField()

    @extend_schema(parameters=[*FILTERS, *listing.PAGE_PARAMETERS],
                   responses={200: ref("ReportPage"), 304: None},
                   summary="The event's nuisance reports (coarsened unless you are an officer), "
                           "in pages", operation_id="events_reports_list")
    def get(self, request: Request, slug: str) -> HttpResponse:
        event = actors.event(request, slug)
        reader = actors.reader(request)
        access = selectors.access_of(reader, event)

        def answer() -> HttpResponse:
            if items.wants_json(request):  # what the items were rendered before, re-sent
                keys = selectors.report_keys_page(
                    event=event, access=access, statuses=statuses(request),
                    bbox=request.query_params.get("bbox", ""),
                    category=request.query_params.get("category", ""),
                    limit=listing.page_size(request), cursor=listing.cursor(request))
                texts = items.report_texts(keys.items, access)
                return items.collection_response(
                    texts, **ATTRIBUTION, **listing.page_members(request, texts,
                                                                 keys.next_cursor))
            page = selectors.report_views_page(
                event=event, reader=reader, statuses=statuses(request),
                bbox=request.query_params.get("bbox", ""),
                category=request.query_params.get("category", ""),
                limit=listing.page_size(request), cursor=listing.cursor(request), access=access)
            found = [geojson.report(v) for v in page.items]
            return Response(geojson.collection(
                found, **ATTRIBUTION, **listing.page_members(request, found, page.next_cursor)))

        tag = listing.etag(selectors.contributions_version(event).tag, access, request)
        return listing.conditional(request, tag, answer)

    @extend_schema(request={"application/json": ref("ReportInput")},
                   responses={201: ref("SubmittedReport"), 200: ref("SubmittedReport")},
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
            contribution_id=contribution_id, soundscape=values["soundscape"],
        )
        item = geojson.report(selectors.report_view(submitted.contribution, WRITER,
                                                    history=submitted.history))
        if values["soundscape"] is not None:
            item["properties"]["soundscape"] = selectors.soundscape_of(submitted.contribution)
        return submitted_response(submitted, item)


class ReportDetailApi(APIView):
    @extend_schema(responses={200: ref("Report")}, summary="One report with its history")
    def get(self, request: Request, slug: str, pk: str) -> Response:
        view = selectors.report_view_in_event(event=actors.event(request, slug),
                                              reader=actors.reader(request), contribution_id=pk)
        return Response(geojson.report(view))
