"""The ``cartoparty`` console script: Django's management commands under one name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run ``cartoparty COMMAND …`` exactly like ``python manage.py COMMAND …``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cartoparty", *sys.argv[1:]])
