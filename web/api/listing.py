"""How lists are answered: pages with ``next`` links, and ETags so that an unchanged map is a
304 (nothing read but one indexed row, nothing sent but headers)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

from mapping.errors import N_, InvalidInput
from mapping.selectors import Access

PAGE_PARAMETERS = [
    OpenApiParameter("limit", int, description="Items per page (default and maximum: "
                     "API_PAGE_SIZE and API_MAX_PAGE_SIZE, 1000 and 10000)."),
    OpenApiParameter("cursor", str, description="From a previous page's `next` link."),
]
BAD_LIMIT = N_("limit must be a whole number from 1 to {maximum}.")


def page_size(request: Request) -> int:
    """``?limit=``, checked; the configured page size when absent."""
    raw = request.query_params.get("limit", "")
    if not raw:
        return int(settings.API_PAGE_SIZE)
    maximum = int(settings.API_MAX_PAGE_SIZE)
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise InvalidInput(BAD_LIMIT, field="limit", maximum=maximum)
    return int(raw)


def cursor(request: Request) -> str | None:
    """``?cursor=`` (checked by the selector), or None for the first page."""
    return request.query_params.get("cursor") or None


def links(request: Request, next_cursor: str | None) -> list[dict[str, str]]:
    """OGC-API-style links of a page: itself, and the next page when there is one."""
    query = {key: value for key, value in request.query_params.items() if key != "cursor"}
    found = [{"rel": "self", "type": "application/geo+json", "href": request.get_full_path()}]
    if next_cursor:
        found.append({"rel": "next", "type": "application/geo+json",
                      "href": f"{request.path}?{urlencode({**query, 'cursor': next_cursor})}"})
    return found


def etag(version: str, access: Access, request: Request) -> str:
    """An ETag for one reader's view of one query at one version of the data."""
    seen = (f"{version}|{access.exact_reports}|{access.moderator}|{access.participant_id}|"
            f"{get_language()}|{request.get_full_path()}")
    return '"' + hashlib.sha256(seen.encode()).hexdigest()[:32] + '"'


def conditional(request: Request, tag: str, answer: Callable[[], Response]) -> HttpResponse:
    """304 when the client already holds ``tag``; else ``answer()`` carrying it.

    ``Cache-Control: no-cache`` makes browsers revalidate every time (the map refresh is
    then a 304 with no JavaScript change); ``private``: never stored by shared caches (a
    reader's view depends on who they are).
    """
    asked = {value.strip() for value in request.headers.get("If-None-Match", "").split(",")}
    if tag in asked or f"W/{tag}" in asked:
        response: HttpResponse = HttpResponse(status=304)
    else:
        response = answer()
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Cookie, Accept-Language"
    return response


def page_members(request: Request, items: list[Any], next_cursor: str | None) -> dict[str, Any]:
    """The foreign members of a page's FeatureCollection."""
    return {"numberReturned": len(items), "links": links(request, next_cursor)}
