"""Joining an event and following one's own contributions."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from mapping import selectors, services
from web.api import actors, geojson

TOKEN_REQUIRED = "Send your participant token: 'Authorization: Bearer <token>'."


def follow_url(request: Request, follow_key: str) -> str:
    """The private follow link of a participant, absolute on the host that was called."""
    path = reverse("pages:follow", args=[follow_key])
    return request.build_absolute_uri(path) if request else settings.PUBLIC_BASE_URL + path


class ParticipantJoinApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "join"

    class JoinInput(serializers.Serializer):
        join_code = serializers.CharField(max_length=64, trim_whitespace=False)
        pseudonym = serializers.CharField(max_length=80, trim_whitespace=False)

    @extend_schema(request=JoinInput, responses={201: OpenApiTypes.OBJECT},
                   summary="Join a carto-party with its code and a pseudonym")
    def post(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        data = self.JoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        joined = services.contributor_join(
            event=event, join_code=data.validated_data["join_code"],
            pseudonym=data.validated_data["pseudonym"],
        )
        body = {
            "token": joined.token,
            "follow_url": follow_url(request, joined.follow_key),
            "pseudonym": joined.contributor.pseudonym,
            "notice": "Keep this token and link private: they are shown only once.",
        }
        return Response(body, status=status.HTTP_201_CREATED)


class MyContributionsApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT,
                   summary="My contributions, with their status history (participant token)")
    def get(self, request: Request) -> Response:
        person = actors.participant(request)
        if person is None:
            raise NotAuthenticated(TOKEN_REQUIRED)
        features, reports = selectors.contributions_of(person)
        return Response({
            "participant": geojson.contributor(person),
            "features": geojson.collection([geojson.feature(f) for f in features]),
            "reports": geojson.collection([geojson.report(r, exact=True) for r in reports]),
        })
