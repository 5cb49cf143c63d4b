"""What the feature and report endpoints share: the GeoJSON envelope and moderation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapping import selectors, services
from mapping.models import MappedFeature
from mapping.services.contributions import Author, Submitted, author_for, parse_id
from web.api import actors, geojson
from web.api.openapi import ref

ATTRIBUTION = {
    "licence": "ODbL-1.0",
    "attribution": "Cartoparty contributors; base data © OpenStreetMap contributors (ODbL)",
}


class EnvelopeSerializer(serializers.Serializer):
    """A GeoJSON Feature: ``type``, optional client ``id`` (UUID), geometry, properties."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.JSONField(required=False, allow_null=True,
                               help_text="Client-chosen UUID: sending it twice stores once.")
    geometry = serializers.JSONField(allow_null=True)


def author_of(request: Request, on_behalf_of: str | None) -> Author:
    """The participant behind a POST, or the mediator entering for ``on_behalf_of``."""
    return author_for(participant=actors.participant(request), user=actors.user(request),
                      on_behalf_of=on_behalf_of)


def submitted_response(submitted: Submitted[Any], body: dict[str, Any]) -> Response:
    """201 with what was stored, 200 for a replayed id; the tag rules' warnings beside it."""
    warnings = [{"code": w.code, "message": w.render(gettext), "field": w.field}
                for w in submitted.warnings]
    return Response({**body, "warnings": warnings},
                    status=status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK)


def envelope(data: dict[str, Any]) -> tuple[Any, Any]:
    """The client id and geometry of a validated envelope."""
    return parse_id(data.get("id")), data["geometry"]


def statuses(request: Request) -> list[str]:
    """``?status=accepted,received`` → a list of statuses."""
    raw = request.query_params.get("status", "")
    return [part for part in raw.split(",") if part]


class ContributionStatusApi(APIView):
    """POST …/{kind}/{id}/status/ — organisers accept, merge or reject."""

    kind = "features"

    class StatusInput(serializers.Serializer):
        status = serializers.CharField()
        reason = serializers.CharField(required=False, default="", allow_blank=True,
                                       max_length=1000)
        merged_into = serializers.UUIDField(required=False, allow_null=True, default=None)
        version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                           help_text="The version you saw; 409 if it changed.")

    @extend_schema(request=StatusInput,
                   responses={200: {"oneOf": [ref("MappedFeature"), ref("Report")]}},
                   summary="Moderate a contribution (organisers)")
    def post(self, request: Request, slug: str, pk: str) -> Response:
        actor = actors.require_user(request)
        event = selectors.event_by_slug(slug)
        find = selectors.feature_in_event if self.kind == "features" else selectors.report_in_event
        item = find(event=event, contribution_id=pk)
        data = self.StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        decided = services.contribution_set_status(
            contribution=item, actor=actor, status=values["status"], reason=values["reason"],
            merged_into=values["merged_into"], expected_version=values["version"],
        )
        access = selectors.access_of(actors.reader(request), event)
        if isinstance(decided.contribution, MappedFeature):
            return Response(geojson.feature(decided.contribution, moderator=access.moderator,
                                            history=decided.history))
        return Response(geojson.report(selectors.report_view(
            decided.contribution, access, history=decided.history)))
