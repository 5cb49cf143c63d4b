"""``cartoparty overlay_stats SLUG [--json]``: perceived × measured statistics of an event."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from layers.management.overlay_options import add_overlay_arguments, overlay_parameters
from layers.selectors.overlay import overlay_statistics
from mapping import selectors
from mapping.errors import CartopartyError


class Command(BaseCommand):
    help = ("n, Spearman ρ with its participant-bootstrap interval, per source and per cell; "
            "what was left out of the overlay and why.")

    def add_arguments(self, parser: CommandParser) -> None:
        add_overlay_arguments(parser)
        parser.add_argument("--json", action="store_true", help="print JSON for scripts")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            event = selectors.event_by_slug(options["slug"])
            figures = overlay_statistics(event=event, params=overlay_parameters(options),
                                         resamples=options["resamples"])
        except CartopartyError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))
            return
        overall = figures["overall"]
        self.stdout.write(f"{figures['reports']} reports, {figures['reports_measured']} measured")
        self.stdout.write(f"Spearman ρ = {overall['rho']} "
                          f"[{overall['ci_low']}, {overall['ci_high']}] — {overall['note']}")
        for item in figures["left_out"]:
            self.stdout.write(f"left out: {item['readings']} readings of "
                              f"{len(item['sensors'])} sensors — {item['explanation']}")
        self.stdout.write(f"caveat: {figures['who_2018_road']['caveat']}")
        section = figures["soundscape"]
        if section:
            ind, site = section["individual"], section["per_site"]
            self.stdout.write(f"soundscape: {section['n_answers']} answers; perceived loudness "
                              f"vs LAeq per answer ρ = {ind['rho']} [{ind['ci_low']}, "
                              f"{ind['ci_high']}] (n = {ind['n']}); per site ρ = {site['rho']} "
                              f"(n_sites = {site['n_sites']})")
            self.stdout.write(f"warning: {site['warning']}")
            for s in section["sites"]:
                self.stdout.write(f"site {s['site']}: n = {s['n']}, pleasantness "
                                  f"{s['pleasantness']}, eventfulness {s['eventfulness']}, "
                                  f"LAeq {s['laeq_db']} dB(A), mean loudness {s['loudness_mean']}")
