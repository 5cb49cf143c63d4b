"""The endpoints of ``/ogcapi/``: parse the request, call one reader of the catalogue or of
the items, shape the answer (JSON; GeoJSON for items). No view decides what a reader sees."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from mapping import selectors
from web.api import actors, listing
from web.api.contributions import ATTRIBUTION
from web.api.items import collection_response
from web.api.sensors import SENSOR_ATTRIBUTION
from web.ogcapi import catalogue, crs, items, openapi, params
from web.ogcapi.catalogue import GEOJSON, JSON, CollectionRef
from web.ogcapi.errors import OgcError, exception_handler

PAGING_NAMES = ("cursor", "offset")


class JsonOnly(BaseContentNegotiation):
    """Every answer is JSON, whatever ``Accept`` says (GDAL asks for application/geo+json,
    OWSLib for application/json): the media type is set by each view."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type


class OgcView(APIView):
    """Read-only, JSON, errors as OGC exceptions; authentication as in ``/api/v1/``."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnly
    http_method_names = ["get", "head", "options"]
    # Described by its own OpenAPI document (/ogcapi/api), not by /api/v1/schema/.
    schema = None

    def get_exception_handler(self) -> Callable[..., Any]:
        return exception_handler

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        # Public data for any web client; credentials are never sent cross-origin with "*".
        response["Access-Control-Allow-Origin"] = "*"
        return response


def _json(body: dict[str, Any], media_type: str = JSON, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type=media_type,
        status=status,
    )


def _url(request: Request) -> Callable[[str], str]:
    return request.build_absolute_uri


def _plain(request: Request, allowed: tuple[str, ...] = ()) -> None:
    params.check_format(request.query_params)
    params.check_known(request.query_params, allowed)


class LandingApi(OgcView):
    def get(self, request: Request) -> HttpResponse:
        _plain(request)
        return _json(catalogue.landing(_url(request)))


class ApiDefinitionApi(OgcView):
    def get(self, request: Request) -> HttpResponse:
        _plain(request)
        return _json(
            openapi.definition(_url(request)), "application/vnd.oai.openapi+json;version=3.0"
        )


class ConformanceApi(OgcView):
    def get(self, request: Request) -> HttpResponse:
        _plain(request)
        return _json({"conformsTo": catalogue.CONFORMANCE})


class CollectionsApi(OgcView):
    def get(self, request: Request) -> HttpResponse:
        _plain(request)
        url = _url(request)
        return _json(
            {
                "links": [{"rel": "self", "type": JSON, "href": url("/ogcapi/collections")}],
                "crs": list(crs.OFFERED),
                "collections": catalogue.collections(url),
            }
        )


class CollectionApi(OgcView):
    def get(self, request: Request, collection_id: str) -> HttpResponse:
        ref = catalogue.resolve(collection_id)
        _plain(request)
        return _json(catalogue.collection(ref, _url(request)))


def _page_link(request: Request, rel: str, paging: dict[str, str]) -> dict[str, str]:
    query = [(k, v) for k, v in request.query_params.items() if k not in PAGING_NAMES]
    query += list(paging.items())
    href = request.build_absolute_uri(request.path)
    return {"rel": rel, "type": GEOJSON, "href": f"{href}?{urlencode(query)}" if query else href}


def _items_answer(
    request: Request, ref: CollectionRef, query: params.ItemsQuery, page: items.ItemsPage
) -> HttpResponse:
    links = [
        {"rel": "self", "type": GEOJSON, "href": request.build_absolute_uri()},
        {
            "rel": "collection",
            "type": JSON,
            "href": request.build_absolute_uri(f"/ogcapi/collections/{ref.id}"),
        },
    ]
    if page.next is not None:
        links.append(_page_link(request, "next", page.next))
    if page.previous is not None:
        links.append(_page_link(request, "prev", page.previous))
    attribution = SENSOR_ATTRIBUTION if ref.kind == "sensors" else ATTRIBUTION
    response = collection_response(
        page.texts,
        content_type=GEOJSON,
        **attribution,
        timeStamp=timezone.now().replace(microsecond=0).isoformat(),
        numberMatched=page.matched,
        numberReturned=len(page.texts),
        links=links,
    )
    response["Content-Crs"] = f"<{query.crs}>"
    return response


class ItemsApi(OgcView):
    def get(self, request: Request, collection_id: str) -> HttpResponse:
        ref = catalogue.resolve(collection_id)
        query = params.items_query(
            request.query_params,
            choices=ref.choices(),
            filters=catalogue.FILTERS[ref.kind],
            paging=catalogue.PAGING[ref.kind],
        )
        reader = actors.reader(request)
        if ref.kind not in {"features", "reports"}:
            return _items_answer(request, ref, query, items.layer_page(ref, query, reader))
        access = selectors.access_of(reader, ref.event)

        def answer() -> HttpResponse:
            return _items_answer(
                request, ref, query, items.contributions_page(ref, query, access)
            )

        tag = listing.etag(selectors.contributions_version(ref.event).tag, access, request)
        return listing.conditional(request, tag, answer)  # type: ignore[arg-type]


class ItemApi(OgcView):
    def get(self, request: Request, collection_id: str, item_id: str) -> HttpResponse:
        ref = catalogue.resolve(collection_id)
        _plain(request, ("crs",))
        target = params.parse_crs(request.query_params.get("crs"), ref.choices())
        reader = actors.reader(request)
        if ref.kind in {"features", "reports"}:
            access = selectors.access_of(reader, ref.event)
            item = items.contribution(ref, item_id, reader, access)
        else:
            item = items.layer_item(ref, item_id, reader)
        url = request.build_absolute_uri
        item = {
            **crs.item_in(item, target),
            "links": [
                {"rel": "self", "type": GEOJSON, "href": url()},
                {"rel": "collection", "type": JSON, "href": url(f"/ogcapi/collections/{ref.id}")},
            ],
        }
        response = _json(item, GEOJSON)
        response["Content-Crs"] = f"<{target}>"
        return response


class UnknownApi(OgcView):
    """Any other path under ``/ogcapi/``: an OGC 404, not an HTML page."""

    def get(self, request: Request, rest: str) -> HttpResponse:
        raise OgcError(_("No resource {path} in this API.").format(path=request.path), status=404)
