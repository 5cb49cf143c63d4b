"""The task grid page: lay squares, create teams, take / finish / validate squares, progress."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mapping import selectors
from mapping.errors import CartopartyError
from mapping.models import GridCell, Team
from mapping.services.grid import cell_assign, cell_claim, cell_set_state, grid_create, team_create
from web import basemaps
from web.desk.access import HELPERS, WATCHERS, event_for, message, roles_in
from web.desk.forms import GridForm, TeamForm


def _progress_json(event, *, teams: bool = True) -> dict:  # type: ignore[no-untyped-def]
    """The grid's progress; ``teams=False`` leaves out the team holding each square (its name
    is free text an organiser typed, often a participant's first name)."""
    progress = selectors.grid_progress(event=event)
    return {
        "by_state": progress.by_state, "done": progress.done, "total": len(progress.cells),
        "cells": [{"id": p.cell.pk, "label": p.cell.label, "state": p.state,
                   **({"team": p.cell.team.name if p.cell.team else ""} if teams else {}),
                   "locked_until": p.cell.locked_until.isoformat()
                   if p.state == "being_mapped" and p.cell.locked_until else None,
                   "features": p.features, "reports": p.reports,
                   "geometry": json.loads(p.cell.geometry.geojson)} for p in progress.cells],
    }


@login_required
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for(request, slug, HELPERS)
    grid_form, team_form = GridForm(prefix="grid"), TeamForm(prefix="team")
    if request.method == "POST":
        try:
            if "grid-size_m" in request.POST:
                grid_form = GridForm(request.POST, prefix="grid")
                if grid_form.is_valid():
                    cells = grid_create(event=event, actor=request.user,
                                        size_m=grid_form.cleaned_data["size_m"])
                    messages.success(request, f"{len(cells)} ✓")
                    return redirect("desk:grid", slug=slug)
            else:
                team_form = TeamForm(request.POST, prefix="team")
                if team_form.is_valid():
                    team_create(event=event, actor=request.user,
                                name=team_form.cleaned_data["name"])
                    return redirect("desk:grid", slug=slug)
        except CartopartyError as exc:
            messages.error(request, message(exc))
    progress = selectors.grid_progress(event=event)
    return render(request, "desk/grid.html", {
        "event": event, "progress": progress, "grid_form": grid_form, "team_form": team_form,
        "teams": selectors.teams_of(event), "roles": roles_in(request, event),
        "zone": json.loads(event.zone.geojson), "basemap_style_url": basemaps.style_url(event),
        "states": {value: str(name) for value, name in GridCell.State.choices},
    })


@login_required
def progress(request: HttpRequest, slug: str) -> JsonResponse:
    """Read by the grid page (organisers, mediators) and by the officer view, whose grid layer
    and square filter need the squares: a pure GIS officer gets them without the teams."""
    event = event_for(request, slug, WATCHERS)
    return JsonResponse(_progress_json(event, teams=bool(roles_in(request, event) & set(HELPERS))))


@login_required
@require_POST
def cell(request: HttpRequest, slug: str, cell_id: int) -> HttpResponse:
    """One form per square: ``action`` = assign | claim | done | validated | to_map."""
    event = event_for(request, slug, HELPERS)
    action = request.POST.get("action", "")
    try:
        square = selectors.cell_in_event(event=event, cell_id=cell_id)
        team_id = request.POST.get("team", "")
        team = (Team.objects.filter(event=event, pk=int(team_id)).first()
                if team_id.isascii() and team_id.isdigit() and len(team_id) < 10 else None)
        if action == "assign":
            cell_assign(cell=square, actor=request.user, team=team)
        elif action == "claim":
            cell_claim(cell=square, actor=request.user, team=team)
        else:
            cell_set_state(cell=square, actor=request.user, state=action)
    except CartopartyError as exc:
        messages.error(request, message(exc))
    return redirect("desk:grid", slug=slug)
