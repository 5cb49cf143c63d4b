"""``cartoparty overlay_stats SLUG [--json]``: perceived × measured statistics of an event."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from layers import analysis
from mapping import selectors
from mapping.errors import CartopartyError


class Command(BaseCommand):
    help = "n, Spearman ρ with its participant-bootstrap interval, per source and per cell."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("--json", action="store_true", help="print JSON for scripts")
        for name, default in (("grid", "square"), ("cell_m", 100), ("radius_m", 50),
                              ("window_s", 900), ("h3_resolution", 10)):
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, default=default)
        parser.add_argument("--resamples", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            event = selectors.event_by_slug(options["slug"])
            req = analysis.parse_request(options)
            figures = analysis.overlay_stats(event, req, resamples=options["resamples"])
        except CartopartyError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))
            return
        overall = figures["overall"]
        self.stdout.write(f"{figures['reports']} reports, {figures['reports_measured']} measured")
        self.stdout.write(f"Spearman ρ = {overall['rho']} [{overall['ci_low']}, {overall['ci_high']}]"
                          f" — {overall['note']}")
        self.stdout.write(f"caveat: {figures['who_2018_road']['caveat']}")
