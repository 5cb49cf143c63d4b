"""Reads shaped by who reads: the public or the exact view of nuisance reports, and histories.

A :class:`Reader` (a user, a participant, both or neither) is resolved once per event into an
:class:`Access`; the selectors here return :class:`ReportView` objects in which the place,
the times and the comment are already what that reader may see (``mapping.privacy``). The API
serialises them as they are: no view, serializer, tile or feed decides exactness itself.

- Organisers and GIS officers see every report exactly; a participant sees their own exactly.
- Everyone else gets the public view: the place rounded to ≈ 100 m
  (:func:`mapping.privacy.coarsen_geometry`), every time truncated to the hour, the comment
  only once accepted.
- A bounding box is decided on the place the reader sees, never on the exact one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from mapping import permissions
from mapping.models import Contributor, Event, EventRole, NuisanceReport, StatusChange
from mapping.privacy import (
    coarsen_geometry,
    coarsen_time,
    public_comment,
)
from mapping.selectors.contributions import report_in_event, reports_in_event
from mapping.selectors.filters import parse_bbox


@dataclass(frozen=True)
class Reader:
    """Who reads: a signed-in user (desk, API token), a participant (their token), or nobody."""

    user: Any = None
    participant: Contributor | None = None


@dataclass(frozen=True)
class Access:
    """What one reader may see in one event."""

    exact_reports: bool = False  # organisers and officers
    moderator: bool = False  # organisers: authors' pseudonyms, moderators' user names
    participant_id: int | None = None  # their own reports are exact for them

    def sees_exactly(self, report: NuisanceReport) -> bool:
        """Whether this reader sees ``report`` at its exact place and time."""
        return self.sees_exactly_by(report.author_id)

    def sees_exactly_by(self, author_id: int | None) -> bool:
        """Whether this reader sees the reports of ``author_id`` exactly."""
        return self.exact_reports or (
            self.participant_id is not None and author_id == self.participant_id)


PUBLIC = Access()
#: Whoever typed a contribution in (its author, a mediator) gets it back as written.
WRITER = Access(exact_reports=True)


def access_of(reader: Reader, event: Event) -> Access:
    """The reader's access to ``event`` (one query for a signed-in user, none otherwise)."""
    roles = permissions.roles_of(reader.user, event)
    person = reader.participant
    return Access(
        exact_reports=bool(roles & permissions.EXACT_REPORT_ROLES),
        moderator=EventRole.Role.ORGANISER in roles,
        participant_id=person.pk if person is not None and person.event_id == event.pk else None,
    )


@dataclass(frozen=True)
class SeenChange:
    """One step of a history as a reader sees it (``by``: a user name for moderators only)."""

    from_status: str | None
    to_status: str
    at: dt.datetime
    reason: str | None
    merged_into: str | None
    by: str


def seen_history(changes: Iterable[StatusChange], *, show_names: bool,
                 coarse: bool = False) -> tuple[SeenChange, ...]:
    """A contribution's status history; ``coarse`` truncates times to the hour (a report's
    first step is its observation time)."""
    steps = []
    for change in changes:
        if change.actor_user is not None:
            by = change.actor_user.get_username() if show_names else (
                "mediator" if change.from_status == "" else "moderator")
        else:
            by = "participant"
        at = coarsen_time(change.created_at) if coarse else change.created_at
        steps.append(SeenChange(
            from_status=change.from_status or None, to_status=change.to_status,
            at=at or change.created_at, reason=change.reason or None,
            merged_into=str(change.merged_into) if change.merged_into else None, by=by))
    return tuple(steps)


@dataclass(frozen=True)
class ReportView:
    """A nuisance report as one reader may see it; ``report`` carries the other fields."""

    report: NuisanceReport
    exact: bool
    geometry: BaseGeometry  # WGS84, exact or coarsened
    observed_at: dt.datetime
    observed_until: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    comment: str | None
    history: tuple[SeenChange, ...]
    for_moderator: bool  # the reader moderates: ``author`` is shown
    author: str | None  # the pseudonym (for moderators only)


def report_view(report: NuisanceReport, access: Access,
                history: Sequence[StatusChange] | None = None) -> ReportView:
    """``report`` as a reader with ``access`` sees it; ``history`` when the caller has it
    (as written), else the prefetched one."""
    changes = report.status_history() if history is None else history
    exact = access.sees_exactly(report)
    geometry = shapely.from_wkb(bytes(report.geometry.wkb))
    author = (report.author.pseudonym if report.author else None) if access.moderator else None
    if exact:
        return ReportView(
            report=report, exact=True, geometry=geometry, observed_at=report.observed_at,
            observed_until=report.observed_until, created_at=report.created_at,
            updated_at=report.updated_at, comment=report.comment,
            history=seen_history(changes, show_names=access.moderator),
            for_moderator=access.moderator, author=author)
    return ReportView(
        report=report, exact=False, geometry=coarsen_geometry(geometry),
        observed_at=coarsen_time(report.observed_at) or report.observed_at,
        observed_until=coarsen_time(report.observed_until),
        created_at=coarsen_time(report.created_at) or report.created_at,
        updated_at=coarsen_time(report.updated_at) or report.updated_at,
        comment=public_comment(report.comment, report.status),
        history=seen_history(changes, show_names=access.moderator, coarse=True),
        for_moderator=access.moderator, author=author)


def report_views(
    *, event: Event, reader: Reader, statuses: Sequence[str] = (), bbox: str = "",
    category: str = "",
) -> list[ReportView]:
    """The event's nuisance reports as ``reader`` may see them, oldest first.

    The single entry point for every output of reports (the JSON API today; vector tiles
    and OGC API Features later call it too): the reader decides exactness here, and the
    bounding box is applied to the place the reader sees. For public readers the query is
    widened by :data:`mapping.privacy.PUBLIC_MARGIN_DEG`, then filtered on the coarsened
    places, so no sequence of boxes reveals an exact place.
    """
    access = access_of(reader, event)
    reports = reports_in_event(event=event, statuses=statuses, bbox=bbox, category=category,
                               public_places=not access.exact_reports)
    views = [report_view(report, access) for report in reports]
    if bbox and not access.exact_reports:
        box = shapely.box(*parse_bbox(bbox).extent)
        views = [view for view in views if box.intersects(view.geometry)]
    return views


def report_view_in_event(*, event: Event, reader: Reader, contribution_id: str) -> ReportView:
    """One report of the event as ``reader`` may see it; NotFound otherwise."""
    found = report_in_event(event=event, contribution_id=contribution_id)
    return report_view(found, access_of(reader, event))


def own_report_views(contributor: Contributor,
                     reports: Iterable[NuisanceReport]) -> list[ReportView]:
    """A participant's own reports, as they see them: exactly."""
    access = Access(participant_id=contributor.pk)
    return [report_view(report, access) for report in reports]
