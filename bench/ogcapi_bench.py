"""An OGC API – Features page of 1,000 items beside the same page from ``/api/v1/``.

Fills a scratch database like ``read_bench.py`` (one event, N features + N reports), then
times in process through Django's test client (one warm-up call, median of 7): the first
page and the 5th page (following ``next`` links) of 1,000 features and of 1,000 reports,
public and officer, from ``/ogcapi/collections/{id}/items`` and from ``/api/v1/``; and the
OGC page in Lambert-93 (``crs=EPSG:2154``). Both endpoints keep each item's rendered GeoJSON
(``web/api/items.py``; the OGC one also per CRS), so a repeated page is served from that
cache; ``api_cold`` and ``ogcapi_cold`` are the same pages with the cache emptied before each
call (every item read and rendered).

    .venv/bin/python bench/ogcapi_bench.py --db spatialite --n 100000
    .venv/bin/python bench/ogcapi_bench.py --db postgis --n 100000

Results are appended as JSON lines to ``bench/results/ogcapi_bench.jsonl``, with the load
average before and after (``load_before``, ``load_average``: 1, 5, 15 min); the scratch
database (``cartoparty_ogcapi_bench`` or a SpatiaLite folder) is dropped afterwards.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, now_iso, record, setup, timed
from read_bench import fill

NAME = "ogcapi_bench"

L93 = "http://www.opengis.net/def/crs/EPSG/0/2154"


def page_url(client, url: str, pages: int) -> str:  # type: ignore[no-untyped-def]
    """The URL of page ``pages`` (1: ``url`` itself), following ``next`` links."""
    for _ in range(pages - 1):
        body = client.get(url).json()
        href = next(link["href"] for link in body["links"] if link["rel"] == "next")
        parts = urlsplit(href)
        url = f"{parts.path}?{parts.query}"
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["spatialite", "postgis"], default="spatialite")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    setup(args.db, NAME)
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from web.api.items import CACHE

    _event, officer = fill(args.n)
    token = Token.objects.create(user=officer).key
    clients = {
        "public": Client(HTTP_HOST="127.0.0.1"),
        "officer": Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}"),
    }
    rows: dict[str, object] = {
        "db": args.db,
        "n_each": args.n,
        "label": args.label,
        "at": now_iso(),
        "load_before": load_average(),
    }
    for layer in ("features", "reports"):
        sources = {
            "ogcapi": f"/ogcapi/collections/read-bench-{layer}/items?limit=1000",
            "api": f"/api/v1/events/read-bench/{layer}/?limit=1000",
            "ogcapi_l93": f"/ogcapi/collections/read-bench-{layer}/items?limit=1000&crs={L93}",
            "api_cold": f"/api/v1/events/read-bench/{layer}/?limit=1000",
            "ogcapi_cold": f"/ogcapi/collections/read-bench-{layer}/items?limit=1000",
        }
        for who, client in clients.items():
            for source, first in sources.items():
                # *_cold: the rendered items (web/api/items.py) dropped before each call,
                # so every item is read and rendered.
                before = CACHE.clear if source.endswith("_cold") else None
                for number in (1, 5):
                    url = page_url(client, first, number)
                    ms, response = timed(lambda c=client, u=url: c.get(u), before=before)
                    items = len(response.json()["features"])  # type: ignore[attr-defined]
                    key = f"{source}_{layer}_{who}_page{number}"
                    rows[f"{key}_ms"], rows[f"{key}_items"] = round(ms, 1), items
    rows["load_average"] = load_average()
    record(NAME, rows)


if __name__ == "__main__":
    main()
