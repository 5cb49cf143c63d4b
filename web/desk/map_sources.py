"""Where the maps read features and reports: GeoJSON or tiles (issue 11).

One decision for the officer view, the widget and the citizen map, passed to their scripts as
the JSON island ``map-sources``:

- **per layer**: ``features`` and ``reports`` each switch to the data's vector tiles
  (``/tiles/{slug}/{layer}.json``, TileJSON) when that layer alone holds more items than
  ``MAP_TILES_ABOVE`` (a setting, default 2000); at or below it the page reads the GeoJSON
  list (``/api/v1/events/{slug}/{layer}/``) as before: the desk maps every page of it
  (following ``next`` links), the citizen map the visible area's (``?bbox=``), which its
  list view keeps reading above the threshold too.
  Per layer, not in total: a layer's cost in the browser is its own count, and an event with
  a few features and many reports keeps its features exact in GeoJSON;
- **the items counted** are the ones the page would load: every status for the officer and
  the citizen map (whose lists ask for no status), the shown statuses (accepted, exported)
  for the widget;
- **who reads**: the officer's requests carry their session (``same-origin``: exact places);
  the widget's never carry any (``omit``), so an organiser who opens it signed in still gets
  the public view (coarsened reports), like any visitor of the host site. The citizen map's
  tiles carry none either (``omit``): they draw *others'* contributions, public and
  coarsened, and can be kept by the service worker for offline use; a participant's own
  contributions are drawn exact from what the phone has (their list, the outbox).

The selectors decide what a reader sees (``report_views``, behind both the list and the
tiles); this module only decides how a map reads it.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.urls import reverse

from mapping import selectors
from mapping.models import Event

Audience = Literal["officer", "public", "citizen"]
LAYERS = ("features", "reports")
#: What the widget shows (the public's map of accepted contributions).
PUBLIC_STATUSES = ("accepted", "exported")


def layer_counts(*, event: Event, statuses: tuple[str, ...] = ()) -> dict[str, int]:
    """How many features and reports of ``event`` (of ``statuses``, all when empty)."""
    return {
        "features": selectors.features_in_event(event=event, statuses=statuses).count(),
        "reports": selectors.reports_in_event(event=event, statuses=statuses).count(),
    }


def map_sources(*, event: Event, audience: Audience) -> dict[str, Any]:
    """The config of a desk map's features and reports layers (JSON-ready).

    ``{"threshold", "credentials", "statuses", "layers": {layer: {"mode": "geojson"|"tiles",
    "count", "url", "item_url"}}}``: ``url`` is the first GeoJSON page or the TileJSON
    (whose MVT layer has the layer's name); ``item_url`` one item of the API (``{id}``: tiles
    carry what a map draws and labels, a feature's tags are one request away); ``statuses``
    the ones shown (empty: all), a query parameter of the GeoJSON list and a filter on the
    tiles' ``status``.
    """
    above = int(settings.MAP_TILES_ABOVE)
    statuses = PUBLIC_STATUSES if audience == "public" else ()
    counts = layer_counts(event=event, statuses=statuses)
    query = f"?status={','.join(statuses)}" if statuses else ""
    layers: dict[str, dict[str, Any]] = {}
    for layer, one in (("features", "feature"), ("reports", "report")):
        tiled = counts[layer] > above
        layers[layer] = {
            "mode": "tiles" if tiled else "geojson",
            "count": counts[layer],
            "url": reverse("tiles:data-tilejson", args=[event.slug, layer]) if tiled
            else reverse(f"api:{layer}", args=[event.slug]) + query,
            "item_url": reverse(f"api:{one}", args=[event.slug, "ID"]).replace(
                "/ID/", "/{id}/"
            ),
        }
    return {
        "threshold": above,
        "credentials": "same-origin" if audience == "officer" else "omit",
        "statuses": list(statuses),
        "layers": layers,
    }


__all__ = ["LAYERS", "PUBLIC_STATUSES", "Audience", "layer_counts", "map_sources"]
