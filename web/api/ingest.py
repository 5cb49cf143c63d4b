"""Stations push batches of readings with their own API key (``Authorization: Sensor <key>``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from layers import services

KEYWORD = "sensor"


def _key(request: Request) -> str:
    parts = request.headers.get("Authorization", "").split()
    return parts[1] if len(parts) == 2 and parts[0].lower() == KEYWORD else ""


class SensorReadingsIngestApi(APIView):
    authentication_classes: list[type] = []  # the sensor's own key, checked by the service

    class ReadingInput(serializers.Serializer):
        measured_at = serializers.DateTimeField(help_text="Start of the period, with UTC offset.")
        duration_s = serializers.FloatField(help_text="Integration period, s (> 0).")
        value = serializers.FloatField()
        quantity = serializers.CharField(required=False, help_text="LAeq (default), LA90, PM2.5…")
        unit = serializers.CharField(required=False, help_text="dB(A) for levels, µg/m³ for PM.")
        lon = serializers.FloatField(required=False, help_text="Mobile sensors: WGS84.")
        lat = serializers.FloatField(required=False)

    class BatchInput(serializers.Serializer):
        readings = serializers.ListField(child=serializers.DictField())

    @extend_schema(request=BatchInput, responses={201: OpenApiTypes.OBJECT},
                   summary="Push a batch of readings (idempotent: same sensor, time, quantity)")
    def post(self, request: Request, code: str) -> Response:
        readings = request.data.get("readings") if isinstance(request.data, dict) else None
        new, existing = services.readings_ingest(code=code, api_key=_key(request),
                                                 readings=readings)
        return Response({"sensor": code, "stored": new, "already_stored": existing},
                        status=status.HTTP_201_CREATED if new else status.HTTP_200_OK)
