"""``cartoparty import_forms PATH --event SLUG --user NAME [--commit]``: paper forms import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mapping import selectors
from mapping.errors import CartopartyError
from mapping.services.paper_forms import paper_forms_import


class Command(BaseCommand):
    help = ("Check a filled-in paper-forms CSV (dry run) and, with --commit, import it: "
            "all rows or none.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--event", required=True, help="the carto-party's slug")
        parser.add_argument("--user", required=True,
                            help="the organiser or mediator who typed the forms in")
        parser.add_argument("--commit", action="store_true",
                            help="import for real (default: check only)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            event = selectors.event_by_slug(options["event"])
            user = get_user_model().objects.get(username=options["user"])
            data = options["path"].read_bytes()
            result = paper_forms_import(event=event, actor=user, data=data,
                                        commit=options["commit"])
        except get_user_model().DoesNotExist:
            msg = f"No user {options['user']!r}."
            raise CommandError(msg) from None
        except OSError as exc:
            raise CommandError(str(exc)) from None
        except CartopartyError as exc:
            raise CommandError(exc.message) from None
        if result.encoding != "utf-8":
            self.stdout.write(f"Read as {result.encoding} (not UTF-8).")
        for problem in result.header_errors:
            self.stderr.write(problem)
        for row in result.rows:
            for column, problem in row.errors:
                self.stderr.write(f"line {row.line}, {column}: {problem}")
        if not result.ok:
            msg = "Nothing imported: fix the rows above and run again."
            raise CommandError(msg)
        if result.committed:
            self.stdout.write(f"Imported {result.new} new row(s) of {len(result.rows)}.")
        else:
            self.stdout.write(f"Check passed: {result.new} new row(s) of {len(result.rows)}; "
                              "run again with --commit to import.")
