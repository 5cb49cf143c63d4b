"""The API definition of ``/ogcapi/`` (OpenAPI 3.0), built from the parameters it checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from web.ogcapi import crs, params

ERROR = {
    "description": "An OGC exception: {code, description, parameter}",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "description": {"type": "string"},
                    "parameter": {"type": "string"},
                },
            }
        }
    },
}


def _parameter(
    name: str, where: str, description: str, schema: dict[str, Any], required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


def _json_response(description: str, media_type: str = "application/json") -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {media_type: {"schema": {"type": "object"}}},
        },
        "400": ERROR,
        "404": ERROR,
    }


def definition(url: Callable[[str], str]) -> dict[str, Any]:
    """The OpenAPI document; ``url`` makes a path absolute."""
    collection = _parameter(
        "collectionId",
        "path",
        "{event slug}-features, -reports, -sensors or -overlay",
        {"type": "string"},
    )
    crs_param = _parameter(
        "crs",
        "query",
        "The CRS of the geometries answered.",
        {"type": "string", "format": "uri", "enum": list(crs.OFFERED)},
    )
    items_params = [
        collection,
        _parameter(
            "limit",
            "query",
            f"Items per page (default {params.DEFAULT_LIMIT}; more "
            f"than {params.MAX_LIMIT} is served as {params.MAX_LIMIT}).",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": params.MAX_LIMIT,
                "default": params.DEFAULT_LIMIT,
            },
        ),
        _parameter(
            "bbox",
            "query",
            "Lower and upper corners in bbox-crs (CRS84 by default).",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        ),
        _parameter(
            "bbox-crs",
            "query",
            "The CRS of bbox.",
            {"type": "string", "format": "uri", "enum": list(crs.OFFERED)},
        ),
        _parameter(
            "datetime",
            "query",
            "An instant or an interval (start/end, .. open); "
            "reports are filtered on the times the reader sees.",
            {"type": "string"},
        ),
        crs_param,
        _parameter(
            "cursor", "query", "Features and reports: from a next or prev link.", {"type": "string"}
        ),
        _parameter(
            "offset",
            "query",
            "Sensors and overlay cells: from a next or prev link.",
            {"type": "integer", "minimum": 0},
        ),
        _parameter(
            "status", "query", "Features and reports: comma-separated statuses.", {"type": "string"}
        ),
        _parameter("preset", "query", "Features: a preset id (amenity/bench).", {"type": "string"}),
        _parameter(
            "category", "query", "Reports: a nuisance category (noise).", {"type": "string"}
        ),
    ]
    plain = {"parameters": [], "responses": _json_response("JSON")}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Cartoparty OGC API – Features",
            "version": "1.0.0",
            "license": {
                "name": "ODbL-1.0",
                "url": "https://opendatacommons.org/licenses/odbl/1-0/",
            },
        },
        "servers": [{"url": url("/ogcapi")}],
        "paths": {
            "/": {"get": {**plain, "operationId": "getLandingPage"}},
            "/conformance": {"get": {**plain, "operationId": "getConformanceDeclaration"}},
            "/collections": {"get": {**plain, "operationId": "getCollections"}},
            "/collections/{collectionId}": {
                "get": {
                    "operationId": "describeCollection",
                    "parameters": [collection],
                    "responses": _json_response("The collection"),
                }
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "operationId": "getFeatures",
                    "parameters": items_params,
                    "responses": _json_response("A page of items", "application/geo+json"),
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "operationId": "getFeature",
                    "parameters": [
                        collection,
                        _parameter("featureId", "path", "The item's id", {"type": "string"}),
                        crs_param,
                    ],
                    "responses": _json_response("One item", "application/geo+json"),
                }
            },
        },
    }
