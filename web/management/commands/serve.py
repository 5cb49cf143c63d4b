"""``cartoparty serve [HOST:PORT]``: the production server (gunicorn + uvicorn workers)."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.utils import timezone

from mapping import selectors
from web import serving
from web.pages.offline import join_path


class Command(BaseCommand):
    help = ("Serve Cartoparty with the production server. HOST 0.0.0.0 serves the local "
            "network: the LAN address and a QR code of each open event's join link are "
            "printed, and that address is allowed (not every host).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000",
                            help="HOST:PORT to listen on (default 127.0.0.1:8000).")
        parser.add_argument("--workers", type=int, default=None,
                            help="Worker processes (default: 2 per core, 2 to 8).")
        parser.add_argument("--access-log", action="store_true", help="Log every request.")
        parser.add_argument("--event", default="", help="Print the join QR code of this event "
                            "only (default: events running now or starting within a day).")
        parser.add_argument("--no-qr", action="store_true", help="Print no QR code.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            bind = serving.parse_bind(options["addrport"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        base = f"http://{bind}"
        if bind.everywhere:
            lan = serving.lan_addresses()
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *lan]
            if lan:
                base = f"http://{lan[0]}:{bind.port}"
                self.stdout.write(f"Local network: {base}/  (also "
                                  f"http://127.0.0.1:{bind.port}/ on this machine)")
            else:
                self.stderr.write("No local network address found: serving this machine only.")
        elif bind.host not in {"127.0.0.1", "localhost", "::1"}:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, bind.host]
        if settings.PUBLIC_BASE_URL == "http://127.0.0.1:8000" and base != settings.PUBLIC_BASE_URL:
            settings.PUBLIC_BASE_URL = base  # the links handed out point where phones can go
        if not options["no_qr"]:
            try:
                self._print_join_codes(base, options["event"])
            except DatabaseError:
                raise CommandError("The database is not ready: run `cartoparty migrate` "
                                   "first (make run does).") from None
        connections.close_all()  # workers are forked: none may inherit a connection
        workers = options["workers"] or serving.default_workers(settings.SERVER_WORKERS)
        self.stdout.write(f"Serving on {base}/ with {workers} workers; Ctrl-C stops.")
        serving.Server(bind=bind, workers=workers, access_log=options["access_log"]).run()

    def _print_join_codes(self, base: str, slug: str) -> None:
        now = timezone.now()
        events = [selectors.event_by_slug(slug)] if slug else [
            e for e in selectors.event_list()
            if e.starts_at - timezone.timedelta(days=1) <= now <= e.ends_at]
        for event in events:
            url = base + join_path(event)
            self.stdout.write(f"\n{event.name} — join code {event.join_code}\n{url}")
            drawing = io.StringIO()
            segno.make(url, error="m").terminal(out=drawing, compact=True)
            self.stdout.write(drawing.getvalue(), ending="")
