"""Pages of contributions filtered by time (``Span``), counted, with the previous page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from mapping.models import EventRole
from mapping.selectors import Reader, Span, features_page, report_views_page
from tests.factories import (
    EventFactory,
    EventRoleFactory,
    MappedFeatureFactory,
    NuisanceReportFactory,
)

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 5, 3, 21, 10, tzinfo=dt.UTC)


def test_a_report_lasting_an_hour_meets_every_span_it_overlaps() -> None:
    event = EventFactory(slug="chambery")
    NuisanceReportFactory(
        event=event,
        geometry=Point(5.932, 45.566, srid=4326),
        observed_at=AT,
        observed_until=AT + dt.timedelta(minutes=70),
    )
    officer = EventRoleFactory(event=event, role=EventRole.Role.OFFICER).user

    def matched(reader: Reader, start: dt.datetime | None, end: dt.datetime | None) -> int:
        page = report_views_page(
            event=event, reader=reader, limit=10, observed=Span(start, end), counted=True
        )
        assert page.matched == len(page.items)
        return len(page.items)

    officer_reader, public = Reader(user=officer), Reader()
    # The exact span 21:10 to 22:20; the public one 21:00 to 22:00.
    assert matched(officer_reader, AT + dt.timedelta(minutes=65), None) == 1
    assert matched(public, AT + dt.timedelta(minutes=65), None) == 0
    assert matched(public, None, AT - dt.timedelta(minutes=5)) == 1  # 21:05 ≥ 21:00
    assert matched(officer_reader, None, AT - dt.timedelta(minutes=5)) == 0
    assert matched(public, AT + dt.timedelta(minutes=50), AT + dt.timedelta(minutes=50)) == 1


def test_pages_say_how_many_match_and_where_the_previous_one_starts() -> None:
    event = EventFactory(slug="chambery")
    made = [MappedFeatureFactory(event=event) for _ in range(5)]
    first = features_page(event=event, limit=2, counted=True)
    assert (first.matched, first.has_previous, first.previous_cursor) == (5, False, None)
    second = features_page(event=event, limit=2, cursor=first.next_cursor, counted=True)
    assert (second.has_previous, second.previous_cursor) == (True, None)
    third = features_page(event=event, limit=2, cursor=second.next_cursor, counted=True)
    assert third.previous_cursor == first.next_cursor
    assert [f.pk for f in third.items] == [made[4].pk]
    # Without ``counted`` the page is what the JSON API always got: nothing more read.
    assert features_page(event=event, limit=2).matched is None
