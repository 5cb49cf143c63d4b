"""Sensors serving an event as GeoJSON (a mobile track as its line), with their level figures."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from layers.selectors.sensors import sensors_collection
from mapping import selectors

SENSOR_ATTRIBUTION = {
    "licence": "ODbL-1.0",
    "attribution": ("Measurements: NoiseCapture (Université Gustave Eiffel / CNRS, "
                    "noise-planet.org, ODbL), Sensor.Community (ODbL), LASSO (Aumond et al.), "
                    "and the event's own stations"),
}


class EventSensorsApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="events_sensors_list",
                   summary=("The sensors measuring in the event's zone and window: readings, "
                            "first/last time, LAeq (whole record and located part), L10/L50/L90; "
                            "those left out of the overlay listed apart with the reason"))
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.event_by_slug(slug)
        return Response({**sensors_collection(event=event, translate=gettext),
                         **SENSOR_ATTRIBUTION})
