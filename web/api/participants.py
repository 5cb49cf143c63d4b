"""Joining an event and following one's own contributions."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapping import selectors, services
from mapping.models import Contributor
from mapping.selectors.profiles import profile_of
from mapping.services import own_data
from web import links
from web.api import actors, geojson
from web.api.openapi import ref
from web.api.throttling import EventJoinThrottle

TOKEN_REQUIRED = _("Send your participant token: 'Authorization: Bearer <token>'.")


def follow_url(request: Request | None, follow_key: str) -> str:
    """The private follow link of a participant, on the configured public address."""
    return links.absolute(reverse("pages:follow", args=[follow_key]))


class ParticipantJoinApi(APIView):
    throttle_classes = [EventJoinThrottle]
    throttle_scope = "join"

    class JoinInput(serializers.Serializer):
        join_code = serializers.CharField(max_length=64, trim_whitespace=False)
        pseudonym = serializers.CharField(max_length=80, trim_whitespace=False)
        profile = serializers.JSONField(
            required=False, default=None,
            help_text="Optional answers (GET /api/v1/profile/questions/ lists them), e.g. "
                      '{"age_band": "25_39", "lives_in_area": "yes"}; any may be left out.')

    @extend_schema(request=JoinInput, responses={201: ref("Joined")},
                   summary="Join a carto-party with its code and a pseudonym")
    def post(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        data = self.JoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        joined = services.contributor_join(
            event=event, join_code=data.validated_data["join_code"],
            pseudonym=data.validated_data["pseudonym"], profile=data.validated_data["profile"],
        )
        body = {
            "token": joined.token,
            "follow_url": follow_url(request, joined.follow_key),
            "pseudonym": joined.contributor.pseudonym,
            "profile": profile_of(joined.contributor),
            "notice": _("Keep this token and link private: they are shown only once."),
        }
        return Response(body, status=status.HTTP_201_CREATED)


def _participant(request: Request) -> Contributor:
    person = actors.participant(request)
    if person is None:
        raise NotAuthenticated(TOKEN_REQUIRED)
    return person


class MyContributionsApi(APIView):
    @extend_schema(responses={200: ref("MyContributions")},
                   summary="My contributions, with their status history (participant token)")
    def get(self, request: Request) -> Response:
        person = _participant(request)
        features, reports = selectors.contributions_of(person)
        return Response({
            "participant": geojson.contributor(person),
            "features": geojson.collection([geojson.feature(f) for f in features]),
            "reports": geojson.collection(
                [geojson.report(v) for v in selectors.own_report_views(person, reports)]),
        })

    @extend_schema(responses={200: ref("Deleted")}, operation_id="me_contributions_delete_all",
                   summary="Delete all my contributions (participant token)")
    def delete(self, request: Request) -> Response:
        count = own_data.own_contributions_delete_all(contributor=_participant(request))
        return Response({"deleted": count})


def own_export(person: Contributor) -> dict[str, Any]:
    """All of a participant's contributions as one GeoJSON FeatureCollection (exact places)."""
    features, reports = selectors.contributions_of(person)
    items = [geojson.feature(f) for f in features] + [
        geojson.report(v) for v in selectors.own_report_views(person, reports)]
    return geojson.collection(items, participant=geojson.contributor(person),
                              profile=profile_of(person),
                              licence="ODbL-1.0", exported_at=timezone.now().isoformat())


def export_response(person: Contributor) -> HttpResponse:
    """The export as a downloadable ``.geojson`` file."""
    body = json.dumps(own_export(person), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    name = f"cartoparty-{person.event.slug}-{timezone.now():%Y%m%d}.geojson"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class MyContributionsExportApi(APIView):
    @extend_schema(responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
                   summary="Download all my contributions as GeoJSON (participant token)")
    def get(self, request: Request) -> HttpResponse:
        return export_response(_participant(request))


class MyContributionDeleteApi(APIView):
    @extend_schema(responses={204: None}, operation_id="me_contribution_delete",
                   summary="Delete one of my contributions (participant token)")
    def delete(self, request: Request, pk: str) -> Response:
        own_data.own_contribution_delete(contributor=_participant(request), contribution_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
