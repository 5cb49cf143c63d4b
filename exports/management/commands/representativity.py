"""``cartoparty representativity SLUG [--json] [--public]``: who took part, and who did not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exports.representativity import representativity_files, write_coverage_csv
from exports.selectors import document_basemap
from layers import selectors_representativity as reads
from mapping import selectors
from mapping.errors import CartopartyError


class Command(BaseCommand):
    help = ("Coverage, concentration, time and profile of an event, as the API gives them to "
            "organisers (--public: as anyone else sees them). Files (--csv, --gpkg, --html, "
            "--coverage-csv) "
            "always apply the suppression rule.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("--json", action="store_true", help="print the JSON document")
        parser.add_argument("--public", action="store_true", help="the public variant")
        for name, text in (("bbox", "west,south,east,north (WGS84)"),
                           ("since", "ISO 8601 (without offset: the event's time)"),
                           ("until", "ISO 8601, excluded"),
                           ("channel", "comma-separated: self, mediator, paper, import")):
            parser.add_argument(f"--{name}", help=text)
        for name in ("csv", "gpkg", "html"):
            parser.add_argument(f"--{name}", type=Path, help=f"write the .{name} file here")
        parser.add_argument("--coverage-csv", type=Path,
                            help="write the coverage per map cell and 1 km area (CSV) here")

    def handle(self, *args: Any, **options: Any) -> None:
        k = settings.REPRESENTATIVITY_K
        try:
            event = selectors.event_by_slug(options["slug"])
            query = reads.parse_query(options, event=event)
            result = reads.event_representativity(event=event, public=options["public"],
                                                  query=query, k=k)
            public = result
            files = ("csv", "gpkg", "html", "coverage_csv")
            if not options["public"] and any(options[n] for n in files):
                public = reads.event_representativity(event=event, public=True, query=query,
                                                      k=k)
        except (CartopartyError, ValueError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from None
        for name in ("csv", "gpkg"):
            if options[name]:
                path = options[name].with_suffix(f".{name}")
                representativity_files(public, path, event_name=event.name)
                self.stdout.write(f"wrote {path}")
        if options["coverage_csv"]:
            rows = write_coverage_csv(public, options["coverage_csv"])
            self.stdout.write(f"wrote {options['coverage_csv']} ({rows} rows)")
        if options["html"]:
            options["html"].write_text(reads.event_summary_html(
                public, event=event, basemap=document_basemap(event=event)), encoding="utf-8")
            self.stdout.write(f"wrote {options['html']}")
        if options["json"]:
            self.stdout.write(json.dumps(result.document, indent=1, ensure_ascii=False))
            return
        doc = result.document
        cov, conc, time = doc["coverage"], doc["concentration"], doc["time"]
        self.stdout.write(f"{event.name} — {doc['suppression']['audience']} view, k = {k}")
        self.stdout.write(f"coverage: {cov['contributions']} contributions, {cov['covered']} of "
                          f"{len(cov['cells']['features'])} map cells covered, "
                          f"{len(cov['blank_spots'])} blank spots "
                          f"({cov['inhabitants_in_blank_spots']:,.0f} inhabitants); "
                          f"per 1,000 inhabitants: {cov['per_1000_inhabitants']}")
        self.stdout.write(f"concentration: {conc['contributors']} contributors, top 10 % made "
                          f"{conc['top10_share']}, Gini {conc['gini']}, "
                          f"{conc['contributors_for_half']} made half")
        self.stdout.write(f"time ({time['time_zone']}): {time['inside_window']} inside the "
                          f"window, {time['before_window']} before, {time['after_window']} "
                          f"after, peak hour {time['peak_hour']}")
