"""Who took part, and who did not: the representativity page of an event's desk.

Organisers and officers read the figures (coverage map, Lorenz curve, hours and days,
declared profile beside the residents) with every number in a table. The page opens on the
version that may be shared (the suppression rule applied, as in every export); the exact
view for organisers and officers is one link away and says it must not be shared.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext

from layers import selectors_representativity as reads
from layers.representativity.document import CHANNELS
from layers.representativity.figures import LABELS
from layers.representativity.page import T, page_sections
from mapping.errors import CartopartyError
from web import basemaps
from web.desk.access import OFFICERS, event_for, message

FILTERS = ("since", "until", "bbox")
FIGURES_CACHE_SECONDS = 600


def _params(request: HttpRequest) -> dict[str, str]:
    """The filters as the selectors read them (channel boxes joined by commas)."""
    params = {name: request.GET[name].strip() for name in FILTERS if request.GET.get(name)}
    channels = [c for box in request.GET.getlist("channel") for c in box.split(",") if c]
    if channels:
        params["channel"] = ",".join(channels)
    return params


def _map_labels(k: int) -> dict[str, str]:
    """The words of the coverage map's tooltips, in the reader's language."""
    words = {name: gettext(T[name]) for name in (
        "cell", "area", "covered", "blank", "inhabitants", "contributions", "contributors",
        "per_1000")}
    return {**words, "empty": gettext(LABELS["empty"]),
            "suppressed": gettext(T["suppressed"]).format(k=k)}


@login_required
def representativity(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, OFFICERS)
    exact = request.GET.get("view") == "organisers"
    params = _params(request)
    context = {
        "event": event,
        "exact": exact,
        "params": params,
        "k": settings.REPRESENTATIVITY_K,
        "channels": [
            (c, gettext(T[c]), c in params.get("channel", "").split(",")) for c in CHANNELS
        ],
        "shared_url": "?" + urlencode(params),
        "exact_url": "?" + urlencode({**params, "view": "organisers"}),
    }
    try:
        query = reads.parse_query(params, event=event)
        result = reads.event_representativity(
            event=event,
            public=not exact,
            query=query,
            k=settings.REPRESENTATIVITY_K,
            translate=gettext,
        )
    except CartopartyError as exc:
        context["error"] = message(exc)
        return render(request, "desk/representativity.html", context, status=400)
    language = get_language() or "en"
    # The figures take a second or two to draw: keep them for an unchanged document.
    key = (
        "desk-representativity:"
        + hashlib.sha256(
            json.dumps(
                [result.document, language, event.zone.wkt], sort_keys=True, default=str
            ).encode()
        ).hexdigest()
    )
    sections = cache.get(key)
    if sections is None:
        sections = page_sections(
            result.document,
            translate=gettext,
            zone=json.loads(event.zone.geojson),
            language=language,
        )
        cache.set(key, sections, FIGURES_CACHE_SECONDS)
    api = reverse("api:representativity", args=[event.slug])
    files = "?" + urlencode({n: v for n, v in params.items()}) if params else ""
    # The map reads the version the page shows: the shared one asks for the public variant
    # even when an organiser reads it (no exact count under k on the screen being shared).
    coverage_geojson = (
        reverse("api:representativity-coverage-geojson", args=[event.slug])
        + "?"
        + urlencode({**params, "public": "false" if exact else "true"})
    )
    context.update(
        sections=sections,
        coverage_map={
            "url": coverage_geojson,
            "audience": "organisers" if exact else "public",
            "basemap_style_url": basemaps.style_url(event),
            # No OSM context yet: a plain background, unless an external server is allowed.
            "tile_url": basemaps.external_tile_url(),
            "labels": _map_labels(settings.REPRESENTATIVITY_K),
        },
        zone=json.loads(event.zone.geojson),
        downloads=[
            (
                "coverage.csv",
                gettext("Coverage per map cell and 1 km area (CSV)"),
                reverse("api:representativity-coverage", args=[event.slug]) + files,
            ),
            (
                "export.gpkg",
                gettext("Map cells, 1 km areas and indicators (GeoPackage, QGIS)"),
                reverse("api:representativity-file", args=[event.slug, "gpkg"]) + files,
            ),
            (
                "export.csv",
                gettext("Every indicator, one number a row (CSV)"),
                reverse("api:representativity-file", args=[event.slug, "csv"]) + files,
            ),
            (
                "summary.html",
                gettext("Self-contained summary to share (HTML: map, charts, tables)"),
                reverse("api:representativity-summary", args=[event.slug]) + files,
            ),
            (
                "coverage.geojson",
                gettext("Map cells and 1 km areas for a map (GeoJSON)"),
                coverage_geojson,
            ),
            ("json", gettext("The document behind this page (JSON, API)"), api + files),
        ],
    )
    return render(request, "desk/representativity.html", context)
