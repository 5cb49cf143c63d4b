"""schemathesis against the API in process: every operation of the OpenAPI, anonymously, as a
participant (Bearer token from joining) and as an organiser (Token), must never answer a
5xx, and every answer must be declared by the schema (status, content type, body shape).

Bounded for CI (the suite runs twice): a few examples per operation, no network (the WSGI
application is called in this process, on the test database).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import geometries as g
from tests.conftest import bearer_api
from tests.factories import JOIN_CODE, TokenFactory

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 10


def served_schema() -> dict[str, object]:
    """The OpenAPI document ``/api/v1/schema/`` serves, as JSON (built without a request)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(
        OpenApiJsonRenderer().render(
            SchemaGenerator().get_schema(request=None, public=True), renderer_context={}
        )
    )


# The coverage phase (hundreds of boundary cases per operation) would take minutes here;
# examples from the schema and a few generated requests per operation and role suffice.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}}, "seed": 14}
)
# The live stream answers for LIVE_STREAM_SECONDS: its 404 and 503 are tested in
# tests/web/test_api_changes.py.
schema = schemathesis.openapi.from_dict(served_schema(), config=CONFIG).exclude(
    operation_id="events_changes_stream"
)
schema.app = get_wsgi_application()


SEEDED: dict[str, str] = {}


@pytest.fixture(autouse=True)
def seeded(event, joined):  # type: ignore[no-untyped-def]
    """The event holds a feature and a report, so that lists and details have items."""
    participant = bearer_api(joined.token)
    feature = participant.post(
        f"/api/v1/events/{event.slug}/features/",
        {"type": "Feature", "geometry": g.INSIDE, "properties": {"preset": "amenity/bench"}},
        format="json",
    )
    report = participant.post(
        f"/api/v1/events/{event.slug}/reports/",
        {
            "type": "Feature",
            "geometry": g.INSIDE,
            "properties": {
                "category": "noise",
                "intensity": 4,
                "sources": ["road"],
                "observed_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
            },
        },
        format="json",
    )
    assert (feature.status_code, report.status_code) == (201, 201)
    SEEDED.update(features=feature.json()["id"], reports=report.json()["id"])
    # As Django's test client does: the test's transaction outlives each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def organiser_key(organiser) -> str:  # type: ignore[no-untyped-def]
    return str(TokenFactory(user=organiser).key)


def check(case, event, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """One generated request, on the seeded event, validated against the schema."""
    if "slug" in case.path_parameters:
        case.path_parameters["slug"] = event.slug
    # Half the ids name the seeded contribution, so details and moderation answer for real.
    pk = case.path_parameters.get("id")
    if isinstance(pk, str) and len(pk) % 2 == 0:
        kind = "reports" if "/reports/" in case.operation.path else "features"
        case.path_parameters["id"] = SEEDED[kind]
    case.call_and_validate(headers={**headers, "Accept-Language": "en"}, checks=CHECKS)


BOUNDED = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@schema.parametrize()
@BOUNDED
def test_anonymous_answers_are_as_the_schema_says(case, event):  # type: ignore[no-untyped-def]
    check(case, event, {})


@schema.parametrize()
@BOUNDED
def test_participant_answers_are_as_the_schema_says(case, event, joined):  # type: ignore[no-untyped-def]
    check(case, event, {"Authorization": f"Bearer {joined.token}"})


@schema.parametrize()
@BOUNDED
def test_organiser_answers_are_as_the_schema_says(case, event, organiser_key):  # type: ignore[no-untyped-def]
    check(case, event, {"Authorization": f"Token {organiser_key}"})


KNOWN_GOOD = [
    ("GET", "/api/v1/events/{slug}/overlay/", {}, None),
    (
        "GET",
        "/api/v1/events/{slug}/nearby/",
        {"lon": "5.932", "lat": "45.566", "category": "noise"},
        None,
    ),
    (
        "GET",
        "/api/v1/events/{slug}/nearby/",
        {"lon": "5.932", "lat": "45.566", "preset": "amenity/bench"},
        None,
    ),
    ("GET", "/api/v1/events/{slug}/features/{id}/", {}, None),
    ("GET", "/api/v1/events/{slug}/reports/{id}/", {}, None),
    ("GET", "/api/v1/events/{slug}/changes/", {"since": "2020-01-01T00:00:00+00:00"}, None),
    ("POST", "/api/v1/events/{slug}/reports/{id}/status/", {}, {"status": "accepted"}),
    (
        "POST",
        "/api/v1/events/{slug}/features/{id}/status/",
        {},
        {"status": "rejected", "reason": "duplicate"},
    ),
]


def _report() -> dict[str, object]:
    return {
        "type": "Feature",
        "geometry": g.INSIDE,
        "properties": {
            "category": "noise",
            "intensity": 3,
            "sources": ["road"],
            "comment": "Scooters",
            "observed_at": (timezone.now() - dt.timedelta(minutes=10)).isoformat(),
        },
    }


AS_PARTICIPANT = [
    (
        "POST",
        "/api/v1/events/{slug}/features/",
        201,
        {
            "type": "Feature",
            "geometry": g.INSIDE,
            "properties": {"preset": "amenity/bench", "tags": {"backrest": "yes"}},
        },
    ),
    ("POST", "/api/v1/events/{slug}/reports/", 201, None),
    ("GET", "/api/v1/me/contributions/", 200, None),
    ("GET", "/api/v1/events/", 200, None),
    ("GET", "/api/v1/events/{slug}/", 200, None),
    ("DELETE", "/api/v1/me/contributions/{id}/", 204, None),
    ("DELETE", "/api/v1/me/contributions/", 200, None),
]


@pytest.mark.parametrize(("method", "path", "query", "body"), KNOWN_GOOD)
def test_successful_answers_match_their_schema(
    method: str, path: str, query: dict[str, str], body: Any, event: Any, organiser_key: str
) -> None:
    """Generated requests are mostly refused: the answers that succeed are checked here."""
    kind = "reports" if "/reports/" in path else "features"
    parameters = {"slug": event.slug, **({"id": SEEDED[kind]} if "{id}" in path else {})}
    extra = {"body": body, "media_type": "application/json"} if body else {}
    case = schema[path][method].Case(path_parameters=parameters, query=query, **extra)
    response = case.call_and_validate(
        headers={"Authorization": f"Token {organiser_key}"}, checks=CHECKS
    )
    assert response.status_code == 200


@pytest.mark.parametrize(("method", "path", "status", "body"), AS_PARTICIPANT)
def test_participants_successes_match_their_schema(
    method: str, path: str, status: int, body: Any, event: Any, joined: Any
) -> None:
    if path.endswith("/reports/"):
        body = _report()
    parameters = {"slug": event.slug, "id": SEEDED["reports"]}
    parameters = {key: value for key, value in parameters.items() if f"{{{key}}}" in path}
    extra = {"body": body, "media_type": "application/json"} if body else {}
    case = schema[path][method].Case(path_parameters=parameters, **extra)
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {joined.token}"}, checks=CHECKS
    )
    assert response.status_code == status


def test_joining_answers_as_the_schema_says(event):  # type: ignore[no-untyped-def]
    case = schema["/api/v1/events/{slug}/participants/"]["POST"].Case(
        path_parameters={"slug": event.slug},
        media_type="application/json",
        body={"join_code": JOIN_CODE, "pseudonym": "Dominique"},
    )
    assert case.call_and_validate(checks=CHECKS).status_code == 201
