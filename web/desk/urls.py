"""Routes of the organisers' desk, under /desk/."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from web.desk import (
    views_events,
    views_grid,
    views_live,
    views_moderation,
    views_officer,
    views_paper,
    views_representativity,
)

app_name = "desk"

urlpatterns = [
    path("", views_events.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="desk/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("new/", views_events.event_new, name="event-new"),
    path("<slug:slug>/", views_events.event_page, name="event"),
    path("<slug:slug>/edit/", views_events.event_edit, name="event-edit"),
    path("<slug:slug>/limits/", views_events.limits, name="event-limits"),
    path("<slug:slug>/moderation/", views_moderation.queue, name="moderation"),
    path("<slug:slug>/moderation/act/", views_moderation.act, name="moderation-act"),
    path("<slug:slug>/grid/", views_grid.grid, name="grid"),
    path("<slug:slug>/grid/progress.json", views_grid.progress, name="grid-progress"),
    path("<slug:slug>/grid/cells/<int:cell_id>/", views_grid.cell, name="grid-cell"),
    path("<slug:slug>/live/", views_live.live, name="live"),
    path("<slug:slug>/live/stream/", views_live.stream, name="live-stream"),
    path("<slug:slug>/paper/", views_paper.paper, name="paper"),
    path("<slug:slug>/paper/template.csv", views_paper.template_csv, name="paper-template"),
    path("<slug:slug>/paper/field-sheets.pdf", views_paper.field_sheets, name="field-sheets"),
    path("<slug:slug>/officer/", views_officer.officer, name="officer"),
    path("<slug:slug>/representativity/", views_representativity.representativity,
         name="representativity"),
    # The overlay's HTML map and figures (analysis output: a map, never a "report").
    path("<slug:slug>/officer/report.html", views_officer.overlay_map, name="officer-overlay"),
]
