"""Events: list, detail, create (organisers)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapping import permissions, selectors, services
from web.api import actors, geojson
from web.api.openapi import ref


class EventListCreateApi(APIView):
    class EventCreateInput(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        slug = serializers.CharField(max_length=80)
        zone = serializers.JSONField(help_text="GeoJSON Polygon, WGS84 lon/lat.")
        start = serializers.DateTimeField()
        end = serializers.DateTimeField()
        join_code = serializers.CharField(max_length=32)
        presets = serializers.ListField(child=serializers.CharField(), required=False)
        nuisance_categories = serializers.ListField(child=serializers.CharField(), required=False)
        time_zone = serializers.CharField(required=False, default="Europe/Paris")
        description = serializers.CharField(required=False, default="", allow_blank=True)

    @extend_schema(responses={200: ref("EventList")}, summary="List carto-parties",
                   operation_id="events_list")
    def get(self, request: Request) -> Response:
        return Response({"events": [geojson.event(e) for e in selectors.event_list()]})

    @extend_schema(request=EventCreateInput, responses={201: ref("Event")},
                   summary="Create a carto-party (organisers)")
    def post(self, request: Request) -> Response:
        actor = actors.require_user(request)
        data = self.EventCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        event = services.event_create(
            actor=actor, name=values["name"], slug=values["slug"], zone_geojson=values["zone"],
            starts_at=values["start"], ends_at=values["end"], join_code=values["join_code"],
            presets=values.get("presets"),
            nuisance_categories_offered=values.get("nuisance_categories"),
            time_zone=values["time_zone"], description=values["description"],
        )
        return Response(geojson.event(event, show_join_code=True), status=status.HTTP_201_CREATED)


class EventDetailApi(APIView):
    @extend_schema(responses={200: ref("Event")},
                   summary="A carto-party: zone, presets, categories")
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        organiser = permissions.can_moderate(actors.user(request), event)
        return Response(geojson.event(event, show_join_code=organiser))
