"""The embeddable widget: ``/embed/<slug>/`` for an iframe and ``widget.js``, one line to paste.

Only these pages may be framed, and only by the origins the organisers listed for the event
(``Content-Security-Policy: frame-ancestors``); every other page keeps ``X-Frame-Options: DENY``.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from mapping import selectors
from mapping.errors import NotFound
from mapping.origins import frame_ancestors
from mapping.presets import tag_presets
from web import basemaps, links
from web.desk import labels
from web.desk.forms import category_choices
from web.desk.map_sources import map_sources


def _event(slug: str):  # type: ignore[no-untyped-def]
    try:
        return selectors.event_by_slug(slug)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _language(request: HttpRequest) -> str:
    """The host page's language (``?lang=``) when we speak it, else the negotiated one."""
    wanted = request.GET.get("lang", "").lower().split("-")[0]
    codes = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in codes else (translation.get_language() or "fr")[:2]


@require_GET
@xframe_options_exempt
def embed_map(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    widget = selectors.widget_of(event)
    language = _language(request)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    contribute = widget.allow_contribution and request.GET.get("contribute") in ("1", "true")
    response = render(request, "desk/embed.html", {
        "event": event, "map_only": request.GET.get("mode") == "map",
        "contribute": contribute, "categories": [
            (k, n) for k, n in category_choices() if k in event.nuisance_categories],
        # The widget places a point: only presets a point can carry.
        "presets": [(key, labels.preset_name(key)) for key in event.presets
                    if "point" in tag_presets().get(key, {}).get("geometry", [])],
        "zone": json.loads(event.zone.geojson),
        "api": f"/api/v1/events/{event.slug}",
        "basemap_style_url": basemaps.style_url(event),
        # Always the public view, whoever opens it (map_sources: no session sent).
        "sources": map_sources(event=event, audience="public"),
    })
    # The whole policy of every page, but these origins may frame this one.
    response._csp_replace = {"frame-ancestors": frame_ancestors(widget.allowed_origins)}  # type: ignore[attr-defined]
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language, Cookie"
    return response


@require_GET
def widget_script(request: HttpRequest, slug: str) -> HttpResponse:
    """A script that puts the widget's iframe where it is pasted, in the page's language."""
    event = _event(slug)
    src = links.absolute(reverse("embed:map", args=[event.slug]))
    script = (
        "(function(){var s=document.currentScript,d=s.dataset,"
        "l=(document.documentElement.lang||navigator.language||'fr').slice(0,2),"
        f"q='?lang='+encodeURIComponent(l);if(d.mode)q+='&mode='+encodeURIComponent(d.mode);"
        "if(d.contribute)q+='&contribute=1';var f=document.createElement('iframe');"
        f"f.src={json.dumps(src)}+q;f.title={json.dumps(event.name)};f.loading='lazy';"
        "f.style.width='100%';f.style.border='0';f.style.height=(d.height||'480')+'px';"
        "f.setAttribute('allow','geolocation');s.parentNode.insertBefore(f,s.nextSibling);})();\n"
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
