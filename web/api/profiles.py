"""The optional participant profile: its questions, and one's own answers (participant token)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapping.profiles import ANSWERS, NO_ANSWER, PURPOSE, PURPOSE_VERSION, QUESTIONS
from mapping.selectors_profile import profile_of
from mapping.services.profiles import profile_declare, profile_delete
from web.api.participants import _participant


def questions() -> dict[str, Any]:
    """The questions, their answers and the purpose, in the active language."""
    return {
        "purpose": gettext(PURPOSE).format(k=settings.REPRESENTATIVITY_K),
        "purpose_version": PURPOSE_VERSION,
        "no_answer": gettext(NO_ANSWER),
        "questions": [
            {"id": question, "text": gettext(QUESTIONS[question]),
             "answers": [{"id": code, "label": gettext(label)}
                         for code, label in ANSWERS[question].items()]}
            for question in ANSWERS],
    }


class ProfileQuestionsApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="profile_questions",
                   summary="The optional profile questions asked at join, and their purpose")
    def get(self, request: Request) -> Response:
        return Response(questions())


class MyProfileApi(APIView):
    class ProfileInput(serializers.Serializer):
        profile = serializers.JSONField(help_text="Answers; an empty object withdraws them.")

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="me_profile",
                   summary="My answers to the optional profile questions (participant token)")
    def get(self, request: Request) -> Response:
        return Response({"profile": profile_of(_participant(request))})

    @extend_schema(request=ProfileInput, responses=OpenApiTypes.OBJECT,
                   operation_id="me_profile_update",
                   summary="Give or change my answers (participant token)")
    def put(self, request: Request) -> Response:
        person = _participant(request)
        data = self.ProfileInput(data=request.data)
        data.is_valid(raise_exception=True)
        stored = profile_declare(contributor=person, answers=data.validated_data["profile"])
        return Response({"profile": None if stored is None else stored.answers()})

    @extend_schema(responses={204: None}, operation_id="me_profile_delete",
                   summary="Delete my answers (participant token)")
    def delete(self, request: Request) -> Response:
        profile_delete(contributor=_participant(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
