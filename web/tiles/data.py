"""Vector tiles of the event's data: ``/tiles/{slug}/{layer}/{z}/{x}/{y}.mvt`` and TileJSON.

Layers ``features``, ``reports``, ``sensors``, ``overlay`` (:mod:`exports.datatiles`). The
reader is authenticated as on the API (participant token, user token, session): who sees
what is decided by the selectors (``exports.selectors_tiles``), never here. An unchanged tile
is a 304 (``If-None-Match``); a tile holding exact places is ``Cache-Control: private``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exports import datatiles
from exports.selectors_tiles import data_tile_bytes, data_tile_state
from web.api import actors
from web.api.contributions import ATTRIBUTION
from web.links import absolute

MVT = "application/vnd.mapbox-vector-tile"


class AnyAccept(BaseContentNegotiation):
    """Tiles are MVT whatever a client's ``Accept`` says; errors are JSON (not a 406)."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], str(renderers[0].media_type)


def _headers(response: HttpResponse, tag: str, *, private: bool) -> HttpResponse:
    response["ETag"] = tag
    # Revalidated on each use (a 304 costs one indexed query); shared caches only for
    # public tiles, which hold no reader's own places.
    response["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
    response["Vary"] = "Authorization, Cookie"
    if not private:
        response["Access-Control-Allow-Origin"] = "*"  # any map may embed the public layers
    return response


# The data layers a tile or a TileJSON names (anything else: 404).
LAYER = OpenApiParameter("layer", str, OpenApiParameter.PATH, enum=list(datatiles.LAYERS),
                         description="features, reports (public: coarsened places), sensors "
                                     "or overlay cells")


class DataTileApi(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAccept

    @extend_schema(
        parameters=[LAYER],
        responses={(200, MVT): OpenApiTypes.BINARY, 204: None, 304: None},
        operation_id="tiles_data_tile",
        summary=(
            "A vector tile of the event's features, reports (public: coarsened "
            "places), sensors or overlay cells"
        ),
    )
    def get(self, request: Request, slug: str, layer: str, z: int, x: int, y: int) -> HttpResponse:
        event = actors.event(request, slug)
        state = data_tile_state(
            event=event, layer=layer, reader=actors.reader(request), z=z, x=x, y=y
        )
        tag = f'"{state.etag}"'
        asked = {value.strip() for value in request.headers.get("If-None-Match", "").split(",")}
        if tag in asked or f"W/{tag}" in asked:
            return _headers(HttpResponse(status=304), tag, private=state.private)
        data = data_tile_bytes(state)
        response = HttpResponse(data, content_type=MVT) if data else HttpResponse(status=204)
        return _headers(response, tag, private=state.private)


class DataTileJsonApi(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAccept

    @extend_schema(
        parameters=[LAYER],
        responses=OpenApiTypes.OBJECT,
        operation_id="tiles_data_tilejson",
        summary="TileJSON 3.0.0 of one data layer of the event",
    )
    def get(self, request: Request, slug: str, layer: str) -> Response:
        event = actors.event(request, slug)
        datatiles.check_layer(layer)
        template = reverse("tiles:data-tile", args=[slug, layer, 0, 0, 0]).replace(
            "/0/0/0.mvt", "/{z}/{x}/{y}.mvt"
        )
        body = datatiles.tilejson(
            layer=layer,
            name=event.name,
            tiles_url=absolute(template),
            bounds=event.zone.extent,
            attribution=ATTRIBUTION["attribution"],
        )
        response = Response(body)
        response["Cache-Control"] = "public, max-age=60"
        response["Access-Control-Allow-Origin"] = "*"
        return response


__all__ = ["DataTileApi", "DataTileJsonApi"]
