"""Map reads at scale: a 200 m bounding box and the whole event, at N contributions.

Fills a scratch database (SpatiaLite file or PostGIS) with one event over a 2 km × 2 km zone
and N mapped features + N nuisance reports (each with its "received" history line), then
times, in process through Django's test client (no network, one warm-up call each):

- a 200 m bbox of features and of reports, as the public and as an officer;
- the same request again with the ``ETag`` it got (a refresh that changed nothing);
- the whole event's features streamed (``limit`` as large as the API allows, every page).

    .venv/bin/python bench/read_bench.py --db spatialite --n 100000
    .venv/bin/python bench/read_bench.py --db postgis --n 100000

Results are appended as JSON lines to ``bench/results/read_bench.jsonl``; the scratch
database (``cartoparty_read_bench`` or a SpatiaLite folder) is dropped afterwards.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import event_fill, load_average, now_iso, record, setup, timed

NAME = "read_bench"
# A 2 km × 2 km district of Chambéry (WGS84).
WEST, SOUTH = 5.9100, 45.5570
EAST, NORTH = WEST + 0.0257, SOUTH + 0.0180


def fill(n: int) -> tuple[object, object]:
    """One event, N features + N reports (and their history), and an officer of it."""
    from django.contrib.auth import get_user_model

    from mapping.models import EventRole

    event = event_fill(n=n, bounds=(WEST, SOUTH, EAST, NORTH), name="Read bench",
                       slug="read-bench", people=200, reports=True)
    officer = get_user_model().objects.create_user("bench-officer")
    EventRole.objects.create(event=event, user=officer, role=EventRole.Role.OFFICER)
    return event, officer


def cold_timed(call, repeat: int = 7) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """:func:`common.timed` with the API's rendered items (web/api/items.py) dropped before
    each call, so every item is read and rendered."""
    from web.api.items import CACHE

    return timed(call, repeat, before=CACHE.clear)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["spatialite", "postgis"], default="spatialite")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    setup(args.db, NAME)
    from django.test import Client
    from rest_framework.authtoken.models import Token

    _event, officer = fill(args.n)
    # As a server worker does once started (web/asgi.py): what exists now never becomes
    # garbage, and full collections stop walking it.
    gc.collect()
    gc.freeze()
    token = Token.objects.create(user=officer).key
    public = Client(HTTP_HOST="127.0.0.1")
    officer_client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")
    lon, lat = (WEST + EAST) / 2, (SOUTH + NORTH) / 2
    half_lon, half_lat = 0.00128, 0.0009  # ≈ 200 m × 200 m
    bbox = f"{lon - half_lon},{lat - half_lat},{lon + half_lon},{lat + half_lat}"
    rows: dict[str, object] = {"db": args.db, "n_each": args.n, "label": args.label,
                               "at": now_iso()}
    for layer in ("features", "reports"):
        url = f"/api/v1/events/read-bench/{layer}/?bbox={bbox}"
        for who, client in (("public", public), ("officer", officer_client)):
            ms, response = cold_timed(lambda c=client, u=url: c.get(u))
            rows[f"bbox_{layer}_{who}_cold_ms"] = round(ms, 1)
            ms, response = timed(lambda c=client, u=url: c.get(u))
            body = response.json()  # type: ignore[attr-defined]
            rows[f"bbox_{layer}_{who}_ms"] = round(ms, 1)
            rows[f"bbox_{layer}_{who}_items"] = len(body["features"])
            etag = response.get("ETag")  # type: ignore[attr-defined]
            if etag:
                ms, again = timed(lambda c=client, u=url, e=etag: c.get(u, HTTP_IF_NONE_MATCH=e))
                rows[f"bbox_{layer}_{who}_304_ms"] = round(ms, 1)
                rows[f"bbox_{layer}_{who}_304_status"] = again.status_code  # type: ignore[attr-defined]

    def whole() -> tuple[float, int, int]:
        """Every page of the event's features: server ms (the client's JSON parse, needed
        for the next link, is left out), items, bytes."""
        url, count, size, spent = "/api/v1/events/read-bench/features/?limit=10000", 0, 0, 0.0
        while url:
            start = time.perf_counter()
            response = public.get(url)
            content = b"".join(response.streaming_content) if response.streaming else \
                response.content
            spent += time.perf_counter() - start
            size += len(content)
            body = json.loads(content)
            count += len(body["features"])
            url = next((link["href"] for link in body.get("links", [])
                        if link.get("rel") == "next"), None)
        return spent * 1000, count, size

    from web.api.items import CACHE

    for state in ("cold", "warm"):
        runs = []
        for _ in range(3):
            if state == "cold":
                CACHE.clear()
            runs.append(whole())
        spent, count, size = sorted(runs)[1]
        rows[f"whole_features_{state}_ms"] = round(spent, 1)
    rows["whole_features_ms"] = rows["whole_features_warm_ms"]
    rows["whole_features_items"] = count
    rows["whole_features_mb"] = round(size / 1e6, 1)
    rows["load_average"] = load_average()
    record(NAME, rows)


if __name__ == "__main__":
    main()
