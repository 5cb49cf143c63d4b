"""Production settings, as .env.example documents them, pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CARTOPARTY = str(Path(sys.executable).parent / "cartoparty")
PRODUCTION = {"SECRET_KEY": "k" * 10 + "Zq8#xV2!pL0@rT5$wN7^bM3&cJ9*hF1(gD4)sA6-eY" * 2,
              "ALLOWED_HOSTS": "carto.example.fr", "PUBLIC_BASE_URL": "https://carto.example.fr",
              "HTTPS": "true", "BEHIND_TLS_PROXY": "true", "DEBUG": "false"}


def check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CARTOPARTY_DATA_DIR": str(tmp_path), **env,
                   "DJANGO_SETTINGS_MODULE": "web.settings"}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' Playwright
    return subprocess.run([CARTOPARTY, "check", "--deploy", "--fail-level", "WARNING"],
                          env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)


def test_production_settings_pass_check_deploy_without_a_warning(tmp_path):
    done = check_deploy(tmp_path, **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_laptop_defaults_are_flagged_by_check_deploy(tmp_path):
    done = check_deploy(tmp_path, DEBUG="false", HTTPS="false")
    assert done.returncode != 0
    assert "SECURE_SSL_REDIRECT" in done.stdout + done.stderr


@pytest.mark.parametrize("published", ["change-me",
                         "dev-only-insecure-key-change-me-in-production-0123456789abcdef"])
def test_a_published_secret_key_is_refused(tmp_path, published):
    done = check_deploy(tmp_path, **{**PRODUCTION, "SECRET_KEY": published})
    assert done.returncode != 0
    assert "SECRET_KEY is a published example value" in done.stderr


def test_without_a_secret_key_one_is_generated_once_and_kept(tmp_path):
    from web.secrets import secret_key_in

    first = secret_key_in(tmp_path)
    assert len(first) >= 50
    assert secret_key_in(tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
