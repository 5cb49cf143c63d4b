"""The collections of an event and what describes them (``/collections``, ``/collections/{id}``).

Each event offers four collections, named ``{slug}-{kind}``: its mapped ``features``, its
nuisance ``reports`` (public places and hours unless the reader is one of its officers), the
``sensors`` measuring in its zone and window, and the public ``overlay`` cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from layers.selectors.overlay import metric_crs
from mapping import selectors
from mapping.models import Event
from web.ogcapi import crs
from web.ogcapi.errors import OgcError

KINDS = ("features", "reports", "sensors", "overlay")
GEOJSON = "application/geo+json"
JSON = "application/json"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
#: Filters each collection accepts besides the standard parameters (comma-separated lists).
FILTERS = {
    "features": ("status", "preset"),
    "reports": ("status", "category"),
    "sensors": (),
    "overlay": (),
}
#: How the next page is asked: keyset cursors for contributions, offsets for short lists.
PAGING = {"features": "cursor", "reports": "cursor", "sensors": "offset", "overlay": "offset"}


@dataclass(frozen=True)
class CollectionRef:
    """An event and one of its collections, named by the URL."""

    event: Event
    kind: str

    @property
    def id(self) -> str:
        return f"{self.event.slug}-{self.kind}"

    def choices(self) -> tuple[str, ...]:
        """The CRS URIs offered (the event's metric CRS among them)."""
        return crs.offered(metric_crs(self.event))


def resolve(collection_id: str) -> CollectionRef:
    """``{slug}-{kind}`` → the event and the kind; an OGC 404 when there is none."""
    slug, _sep, kind = collection_id.rpartition("-")
    if kind not in KINDS or not slug:
        raise OgcError(
            _(
                "No collection {id}: collections are named {{event}}-features, "
                "-reports, -sensors or -overlay."
            ).format(id=collection_id),
            status=404,
        )
    return CollectionRef(selectors.event_by_slug(slug), kind)


def _texts(event: Event, kind: str) -> tuple[str, str]:
    name = event.name
    return {
        "features": (
            _("{event}: mapped features").format(event=name),
            _(
                "Features mapped by the participants, with their OpenStreetMap tags "
                "and moderation status."
            ),
        ),
        "reports": (
            _("{event}: nuisance reports").format(event=name),
            _(
                "Perceived nuisances reported by the participants. Public readers get "
                "each place rounded to about 100 m and times to the hour; the event's "
                "organisers and officers, signed in, get them exactly."
            ),
        ),
        "sensors": (
            _("{event}: sensors").format(event=name),
            _(
                "Sensors that measured sound in the event's zone and window, with "
                "their levels (LAeq, L10, L50, L90, dB(A))."
            ),
        ),
        "overlay": (
            _("{event}: perceived × measured overlay").format(event=name),
            _(
                "Grid cells of the overlay: measured LAeq, reports and contributors. "
                "Public cells are counted from the public places, and cells with too "
                "few contributors are left out."
            ),
        ),
    }[kind]


def collection(ref: CollectionRef, url: Callable[[str], str]) -> dict[str, Any]:
    """The description of one collection; ``url`` makes a path absolute."""
    event = ref.event
    title, description = _texts(event, ref.kind)
    base = url(f"/ogcapi/collections/{ref.id}")
    return {
        "id": ref.id,
        "title": title,
        "description": description,
        "itemType": "feature",
        "extent": {
            "spatial": {"bbox": [list(event.zone.extent)], "crs": crs.CRS84},
            "temporal": {
                "interval": [[event.starts_at.isoformat(), event.ends_at.isoformat()]],
                "trs": GREGORIAN,
            },
        },
        "crs": list(ref.choices()),
        "storageCrs": crs.CRS84,
        "links": [
            {"rel": "self", "type": JSON, "title": title, "href": base},
            {"rel": "items", "type": GEOJSON, "title": title, "href": f"{base}/items"},
            {
                "rel": "license",
                "type": "text/html",
                "title": "ODbL-1.0",
                "href": "https://opendatacommons.org/licenses/odbl/1-0/",
            },
            {
                "rel": "alternate",
                "type": GEOJSON,
                "title": _("The same data in the JSON API"),
                "href": url(f"/api/v1/events/{event.slug}/{ref.kind}/"),
            },
        ],
    }


def collections(url: Callable[[str], str]) -> list[dict[str, Any]]:
    """Every event's collections, the newest event first."""
    return [
        collection(CollectionRef(event, kind), url)
        for event in selectors.event_list()
        for kind in KINDS
    ]


def landing(url: Callable[[str], str]) -> dict[str, Any]:
    """The landing page: what the API is and where its parts are."""
    return {
        "title": _("Cartoparty: OGC API – Features"),
        "description": _(
            "The mapped features, nuisance reports, sensors and overlay cells of "
            "every carto-party, for GIS software (QGIS: Layer ▸ Add Layer ▸ Add "
            "WFS / OGC API – Features Layer)."
        ),
        "links": [
            {"rel": "self", "type": JSON, "title": _("This document"), "href": url("/ogcapi/")},
            {
                "rel": "service-desc",
                "type": "application/vnd.oai.openapi+json;version=3.0",
                "title": _("The API definition (OpenAPI 3.0)"),
                "href": url("/ogcapi/api"),
            },
            {
                "rel": "conformance",
                "type": JSON,
                "title": _("Conformance classes"),
                "href": url("/ogcapi/conformance"),
            },
            {
                "rel": "data",
                "type": JSON,
                "title": _("Collections"),
                "href": url("/ogcapi/collections"),
            },
        ],
    }
