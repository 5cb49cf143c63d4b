"""Reads of the participatory core, one module per thing read; every public name is here too.

- :mod:`~mapping.selectors.events` — events, the events of a desk user, widget settings;
- :mod:`~mapping.selectors.participants` — participants by token or follow key;
- :mod:`~mapping.selectors.contributions` — an event's features and reports, a participant's own;
- :mod:`~mapping.selectors.readers` — reports as one reader may see them (public or exact):
  the single entry point of every output of reports;
- :mod:`~mapping.selectors.nearby` — contributions of the same kind near a place;
- :mod:`~mapping.selectors.moderation` — the moderation queue;
- :mod:`~mapping.selectors.grid` — the task grid, its teams and progress;
- :mod:`~mapping.selectors.live` — status changes since a moment (the live view);
- :mod:`~mapping.selectors.pages` — lists in pages, versions (ETags), changes since a moment;
- :mod:`~mapping.selectors.filters` — the bbox, status and name filters they share;
- :mod:`~mapping.selectors.profiles` — participants' optional profiles (one's own, an
  event's bare answers).
- :mod:`~mapping.selectors.soundscape` — soundscape answers (ISO 12913) and listening sites.

Callers write ``from mapping import selectors`` and ``selectors.event_by_slug(...)``.
"""

from __future__ import annotations

from mapping.selectors.contributions import (
    contributions_of,
    feature_in_event,
    features_in_event,
    report_in_event,
    reports_in_event,
)
from mapping.selectors.events import event_by_slug, event_list, events_of, widget_of
from mapping.selectors.filters import Span, parse_bbox
from mapping.selectors.grid import (
    CellProgress,
    GridProgress,
    cell_in_event,
    grid_of,
    grid_progress,
    teams_of,
)
from mapping.selectors.live import changes_since
from mapping.selectors.moderation import QueueFilters, moderation_queue
from mapping.selectors.nearby import Nearby, features_nearby, reports_nearby
from mapping.selectors.pages import (
    Changes,
    Page,
    RowKey,
    Version,
    changes_after,
    contributions_version,
    feature_keys_page,
    feature_rows,
    features_page,
    report_keys_page,
    report_views_by_id,
    report_views_page,
)
from mapping.selectors.participants import contributor_by_follow_key, contributor_by_token
from mapping.selectors.profiles import declared_answers, participants_asked, profile_of
from mapping.selectors.readers import (
    PUBLIC,
    WRITER,
    Access,
    Reader,
    ReportView,
    SeenChange,
    access_of,
    own_report_views,
    report_view,
    report_view_in_event,
    report_views,
    seen_history,
)
from mapping.selectors.soundscape import sites_of, soundscape_of

__all__ = [
    "PUBLIC",
    "WRITER",
    "Access",
    "CellProgress",
    "Changes",
    "GridProgress",
    "Nearby",
    "Page",
    "QueueFilters",
    "Reader",
    "ReportView",
    "RowKey",
    "SeenChange",
    "Span",
    "Version",
    "access_of",
    "cell_in_event",
    "changes_after",
    "changes_since",
    "contributions_of",
    "contributions_version",
    "contributor_by_follow_key",
    "contributor_by_token",
    "declared_answers",
    "event_by_slug",
    "event_list",
    "events_of",
    "feature_in_event",
    "feature_keys_page",
    "feature_rows",
    "features_in_event",
    "features_nearby",
    "features_page",
    "grid_of",
    "grid_progress",
    "moderation_queue",
    "own_report_views",
    "parse_bbox",
    "participants_asked",
    "profile_of",
    "report_in_event",
    "report_keys_page",
    "report_view",
    "report_view_in_event",
    "report_views",
    "report_views_by_id",
    "report_views_page",
    "reports_in_event",
    "reports_nearby",
    "seen_history",
    "sites_of",
    "soundscape_of",
    "teams_of",
    "widget_of",
]
