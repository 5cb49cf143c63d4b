"""Configuration stays documented: .env.example, docker-compose.yml and settings agree."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def settings_variables() -> set[str]:
    source = (ROOT / "web" / "settings.py").read_text()
    return set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", source))


def example_variables() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.lstrip("# ").split("=", 1)[0] for line in lines
            if re.match(r"^#? ?[A-Z][A-Z0-9_]+=", line)}


def test_every_setting_variable_is_documented():
    assert settings_variables() - example_variables() == set()


def test_env_example_documents_nothing_unknown():
    assert example_variables() - settings_variables() == set()


def test_docker_compose_sets_only_variables_the_settings_read():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    environment = web["environment"]
    names = set(environment) if isinstance(environment, dict) else {
        item.split("=", 1)[0] for item in environment}
    assert names, "the web service is configured through environment variables"
    assert names - settings_variables() == set()
    assert "DATABASE_URL" in names
    assert compose["services"]["db"]["image"].startswith("postgis/postgis")
    assert "cartoparty serve" in str(web["command"])  # gunicorn + uvicorn workers
    assert compose["volumes"], "PostGIS data lives on a named volume"
