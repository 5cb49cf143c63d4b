"""Django's makemessages, also extracting ``N_("…")`` templates of the pure modules.

Locations are written without line numbers (``--add-location=file``): catalogues then change
only when a message changes, not whenever code moves (fewer merge conflicts).
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("add_location"):
            options["add_location"] = "file"
        super().handle(*args, **options)
