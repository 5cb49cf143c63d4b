"""Paper forms: the CSV template, its import (check first, then import), field sheets PDF."""

from __future__ import annotations

import base64
import hashlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from exports.sheets.pdf import field_sheets_pdf
from exports.sheets.selectors import field_sheet_pages
from mapping import paper_csv
from mapping.errors import CartopartyError
from mapping.services.paper_forms import paper_forms_import
from web import links
from web.desk.access import HELPERS, event_for, message
from web.desk.forms import PaperImportForm

MAX_FILE_BYTES = 2_000_000
SESSION_KEY = "desk-paper-{slug}"


def join_url(request: HttpRequest, event) -> str:  # type: ignore[no-untyped-def]
    """The address a QR code opens: the event's page carrying its join code."""
    return links.absolute(reverse("pages:event-map", args=[event.slug])) + \
        f"#code={event.join_code}"


@login_required
def template_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, HELPERS)
    # A BOM makes spreadsheet software open the file as UTF-8 (accents intact).
    response = HttpResponse("\ufeff" + paper_csv.template_csv(),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-paper-forms.csv"'
    return response


@login_required
def paper(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, HELPERS)
    key = SESSION_KEY.format(slug=slug)
    form = PaperImportForm()
    result, error = None, ""
    if request.method == "POST":
        data = None
        if request.POST.get("confirm") and key in request.session:
            stored = request.session[key]
            if stored["digest"] == request.POST["confirm"]:
                data = base64.b64decode(stored["data"])
        else:
            form = PaperImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                if upload.size > MAX_FILE_BYTES:
                    error = _("The file is larger than 2 MB: split it.")
                else:
                    data = upload.read()
        if data is not None:
            commit = bool(request.POST.get("confirm"))
            try:
                result = paper_forms_import(event=event, actor=request.user, data=data,
                                            commit=commit)
            except CartopartyError as exc:
                error = message(exc)
            if result is not None and result.ok and not commit:
                request.session[key] = {"digest": hashlib.sha256(data).hexdigest(),
                                        "data": base64.b64encode(data).decode()}
            elif key in request.session:
                del request.session[key]
    return render(request, "desk/paper.html", {
        "event": event, "form": form, "result": result, "error": error,
        "columns": paper_csv.COLUMNS,
        "confirm": request.session.get(key, {}).get("digest", "") if result else "",
    })


@login_required
def field_sheets(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, HELPERS)
    texts = {
        "square": _("Square"), "team": _("Team"), "scan": _("Scan to join"),
        "features": _("Already mapped here"), "none": _("Nothing mapped yet."),
        "notes": _("Observations (place, what, when)"),
        "credits": _("Map data © OpenStreetMap contributors (ODbL)"),
        "map_credit": _("© OpenStreetMap contributors, ODbL"), "legend": _("Legend"),
        "street": _("Street"), "path": _("Footpath, cycle path, steps"),
        "building": _("Building"), "water": _("Water"), "square_edge": _("Edge of this square"),
        "zone_edge": _("Outside the event's area"),
        "contribution": _("Already mapped (number in the list)"),
        "in_osm": _("Already in OpenStreetMap"),
        "no_extract": _("No OpenStreetMap extract for this event: streets and buildings are "
                        "not drawn."),
        "ss_title": _("Soundscape questionnaire (ISO/TS 12913-2)"),
        "ss_intro": _("To what extent do you agree that the sound environment here is…"),
        "ss_scale": _("1 strongly disagree · 2 · 3 neither · 4 · 5 strongly agree"),
        "ss_place": _("Place or site"), "ss_time": _("Date and time"), "ss_who": _("Pseudonym"),
        "pleasant": _("Pleasant"), "chaotic": _("Chaotic"), "vibrant": _("Vibrant"),
        "uneventful": _("Uneventful"), "calm": _("Calm"), "annoying": _("Annoying"),
        "eventful": _("Eventful"), "monotonous": _("Monotonous"),
        "loudness": _("How loud is it here? (1 not at all … 5 extremely)"),
        "overall": _("Overall, the sound environment here is (1 very bad … 5 very good)"),
        "ss_entry": _("Typed in with the paper form CSV: columns pleasant … monotonous, "
                      "loudness, overall."),
    }
    pages = field_sheet_pages(event=event, language=get_language() or "fr")
    pdf = field_sheets_pdf(pages, event_name=event.name, join_url=join_url(request, event),
                           texts=texts, soundscape=event.soundscape_enabled)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-field-sheets.pdf"'
    return response
