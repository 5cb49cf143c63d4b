"""Writes of the participatory core: one module per entity, keyword-only typed functions."""

from __future__ import annotations

from mapping.services.events import event_create
from mapping.services.features import feature_submit
from mapping.services.moderation import contribution_set_status
from mapping.services.participants import contributor_join, contributor_register
from mapping.services.reports import report_submit

__all__ = [
    "contribution_set_status",
    "contributor_join",
    "contributor_register",
    "event_create",
    "feature_submit",
    "report_submit",
]
