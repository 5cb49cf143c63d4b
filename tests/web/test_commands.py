"""Thin management commands and the cartoparty console script."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_token_prints_the_users_token():
    user = UserFactory(username="agent-sig")
    out = io.StringIO()
    call_command("create_token", "agent-sig", stdout=out)
    assert out.getvalue().strip() == Token.objects.get(user=user).key


def test_create_token_reset_renews_it():
    UserFactory(username="agent-sig")
    first, second = io.StringIO(), io.StringIO()
    call_command("create_token", "agent-sig", stdout=first)
    call_command("create_token", "agent-sig", "--reset", stdout=second)
    assert first.getvalue() != second.getvalue()


def test_create_token_for_an_unknown_user_fails_clearly():
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        call_command("create_token", "nobody")


def test_cartoparty_script_runs_management_commands():
    result = subprocess.run([sys.executable, "-c", "from web.cli import main; main()", "help"],
                            capture_output=True, text=True, check=True)
    assert "demo" in result.stdout
    assert "create_token" in result.stdout
