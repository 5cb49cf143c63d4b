"""``cartoparty export SLUG --format FORMAT --output PATH``: write an export, print the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from exports.registry import EXPORTERS
from exports.services import event_export
from mapping.errors import CartopartyError
from mapping.selectors import event_by_slug


class Command(BaseCommand):
    help = ("Export an event's features (OSM formats: accepted and consented only; they are "
            "then marked exported). Exit status 1 when objects were refused by validation.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", required=True, choices=sorted(EXPORTERS))
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--status", default="",
                            help="Comma-separated statuses (default: accepted,exported).")
        parser.add_argument("--keep-duplicates", action="store_true",
                            help="Export likely duplicates of OSM elements as new objects.")
        parser.add_argument("--no-mark", action="store_true",
                            help="Do not mark the exported features (dry run for OSM formats).")
        parser.add_argument("--user", default="", help="Who exports (recorded in the history).")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                msg = f"No user {options['user']!r}."
                raise CommandError(msg)
        statuses = [s.strip() for s in options["status"].split(",") if s.strip()]
        try:
            result = event_export(
                event=event_by_slug(options["slug"]), format_name=options["format"],
                path=options["output"], statuses=statuses, actor=actor,
                mark_exported=not options["no_mark"], keep_duplicates=options["keep_duplicates"])
        except CartopartyError as error:
            raise CommandError(error.message) from error
        for issue in result.issues:
            self.stdout.write(
                f"{issue.severity:<8} {issue.feature_id}  {issue.code}: {issue.message}")
        self.stdout.write(
            f"{result.written} of {result.checked} features written to {result.path} "
            f"({result.format}); errors {result.count('error')}, held {result.count('held')}, "
            f"warnings {result.count('warning')}; marked exported {result.marked_exported}.")
        if result.has_errors:
            msg = (f"{result.count('error')} feature(s) refused by validation: fix them and "
                   "export again.")
            raise CommandError(msg, returncode=1)
