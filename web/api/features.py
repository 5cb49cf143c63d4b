"""Mapped features: list by bbox/status/preset, submit (idempotent), detail."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapping import selectors, services
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
    OpenApiParameter("preset", str, description="A preset id, e.g. amenity/bench."),
]


class FeatureListCreateApi(APIView):
    throttle_classes = [ParticipantRateThrottle]
    throttle_scope = "contribute"

    def get_throttles(self):  # type: ignore[no-untyped-def]
        return super().get_throttles() if self.request.method == "POST" else []

    class FeaturePropertiesInput(serializers.Serializer):
        tags = serializers.JSONField(required=False, default=None,
                                     help_text="OSM tags: an object of key → value strings.")
        preset = serializers.CharField(required=False, default="", allow_blank=True)
        osm = serializers.JSONField(required=False, default=None,
                                    help_text=('{"type", "id", "version"} of the OSM '
                                               "element corrected."))
        consent_osm = serializers.JSONField(required=False, default=False)
        on_behalf_of = serializers.CharField(required=False, default=None, allow_null=True,
                                             help_text="Mediators: the participant's pseudonym.")

    class FeatureInput(EnvelopeSerializer):
        properties = serializers.DictField()

    @extend_schema(parameters=[*FILTERS, *listing.PAGE_PARAMETERS],
                   responses={200: ref("MappedFeaturePage"), 304: None},
                   summary="The event's features as a GeoJSON FeatureCollection, in pages",
                   operation_id="events_features_list")
    def get(self, request: Request, slug: str) -> HttpResponse:
        event = actors.event(request, slug)
        access = selectors.access_of(actors.reader(request), event)

        def answer() -> HttpResponse:
            if items.wants_json(request):  # what the items were rendered before, re-sent
                keys = selectors.feature_keys_page(
                    event=event, statuses=statuses(request),
                    bbox=request.query_params.get("bbox", ""),
                    preset=request.query_params.get("preset", ""),
                    limit=listing.page_size(request), cursor=listing.cursor(request))
                texts = items.feature_texts(keys.items, moderator=access.moderator)
                return items.collection_response(
                    texts, **ATTRIBUTION, **listing.page_members(request, texts,
                                                                 keys.next_cursor))
            page = selectors.features_page(
                event=event, statuses=statuses(request),
                bbox=request.query_params.get("bbox", ""),
                preset=request.query_params.get("preset", ""),
                limit=listing.page_size(request), cursor=listing.cursor(request))
            found = [geojson.feature(f, moderator=access.moderator) for f in page.items]
            return Response(geojson.collection(
                found, **ATTRIBUTION, **listing.page_members(request, found, page.next_cursor)))

        tag = listing.etag(selectors.contributions_version(event).tag, access, request)
        return listing.conditional(request, tag, answer)

    @extend_schema(request={"application/json": ref("MappedFeatureInput")},
                   responses={201: ref("SubmittedFeature"), 200: ref("SubmittedFeature")},
                   summary="Add a tagged feature (participant token)")
    def post(self, request: Request, slug: str) -> Response:
        event = actors.event(request, slug)
        data = self.FeatureInput(data=request.data)
        data.is_valid(raise_exception=True)
        props = self.FeaturePropertiesInput(data=data.validated_data["properties"])
        props.is_valid(raise_exception=True)
        values = props.validated_data
        contribution_id, geometry = envelope(data.validated_data)
        submitted = services.feature_submit(
            event=event, author=author_of(request, values["on_behalf_of"]),
            geometry=geometry, tags=values["tags"], preset=values["preset"], osm=values["osm"],
            consent_osm=values["consent_osm"], contribution_id=contribution_id,
        )
        return submitted_response(submitted, geojson.feature(submitted.contribution,
                                                             history=submitted.history))


class FeatureDetailApi(APIView):
    @extend_schema(responses={200: ref("MappedFeature")},
                   summary="One feature with its history")
    def get(self, request: Request, slug: str, pk: str) -> Response:
        event = actors.event(request, slug)
        moderator = selectors.access_of(actors.reader(request), event).moderator
        item = selectors.feature_in_event(event=event, contribution_id=pk)
        return Response(geojson.feature(item, moderator=moderator))
