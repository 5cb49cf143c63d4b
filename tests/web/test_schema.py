"""The OpenAPI 3 schema and its documentation page."""

from __future__ import annotations

import io
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_the_endpoints(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/v1/events/", "/api/v1/events/{slug}/features/",
            "/api/v1/events/{slug}/reports/", "/api/v1/events/{slug}/participants/",
            "/api/v1/events/{slug}/features/{id}/status/"} <= paths


def test_docs_page_uses_local_assets_only(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger" in page.lower()
    assert "cdn" not in page.lower()
    assert "unpkg" not in page


def test_schema_generates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", stdout=io.StringIO())


def served() -> dict[str, Any]:
    from django.test import Client

    return yaml.safe_load(Client().get("/api/v1/schema/").content)


def test_served_schema_is_valid_openapi():
    from drf_spectacular.validation import validate_schema

    validate_schema(served())  # raises on any violation of the OpenAPI 3 JSON schema


def test_every_operation_documents_its_errors_in_the_error_shape():
    schema = served()
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if path.endswith("/changes/stream/"):  # not DRF: no token read, no throttle
                assert {"404", "503"} <= set(responses)
                assert "Retry-After" in responses["503"]["headers"]
                continue
            assert {"401", "429"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert {"403", "409"} <= set(responses), (method, path)
            if "requestBody" in operation:
                assert {"400", "413"} <= set(responses), (method, path)
            for code, response in responses.items():
                if code >= "400":
                    assert response["content"]["application/json"]["schema"] == error
            assert "Retry-After" in responses["429"]["headers"]


def test_lists_and_details_are_typed_geojson():
    paths = served()["paths"]

    def schema_of(path, method, code="200"):  # type: ignore[no-untyped-def]
        content = paths[path][method]["responses"][code]["content"]
        return next(iter(content.values()))["schema"]

    ref = "#/components/schemas/"
    assert schema_of("/api/v1/events/{slug}/features/", "get") == {
        "$ref": ref + "MappedFeaturePage"}
    assert schema_of("/api/v1/events/{slug}/reports/", "get") == {"$ref": ref + "ReportPage"}
    assert schema_of("/api/v1/events/{slug}/features/{id}/", "get") == {
        "$ref": ref + "MappedFeature"}
    assert schema_of("/api/v1/events/{slug}/reports/", "post", "201") == {
        "$ref": ref + "SubmittedReport"}
    assert schema_of("/api/v1/me/contributions/", "get") == {"$ref": ref + "MyContributions"}
    assert schema_of("/api/v1/me/contributions/", "delete") == {"$ref": ref + "Deleted"}
    assert schema_of("/api/v1/events/{slug}/changes/", "get") == {"$ref": ref + "Changes"}
    body = paths["/api/v1/events/{slug}/features/"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"] == {"$ref": ref + "MappedFeatureInput"}


def test_real_errors_match_the_error_component(participant_api, client_api, event):
    import jsonschema

    component = served()["components"]["schemas"]["Error"]
    bad = participant_api.post("/api/v1/events/chambery/features/",
                               {"type": "Feature", "geometry": None, "properties": {}},
                               format="json")
    missing = client_api.get("/api/v1/events/nowhere/")
    refused = client_api.get("/api/v1/me/contributions/",
                             HTTP_AUTHORIZATION="Bearer not-a-token")
    assert (bad.status_code, missing.status_code, refused.status_code) == (400, 404, 401)
    for answer in (bad, missing, refused):
        jsonschema.validate(answer.json(), component)
    assert bad.json()["field"]


def test_deleting_all_my_contributions_answers_what_the_schema_says(participant_api, event):
    answer = participant_api.delete("/api/v1/me/contributions/")
    assert answer.status_code == 200
    assert answer.json() == {"deleted": 0}
    assert "200" in served()["paths"]["/api/v1/me/contributions/"]["delete"]["responses"]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/tiles/chambery/not a layer.json"])
def test_an_address_that_names_nothing_is_a_json_error_for_machines(client, path):  # type: ignore[no-untyped-def]
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Introuvable.", "code": "notFound"}


def test_a_page_that_does_not_exist_stays_an_html_page(client):  # type: ignore[no-untyped-def]
    response = client.get("/events/nowhere/at/all/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
