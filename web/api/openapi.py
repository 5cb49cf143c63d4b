"""The OpenAPI schema's one home for what every operation shares: errors and GeoJSON shapes.

:class:`AutoSchema` (``DEFAULT_SCHEMA_CLASS``) adds to every operation the error answers it
can really give, all in the one ``Error`` shape of :mod:`web.api.errors`, and registers the
GeoJSON components that views name with :func:`ref` (``responses={200: ref("FeaturePage")}``).
Clients and fuzzers (schemathesis in the test suite) can then check both.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent

from mapping.soundscape import EXTRA_SCALES, PAQ_ATTRIBUTES

STRING = {"type": "string"}
MOMENT = {"type": "string", "format": "date-time"}
NULLABLE_STRING = {"type": "string", "nullable": True}
NULLABLE_MOMENT = {"type": "string", "format": "date-time", "nullable": True}


def ref(name: str) -> dict[str, str]:
    """A reference to one of :data:`COMPONENTS`, for ``extend_schema`` ``request``/``responses``."""
    if name not in COMPONENTS:
        msg = f"No OpenAPI component {name!r}"
        raise KeyError(msg)
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


def _input(properties: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature a client POSTs: its geometry, its properties, an optional client id."""
    return _obj(
        ["type", "geometry", "properties"],
        type={"type": "string", "enum": FEATURE_TYPE},
        id={
            "type": "string",
            "format": "uuid",
            "nullable": True,
            "description": "Client-chosen UUID: sending it twice stores once.",
        },
        geometry=_GEOMETRY_IN,
        properties=properties,
    )


def _feature(properties: str) -> dict[str, Any]:
    return _obj(
        ["type", "id", "geometry", "properties"],
        type={"type": "string", "enum": FEATURE_TYPE},
        id=STRING,
        geometry={"$ref": "#/components/schemas/Geometry"},
        properties={"$ref": f"#/components/schemas/{properties}"},
    )


def _collection(item: str, *, page: bool) -> dict[str, Any]:
    members: dict[str, Any] = {
        "type": {"type": "string", "enum": COLLECTION_TYPE},
        "features": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        "licence": STRING,
        "attribution": STRING,
    }
    required = ["type", "features"]
    if page:
        members["numberReturned"] = {"type": "integer", "minimum": 0}
        members["links"] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Link"},
            "description": "`self`, and `next` when there is a next page.",
        }
        required += ["numberReturned", "links"]
    return {"type": "object", "required": required, "properties": members}


FEATURE_TYPE = ["Feature"]
COLLECTION_TYPE = ["FeatureCollection"]
GEOMETRY_TYPES = [
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
]
_PLACE = "RFC 7946 geometry, WGS84 lon/lat."
_HISTORY = {"type": "array", "items": {"$ref": "#/components/schemas/StatusStep"}}
_COMMON = {
    "status": {"type": "string", "description": "received, accepted, rejected or merged."},
    "version": {
        "type": "integer",
        "description": "Send it back when moderating (409 if it changed).",
    },
    "channel": STRING,
    "merged_into": NULLABLE_STRING,
    "created_at": MOMENT,
    "updated_at": MOMENT,
    "history": _HISTORY,
    "author": {
        "type": "string",
        "nullable": True,
        "description": "Only for the event's organisers and officers.",
    },
}
_COMMON_REQUIRED = [
    "kind",
    "status",
    "version",
    "channel",
    "merged_into",
    "created_at",
    "updated_at",
    "history",
]
_GEOMETRY_IN = {
    "type": "object",
    "description": _PLACE,
    "required": ["type"],
    "properties": {
        "type": {"type": "string", "enum": GEOMETRY_TYPES},
        "coordinates": {"type": "array", "items": {}},
    },
}

# The ISO/TS 12913-2 part of a noise report (mapping/soundscape.py): eight attributes on 1-5
# (required), perceived loudness and overall quality (optional), a site of the event.
_SCALE = {"type": "integer", "minimum": 1, "maximum": 5}
_SOUNDSCAPE = {
    "type": "object",
    "nullable": True,
    "description": "Optional soundscape answer (ISO/TS 12913-2), when the event offers it.",
    "required": list(PAQ_ATTRIBUTES),
    "properties": {
        **{name: _SCALE for name in PAQ_ATTRIBUTES},
        **{name: {**_SCALE, "nullable": True} for name in EXTRA_SCALES},
        "site": {"type": "string", "nullable": True},
    },
}

COMPONENTS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "required": ["detail", "code"],
        "description": "Every error of the API (web/api/errors.py).",
        "properties": {
            "detail": {
                "type": "string",
                "description": "What went wrong, in the request's language (English or French).",
            },
            "code": {
                "type": "string",
                "description": "A stable code, e.g. invalid, invalidInput, notFound, throttled.",
            },
            "field": {
                "type": "string",
                "description": "The input at fault, as a dotted path (properties.tags).",
            },
            "rule": {"type": "string", "description": "The tag rule broken, when one was."},
            "errors": {
                "type": "object",
                "additionalProperties": {},
                "description": "Validation errors: every field at fault.",
            },
        },
    },
    "Geometry": {
        "type": "object",
        "description": _PLACE,
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "enum": GEOMETRY_TYPES},
            "coordinates": {"type": "array", "items": {}},
            "geometries": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Link": _obj(
        ["rel", "type", "href"],
        rel={"type": "string", "enum": ["self", "next"]},
        type=STRING,
        href=STRING,
    ),
    "StatusStep": _obj(
        ["from", "to", "at", "reason", "merged_into", "by"],
        **{"from": NULLABLE_STRING},
        to=STRING,
        at=MOMENT,
        reason=NULLABLE_STRING,
        merged_into=NULLABLE_STRING,
        by={
            "type": "string",
            "nullable": True,
            "description": "A moderator's name, only for organisers.",
        },
    ),
    "Warning": _obj(
        ["code", "message", "field"], code=STRING, message=STRING, field=NULLABLE_STRING
    ),
    "MappedFeatureProperties": _obj(
        ["tags", "preset", "osm", "consent_osm", *_COMMON_REQUIRED],
        kind={"type": "string", "enum": ["feature"]},
        tags={
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "OpenStreetMap tags.",
        },
        preset={"type": "string", "nullable": True, "description": "e.g. amenity/bench"},
        osm={
            "type": "object",
            "nullable": True,
            "description": "The OSM element corrected.",
            "properties": {
                "type": STRING,
                "id": {"type": "integer"},
                "version": {"type": "integer", "nullable": True},
            },
        },
        consent_osm={"type": "boolean"},
        **_COMMON,
    ),
    "MappedFeature": _feature("MappedFeatureProperties"),
    "ReportProperties": _obj(
        [
            "category",
            "intensity",
            "sources",
            "observed_at",
            "observed_until",
            "comment",
            "coarsened",
            *_COMMON_REQUIRED,
        ],
        kind={"type": "string", "enum": ["report"]},
        category=STRING,
        intensity={"type": "integer", "minimum": 1, "maximum": 5},
        sources={"type": "array", "items": STRING},
        observed_at=MOMENT,
        observed_until=NULLABLE_MOMENT,
        comment={**NULLABLE_STRING, "description": "Only for its author and the officers."},
        coarsened={
            "type": "boolean",
            "description": "True: the place is the public, coarsened one (and times rounded).",
        },
        soundscape=_SOUNDSCAPE,
        **_COMMON,
    ),
    "Report": _feature("ReportProperties"),
    "MappedFeatureCollection": _collection("MappedFeature", page=False),
    "ReportCollection": _collection("Report", page=False),
    "MappedFeaturePage": _collection("MappedFeature", page=True),
    "ReportPage": _collection("Report", page=True),
    "SubmittedFeature": {
        "allOf": [
            {"$ref": "#/components/schemas/MappedFeature"},
            _obj(
                ["warnings"],
                warnings={"type": "array", "items": {"$ref": "#/components/schemas/Warning"}},
            ),
        ]
    },
    "SubmittedReport": {
        "allOf": [
            {"$ref": "#/components/schemas/Report"},
            _obj(
                ["warnings"],
                warnings={"type": "array", "items": {"$ref": "#/components/schemas/Warning"}},
            ),
        ]
    },
    "Changes": _obj(
        ["cursor", "complete", "features", "reports", "removed"],
        cursor={**MOMENT, "description": "Send it as `since` next time."},
        complete={"type": "boolean", "description": "False: too old, reload the area."},
        features={
            "allOf": [{"$ref": "#/components/schemas/MappedFeatureCollection"}],
            "nullable": True,
        },
        reports={"allOf": [{"$ref": "#/components/schemas/ReportCollection"}], "nullable": True},
        removed={
            "type": "array",
            "items": _obj(
                ["kind", "id"], kind={"type": "string", "enum": ["feature", "report"]}, id=STRING
            ),
        },
    ),
    "AnyFeature": _obj(
        ["type", "geometry", "properties"],
        type={"type": "string", "enum": FEATURE_TYPE},
        id=STRING,
        geometry={"allOf": [{"$ref": "#/components/schemas/Geometry"}], "nullable": True},
        properties={"type": "object", "additionalProperties": {}},
    ),
    "AnyFeatureCollection": _collection("AnyFeature", page=False),
    "Nearby": _obj(
        ["radius_m", "contributions", "osm", "osm_available"],
        radius_m={"type": "number"},
        contributions={
            "allOf": [{"$ref": "#/components/schemas/AnyFeatureCollection"}],
            "description": "Features or public reports, each with `distance_m` "
            "(metres, to 10 m for reports) and without history.",
        },
        osm={
            "type": "array",
            "items": {"type": "object"},
            "description": "OpenStreetMap elements of the same preset nearby.",
        },
        osm_available={"type": "boolean"},
    ),
    "Overlay": {
        "allOf": [
            {"$ref": "#/components/schemas/AnyFeatureCollection"},
            _obj(
                ["parameters", "note", "left_out"],
                parameters={"type": "object", "description": "The cell size, window… used."},
                metric_crs={"description": "The metric reference system of the cells."},
                note={**NULLABLE_STRING, "description": "Why the public sees less, when it does."},
                left_out={"type": "array", "items": {"type": "object"}},
            ),
        ]
    },
    "Participant": _obj(
        ["pseudonym", "event", "joined_at", "terms_version", "language"],
        pseudonym=STRING,
        event=STRING,
        joined_at=MOMENT,
        terms_version=STRING,
        language=NULLABLE_STRING,
    ),
    "MyContributions": _obj(
        ["participant", "features", "reports"],
        participant={"$ref": "#/components/schemas/Participant"},
        features={"$ref": "#/components/schemas/MappedFeatureCollection"},
        reports={"$ref": "#/components/schemas/ReportCollection"},
    ),
    "Deleted": _obj(
        ["deleted"],
        deleted={
            "type": "integer",
            "minimum": 0,
            "description": "How many contributions were deleted.",
        },
    ),
    "Event": _obj(
        [
            "slug",
            "name",
            "description",
            "zone",
            "bbox",
            "start",
            "end",
            "time_zone",
            "presets",
            "nuisance_categories",
            "links",
        ],
        slug=STRING,
        name=STRING,
        description=STRING,
        zone={"$ref": "#/components/schemas/Geometry"},
        bbox={"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        start=MOMENT,
        end=MOMENT,
        time_zone=STRING,
        presets={"type": "array", "items": {"type": "object"}},
        nuisance_categories={"type": "array", "items": {"type": "object"}},
        links={"type": "object", "additionalProperties": STRING},
        join_code={"type": "string", "description": "Only for the event's organisers."},
        soundscape={"type": "boolean",
                    "description": "Whether noise reports may carry a soundscape answer."},
    ),
    "EventList": _obj(
        ["events"], events={"type": "array", "items": {"$ref": "#/components/schemas/Event"}}
    ),
    "Joined": _obj(
        ["token", "follow_url", "pseudonym", "profile", "notice"],
        token=STRING,
        follow_url=STRING,
        pseudonym=STRING,
        profile={"type": "object", "nullable": True},
        notice=STRING,
    ),
    "MappedFeatureInput": _input({
            "type": "object",
            "properties": {
                "tags": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "OSM tags: key → value.",
                },
                "preset": STRING,
                "osm": {
                    "type": "object",
                    "nullable": True,
                    "description": '{"type", "id", "version"} of the OSM element corrected.',
                },
                "consent_osm": {"type": "boolean"},
                "on_behalf_of": {
                    "type": "string",
                    "nullable": True,
                    "description": "Mediators: the participant's pseudonym.",
                },
            },
        },
    ),
    "ReportInput": _input({
            "type": "object",
            "required": ["category", "intensity", "observed_at"],
            "properties": {
                "category": STRING,
                "intensity": {"type": "integer", "minimum": 1, "maximum": 5},
                "sources": {"type": "array", "items": STRING},
                "observed_at": MOMENT,
                "observed_until": NULLABLE_MOMENT,
                "comment": STRING,
                "on_behalf_of": {"type": "string", "nullable": True},
                "soundscape": _SOUNDSCAPE,
            },
        },
    ),
}

_ERROR_TEXT = {
    "400": "Bad input: `field` names it.",
    "401": "No valid token (or an unknown one).",
    "403": "Not allowed: not an organiser of this event, the event is closed, or CSRF.",
    "404": "No such event or contribution.",
    "409": "Conflict: the contribution changed since the version you sent, or exists.",
    "413": "The request body is too large.",
    "429": "Too many requests (or refused tokens): wait `Retry-After` seconds.",
}
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(openapi.AutoSchema):  # type: ignore[misc]
    """drf-spectacular's AutoSchema, with the errors each operation can give and our
    GeoJSON components.

    The rule, for every operation: 401 (a refused token) and 429 (throttled, or too many
    refused tokens); 400 when it takes parameters or a body; 404 when its path names
    something; 403 and 409 for writes (and 403 for reads whose view sets
    ``refuses_readers = True``); 413 when it takes a body.
    """

    def _error_statuses(self, operation: dict[str, Any]) -> list[str]:
        found = {"401", "429"}
        has_body = "requestBody" in operation
        if operation.get("parameters") or has_body:
            found.add("400")
        if "{" in self.path:
            found.update({"400", "404"})
        if self.method in _UNSAFE or getattr(self.view, "refuses_readers", False):
            found.add("403")
        if self.method in _UNSAFE:
            found.add("409")
        if has_body:
            found.add("413")
        return sorted(found)

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for name, schema in COMPONENTS.items():
            self.registry.register_on_missing(
                ResolvedComponent(
                    name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
                )
            )
        responses = operation.setdefault("responses", {})
        for code in self._error_statuses(operation):
            if code in responses:
                continue
            responses[code] = {
                "description": _ERROR_TEXT[code],
                "content": {"application/json": {"schema": ref("Error")}},
            }
            if code == "429":
                responses[code]["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait.",
                    }
                }
        return operation


STREAM_PATH = "/api/v1/events/{slug}/changes/stream/"


def document_stream(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Postprocessing hook: the live stream (a plain async Django view, which drf-spectacular
    cannot see) documented beside the REST operations, with its 404 and 503."""
    error = {"application/json": {"schema": ref("Error")}}
    result.setdefault("paths", {})[STREAM_PATH] = {
        "get": {
            "operationId": "events_changes_stream",
            "summary": "The event's public map, live (server-sent events)",
            "description": "One `changes` event (the body of GET …/changes/, public view) per "
            "change; `Last-Event-ID` or `since` resumes (at most an hour back). "
            "Closed after LIVE_STREAM_SECONDS: reconnect.",
            "tags": ["events"],
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
                },
                {
                    "name": "since",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "An ISO 8601 moment with offset (or send Last-Event-ID).",
                },
            ],
            "responses": {
                "200": {
                    "description": "A stream of `changes` events.",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}},
                },
                "404": {"description": _ERROR_TEXT["404"], "content": error},
                "503": {
                    "description": "Too many open streams: retry after `Retry-After` seconds "
                    "(or poll GET …/changes/).",
                    "content": error,
                    "headers": {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconds to wait.",
                        }
                    },
                },
            },
        }
    }
    return result
