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


def test_key_pages_are_the_same_pages_counted_alike() -> None:
    """``feature_keys_page`` and ``report_keys_page`` (what the APIs serve from) page, count
    and filter by time as the row pages do, for the public as for an officer."""
    from mapping.selectors import PUBLIC, access_of, feature_keys_page, report_keys_page

    event = EventFactory(slug="chambery")
    for n in range(5):
        MappedFeatureFactory(event=event)
        NuisanceReportFactory(event=event, geometry=Point(5.93237, 45.56583, srid=4326),
                              observed_at=AT + dt.timedelta(minutes=20 * n))
    officer = Reader(user=EventRoleFactory(event=event, role=EventRole.Role.OFFICER).user)
    span = Span(AT + dt.timedelta(minutes=30), None)
    box = "5.9318,45.5658,5.9321,45.5661"  # holds the public place (5.932, 45.566) only
    cursor: str | None = None
    while True:
        rows = features_page(event=event, limit=2, cursor=cursor, created=Span(AT, None),
                             counted=True)
        keys = feature_keys_page(event=event, limit=2, cursor=cursor, created=Span(AT, None),
                                 counted=True)
        assert [k.id for k in keys.items] == [str(f.pk) for f in rows.items]
        assert (keys.next_cursor, keys.has_previous, keys.previous_cursor, keys.matched) == (
            rows.next_cursor, rows.has_previous, rows.previous_cursor, rows.matched)
        if not (cursor := rows.next_cursor):
            break
    for reader, access in ((Reader(), PUBLIC), (officer, access_of(officer, event))):
        for bbox in ("", box):
            views = report_views_page(event=event, reader=reader, limit=10, bbox=bbox,
                                      observed=span, counted=True)
            keys = report_keys_page(event=event, access=access, limit=10, bbox=bbox,
                                    observed=span, counted=True)
            assert [k.id for k in keys.items] == [str(v.report.pk) for v in views.items]
            assert keys.matched == views.matched
            assert all(k.exact == (access is not PUBLIC) for k in keys.items)
    # Observed 21:10, 21:30, 21:50, 22:10, 22:30; from 21:40 the officer gets the last three,
    # the public, who sees hours (21:00, 21:00, 21:00, 22:00, 22:00), from 22:00 only.
    assert report_keys_page(event=event, access=PUBLIC, limit=10, observed=span,
                            counted=True).matched == 2
    assert report_keys_page(event=event, access=access_of(officer, event), limit=10,
                            observed=span, counted=True).matched == 3
    assert report_keys_page(event=event, access=PUBLIC, limit=10, bbox=box,
                            counted=True).matched == 5
    assert report_keys_page(event=event, access=access_of(officer, event), limit=10,
                            bbox=box, counted=True).matched == 0
