"""Sensors of an event as GeoJSON (a mobile track as its line), with their level figures."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from layers import selectors as layer_selectors
from mapping import selectors

SENSOR_ATTRIBUTION = {
    "licence": "ODbL-1.0",
    "attribution": ("Measurements: NoiseCapture (Université Gustave Eiffel / CNRS, "
                    "noise-planet.org, ODbL), Sensor.Community (ODbL), LASSO (Aumond et al.), "
                    "and the event's own stations"),
}


class EventSensorsApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="events_sensors_list",
                   summary="The event's sensors: readings count, first/last time, LAeq, L10/L50/L90")
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        return Response({"type": "FeatureCollection", **SENSOR_ATTRIBUTION,
                         "features": layer_selectors.sensor_features(event=event)})
