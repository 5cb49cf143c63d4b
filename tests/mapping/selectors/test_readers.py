"""Who sees a report exactly: one selector decides, from the reader, for every output."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from mapping.models import EventRole
from mapping.privacy import coarsen_time
from mapping.selectors import PUBLIC, Reader, access_of, report_view, report_views
from tests.factories import (
    ContributorFactory,
    EventFactory,
    EventRoleFactory,
    NuisanceReportFactory,
)

pytestmark = pytest.mark.django_db

EXACT = (5.93217, 45.56594)
PUBLIC_PLACE = (5.932, 45.566)
OBSERVED = dt.datetime(2026, 5, 3, 21, 47, 12, tzinfo=dt.UTC)


@pytest.fixture
def report():  # type: ignore[no-untyped-def]
    return NuisanceReportFactory(event=EventFactory(slug="chambery"),
                                 geometry=Point(*EXACT, srid=4326), comment="Chez moi, au 3e",
                                 observed_at=OBSERVED)


def reader_of(report, who: str) -> Reader:  # type: ignore[no-untyped-def]
    if who == "public":
        return Reader()
    if who == "author":
        return Reader(participant=report.author)
    if who == "other participant":
        return Reader(participant=ContributorFactory(event=report.event))
    role = EventRoleFactory(event=report.event, role=who)
    return Reader(user=role.user)


@pytest.mark.parametrize(("who", "exact", "shows_author"), [
    ("public", False, False),
    ("other participant", False, False),
    (EventRole.Role.MEDIATOR, False, False),
    ("author", True, False),
    (EventRole.Role.OFFICER, True, False),
    (EventRole.Role.ORGANISER, True, True),
])
def test_each_reader_gets_the_view_their_role_allows(report, who, exact, shows_author):
    (view,) = report_views(event=report.event, reader=reader_of(report, who))
    assert view.exact is exact
    assert view.geometry.coords[0] == (EXACT if exact else PUBLIC_PLACE)
    assert view.comment == ("Chez moi, au 3e" if exact else None)  # not accepted yet
    assert view.observed_at == (OBSERVED if exact else OBSERVED.replace(minute=0, second=0))
    created = view.report.history.get().created_at
    assert [step.at for step in view.history] == [created if exact else coarsen_time(created)]
    assert view.for_moderator is shows_author
    assert (view.author == report.author.pseudonym) is shows_author


def test_an_accepted_comment_is_public(report):
    report.status = "accepted"
    report.save()
    assert report_view(report, PUBLIC).comment == "Chez moi, au 3e"


@pytest.mark.parametrize(("bbox", "found"), [
    ("5.93216,45.56593,5.93218,45.56595", False),  # around the exact place only
    ("5.93199,45.56599,5.93201,45.56601", True),  # around the public place
])
def test_a_public_bbox_is_decided_on_the_public_place(report, bbox, found):
    views = report_views(event=report.event, reader=Reader(), bbox=bbox)
    assert bool(views) is found


def test_an_officers_bbox_is_decided_on_the_exact_place(report):
    officer = reader_of(report, EventRole.Role.OFFICER)
    assert report_views(event=report.event, reader=officer,
                        bbox="5.93216,45.56593,5.93218,45.56595")
    assert not report_views(event=report.event, reader=officer,
                            bbox="5.93199,45.56599,5.93201,45.56601")


def test_a_participant_of_another_event_is_the_public(report):
    stranger = ContributorFactory()  # joined another event
    access = access_of(Reader(participant=stranger), report.event)
    assert access.participant_id is None
    assert not access.sees_exactly(report)


def test_a_public_box_returns_exactly_the_reports_whose_public_place_is_in_it():
    """The query reads through the index a superset of what the box shows; what it shows is
    decided on the public places (computed here independently), for pages and lists alike —
    points just outside the box whose rounded place falls inside, and the reverse."""
    import random

    import shapely
    from django.contrib.gis.geos import GEOSGeometry

    from mapping.privacy import coarsen_geometry
    from mapping.selectors import report_keys_page, report_views_page

    event = EventFactory(slug="edges")
    author = ContributorFactory(event=event)
    box = (5.9300, 45.5650, 5.9326, 45.5668)
    rng = random.Random(9)
    reports = []
    for i in range(160):
        lon = rng.uniform(box[0] - 0.002, box[2] + 0.002)
        lat = rng.uniform(box[1] - 0.002, box[3] + 0.002)
        if i % 8 == 0:  # a small polygon: its public place is its centroid, rounded
            shape = shapely.box(lon, lat, lon + 0.0004, lat + 0.0003)
            geometry = GEOSGeometry(shape.wkt, srid=4326)
        else:
            geometry = Point(lon, lat, srid=4326)
        reports.append(NuisanceReportFactory(event=event, geometry=geometry,
                                             author=author if i % 5 == 0 else None))
    # A long street report of the author's reaching into the box, its centroid far outside.
    street = shapely.box(box[2] - 0.0005, box[1], box[2] + 0.004, box[1] + 0.0002)
    reports.append(NuisanceReportFactory(event=event, author=author,
                                         geometry=GEOSGeometry(street.wkt, srid=4326)))
    # A frame around the box (a square park's edge): no part of it meets the box, even grown
    # by the public margin, but its public place — its centroid, the box's centre — does.
    frame = shapely.box(box[0] - 0.004, box[1] - 0.004, box[2] + 0.004, box[3] + 0.004
                        ).difference(shapely.box(box[0] - 0.003, box[1] - 0.003,
                                                 box[2] + 0.003, box[3] + 0.003))
    reports.append(NuisanceReportFactory(event=event,
                                         geometry=GEOSGeometry(frame.wkt, srid=4326)))
    bbox = ",".join(map(str, box))
    area = shapely.box(*box)

    def public_place(report):  # type: ignore[no-untyped-def]
        return coarsen_geometry(shapely.from_wkb(bytes(report.geometry.wkb)))

    expected_public = {str(r.pk) for r in reports if area.intersects(public_place(r))}
    assert 10 < len(expected_public) < 150  # the box is not trivially empty nor everything
    assert str(reports[-1].pk) in expected_public  # the frame, by its public place
    got = {str(v.report.pk) for v in report_views(event=event, reader=Reader(), bbox=bbox)}
    assert got == expected_public
    page = report_views_page(event=event, reader=Reader(), bbox=bbox, limit=1000)
    assert {str(v.report.pk) for v in page.items} == expected_public
    keys = report_keys_page(event=event, access=access_of(Reader(), event), bbox=bbox,
                            limit=1000)
    assert {key.id for key in keys.items} == expected_public

    # The author sees their own reports on their exact places, the others' on public ones.
    expected_author = {str(r.pk) for r in reports if area.intersects(
        shapely.from_wkb(bytes(r.geometry.wkb)) if r.author_id == author.pk
        else public_place(r))}
    assert expected_author != expected_public
    mine = report_views(event=event, reader=Reader(participant=author), bbox=bbox)
    assert {str(v.report.pk) for v in mine} == expected_author
