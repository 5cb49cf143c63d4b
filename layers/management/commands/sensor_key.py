"""``cartoparty sensor_key CODE [--lon X --lat Y] [--event SLUG]``: a sensor's API key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from layers.services import sensor_issue_key, sensor_register
from mapping import selectors
from mapping.errors import CartopartyError


class Command(BaseCommand):
    help = ("Create the sensor CODE if needed (fixed, at --lon/--lat) and print a new API key "
            "for POST /api/v1/sensors/CODE/readings/ (the previous key stops working).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("code")
        parser.add_argument("--lon", type=float)
        parser.add_argument("--lat", type=float)
        parser.add_argument("--deployment", "--kind", dest="deployment", default="fixed",
                            choices=["fixed", "mobile", "spot"])
        parser.add_argument("--event", help="slug of the event it is set up for (provenance: "
                                            "its readings serve every event they fall in)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            event = selectors.event_by_slug(options["event"]) if options["event"] else None
            sensor = sensor_register(code=options["code"], deployment=options["deployment"],
                                     lon=options["lon"], lat=options["lat"], event=event)
        except CartopartyError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(sensor_issue_key(sensor=sensor))
