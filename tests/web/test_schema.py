"""The OpenAPI 3 schema and its documentation page."""

from __future__ import annotations

import io

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
