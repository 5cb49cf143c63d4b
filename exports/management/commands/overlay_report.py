"""``cartoparty overlay_report``: deprecated name of ``overlay_summary`` (same options)."""

from __future__ import annotations

from typing import Any

from exports.management.commands import overlay_summary

DEPRECATED = ("overlay_report is deprecated and will be removed: use overlay_summary (same "
              "options). A report is a participant's nuisance report; this page is a summary.")


class Command(overlay_summary.Command):
    help = f"Deprecated: {DEPRECATED}"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stderr.write(DEPRECATED)
        super().handle(*args, **options)
