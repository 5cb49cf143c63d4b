"""Lists served in pages, and what changed since a moment: the reads a live map makes.

- A *page* holds at most ``limit`` contributions in the order they arrived (created_at, id);
  the next page starts after the id the previous one ended on (keyset paging: page 200 costs
  what page 1 costs). Ids only go into cursors — never a time, which public readers see
  truncated to the hour.
- A *version* of an event's contributions changes whenever one is added, changed or removed:
  the API's ETag, so that a refresh that changed nothing is a 304 without reading any row.
- *Changes* are the contributions changed (or removed) since a moment, as the reader may see
  them: a map that knows its last moment downloads only those.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

import shapely
from django.db import connection
from django.db.models import BinaryField, CharField, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mapping.errors import N_, InvalidInput
from mapping.models import Event, MappedFeature, NuisanceReport, Removal
from mapping.privacy import public_places_xy
from mapping.selectors.contributions import features_in_event, history, reports_in_event
from mapping.selectors.filters import Span, parse_bbox
from mapping.selectors.readers import Access, Reader, ReportView, access_of, report_view

T = TypeVar("T")
# Transactions may commit out of timestamp order: changes are read again this far back.
OVERLAP = dt.timedelta(seconds=5)
# The most changes one answer carries; past it, the answer says so and the map reloads.
CHANGES_LIMIT = 2000
BAD_CURSOR = N_("cursor is not one this server gave: start from the first page.")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Items of one page, and the cursor of the next (None on the last page).

    ``has_previous``: a page comes before this one, starting after ``previous_cursor`` (None:
    the first page). ``matched``: how many items the query matches in all, when asked.
    """

    items: list[T]
    next_cursor: str | None
    has_previous: bool = False
    previous_cursor: str | None = None
    matched: int | None = None


def _anchor(qs: QuerySet[Any], cursor: str) -> dict[str, Any]:
    """The serving key (created_at, id) of the row named by ``cursor``; InvalidInput when the
    cursor names none."""
    anchor: dict[str, Any] | None
    try:
        anchor = qs.model.objects.filter(pk=uuid.UUID(cursor)).values(
            "created_at", "id").first()
    except ValueError:
        anchor = None
    if anchor is None:
        raise InvalidInput(BAD_CURSOR, field="cursor")
    return anchor


def _after(qs: QuerySet[Any], cursor: str | None) -> QuerySet[Any]:
    """Rows after the one named by ``cursor`` (a contribution id), in serving order."""
    if not cursor:
        return qs
    anchor = _anchor(qs, cursor)
    return qs.filter(Q(created_at__gt=anchor["created_at"])
                     | Q(created_at=anchor["created_at"], id__gt=anchor["id"]))


def _rows(qs: QuerySet[Any], cursor: str | None, limit: int) -> tuple[list[Any], str | None]:
    rows = list(_after(qs, cursor).order_by("created_at", "id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(rows[-1].pk) if more and rows else None)


def _previous(qs: QuerySet[Any], cursor: str | None, limit: int) -> tuple[bool, str | None]:
    """Whether a page comes before the one after ``cursor``, and that page's own cursor
    (None: it is the first page). One indexed query, as for the page itself."""
    if not cursor:
        return False, None
    anchor = _anchor(qs, cursor)
    ids = list(qs.filter(Q(created_at__lt=anchor["created_at"])
                         | Q(created_at=anchor["created_at"], id__lte=anchor["id"]))
               .order_by("-created_at", "-id").values_list("id", flat=True)[: limit + 1])
    return True, (str(ids[limit]) if len(ids) > limit else None)


class RowKey(NamedTuple):
    """What decides how a contribution reads, without reading it: its id, its last change and
    its author (an author who leaves the event changes how it reads without changing it).
    ``exact``: the reader sees it exactly (reports; features are always exact).

    A tuple, its id as text: a map's page holds hundreds of keys, and a frozen dataclass and a
    ``uuid.UUID`` per key were a fifth of a warm page's time."""

    id: str  # the contribution's id, as str(uuid.UUID) writes it
    stamp: str  # its last change, as the database writes it (not parsed: a key, not a time)
    version: int
    author_id: int | None
    exact: bool = True


_KEY_FIELDS = ("_id", "_stamp", "version", "author_id")


def _id_text(raw: str) -> str:
    """An id read as text in SQL, as ``str(uuid.UUID)`` writes it (SQLite stores the 32 hex
    digits without dashes, PostgreSQL writes them with)."""
    if len(raw) == 36:
        return raw
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def _wkb() -> Func:
    """The geometry as WKB bytes: GeoDjango's GEOS object per row was a fifth of a public
    page's time, for a geometry only read again by shapely."""
    return Func("geometry", function="ST_AsBinary", output_field=BinaryField())


def _seen_in_box(wkbs: Sequence[bytes], exact: Sequence[bool],
                 bounds: tuple[float, float, float, float]) -> list[bool]:
    """Whether each report lies in ``bounds`` as its reader sees it: its place when ``exact``,
    else its public place (:func:`mapping.privacy.public_places_xy`)."""
    if not wkbs:
        return []
    places = shapely.from_wkb([bytes(wkb) for wkb in wkbs])
    west, south, east, north = bounds
    inside = shapely.intersects(shapely.box(west, south, east, north), places).tolist()
    public = public_places_xy(places)
    return [is_inside if seen_exactly else west <= x <= east and south <= y <= north
            for is_inside, seen_exactly, (x, y) in zip(inside, exact, public, strict=True)]


def _key_rows(qs: QuerySet[Any], cursor: str | None, limit: int, *fields: str,
              ) -> tuple[list[tuple[Any, ...]], str | None]:
    # updated_at cast to text: parsing 10,000 times into datetimes was most of a warm page.
    rows = list(_after(qs.select_related(None).prefetch_related(None), cursor)
                .annotate(_id=Cast("id", output_field=CharField()),
                          _stamp=Cast("updated_at", output_field=CharField()),
                          **({"_wkb": _wkb()} if "_wkb" in fields else {}))
                .order_by("created_at", "id").values_list(*_KEY_FIELDS, *fields)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_id_text(rows[-1][0]) if more and rows else None)


def _counting(page: Page[T], qs: QuerySet[Any], cursor: str | None, limit: int,
              matched: int) -> Page[T]:
    """``page`` with the number matched and the previous page (``counted`` pages)."""
    has_previous, previous = _previous(qs, cursor, limit)
    return Page(items=page.items, next_cursor=page.next_cursor, has_previous=has_previous,
                previous_cursor=previous, matched=matched)


def feature_keys_page(*, event: Event, statuses: Sequence[str] = (), bbox: str = "",
                      preset: str = "", limit: int, cursor: str | None = None,
                      created: Span | None = None, counted: bool = False,
                      ) -> Page[RowKey]:
    """The keys of one page of :func:`features_page`, the same features in the same pages
    (one query; no row, no history read): the APIs serve the items they have already
    rendered from them. ``counted`` as for :func:`features_page`."""
    qs = features_in_event(event=event, statuses=statuses, bbox=bbox, preset=preset,
                           created=created)
    rows, following = _key_rows(qs, cursor, limit)
    page = Page(items=[RowKey(_id_text(row[0]), *row[1:]) for row in rows],
                next_cursor=following)
    return _counting(page, qs, cursor, limit, qs.count()) if counted else page


def _reports_seen(*, event: Event, access: Access, statuses: Sequence[str], bbox: str,
                  category: str, observed: Span | None) -> QuerySet[NuisanceReport]:
    """The reports a page reads for a reader with ``access``: for the public, every report
    whose public place may lie in the box (decided afterwards on that place) and a time
    span decided on the public hour."""
    return reports_in_event(event=event, statuses=statuses, bbox=bbox, category=category,
                            public_places=not access.exact_reports, observed=observed,
                            public_times=not access.exact_reports)


def _public_box(bbox: str, access: Access) -> Any:
    """The box a page of reports is decided on afterwards (the places the reader sees), or
    None when the query decided it already (no box, or exact places)."""
    return shapely.box(*parse_bbox(bbox).extent) if bbox and not access.exact_reports else None


def report_keys_page(*, event: Event, access: Access, statuses: Sequence[str] = (),
                     bbox: str = "", category: str = "", limit: int,
                     cursor: str | None = None, observed: Span | None = None,
                     counted: bool = False) -> Page[RowKey]:
    """The keys of one page of :func:`report_views_page`, the same reports in the same pages
    (a public box decided on the public places, from the geometry alone; ``observed`` and
    ``counted`` as there)."""
    qs = _reports_seen(event=event, access=access, statuses=statuses, bbox=bbox,
                       category=category, observed=observed)
    box = _public_box(bbox, access)
    rows, following = _key_rows(qs, cursor, limit, *(("_wkb",) if box is not None else ()))
    exact = [access.sees_exactly_by(row[3]) for row in rows]
    shown = _seen_in_box([row[4] for row in rows], exact, box.bounds) \
        if box is not None else [True] * len(rows)
    keys = [RowKey(_id_text(row[0]), row[1], row[2], row[3], seen)
            for row, seen, is_shown in zip(rows, exact, shown, strict=True) if is_shown]
    page = Page(items=keys, next_cursor=following)
    return _counting(page, qs, cursor, limit, _matched(qs, access, box)) if counted else page


_CHUNK = 2000  # ids per query: well within every database's parameter limit


def feature_rows(ids: Sequence[uuid.UUID | str]) -> dict[uuid.UUID, MappedFeature]:
    """Features by id, with author and history (those removed meanwhile are missing)."""
    found: dict[uuid.UUID, MappedFeature] = {}
    for start in range(0, len(ids), _CHUNK):
        found.update((row.pk, row) for row in MappedFeature.objects.filter(
            pk__in=ids[start:start + _CHUNK]).select_related("author")
            .prefetch_related(history()))
    return found


def report_views_by_id(ids: Sequence[uuid.UUID | str], access: Access,
                       ) -> dict[uuid.UUID, ReportView]:
    """Reports by id as a reader with ``access`` sees them (those removed meanwhile are
    missing)."""
    found: dict[uuid.UUID, ReportView] = {}
    for start in range(0, len(ids), _CHUNK):
        found.update((row.pk, report_view(row, access)) for row in NuisanceReport.objects
                     .filter(pk__in=ids[start:start + _CHUNK]).select_related("author")
                     .prefetch_related(history()))
    return found


def features_page(*, event: Event, statuses: Sequence[str] = (), bbox: str = "",
                  preset: str = "", limit: int, cursor: str | None = None,
                  created: Span | None = None, counted: bool = False,
                  ) -> Page[MappedFeature]:
    """One page of the event's features (filters as :func:`features_in_event`); ``counted``:
    with the number matched, and the previous page."""
    qs = features_in_event(event=event, statuses=statuses, bbox=bbox, preset=preset,
                           created=created)
    rows, following = _rows(qs, cursor, limit)
    page = Page(items=rows, next_cursor=following)
    return _counting(page, qs, cursor, limit, qs.count()) if counted else page


def report_views_page(*, event: Event, reader: Reader, statuses: Sequence[str] = (),
                      bbox: str = "", category: str = "", limit: int,
                      cursor: str | None = None, access: Access | None = None,
                      observed: Span | None = None, counted: bool = False,
                      ) -> Page[ReportView]:
    """One page of the event's reports as ``reader`` may see them.

    For public readers the box is decided on the coarsened places (as
    :func:`mapping.selectors.readers.report_views` does): the query is widened, the page
    filtered afterwards, and the next page starts after the last row read — so a page may
    hold fewer than ``limit`` reports while more follow. ``observed`` (a time span) is
    decided on the times the reader sees. ``access``: the reader's, when the caller resolved
    it already (it is the same for every page). ``counted``: with the number matched (on the
    places and times the reader sees), and the previous page.
    """
    access = access or access_of(reader, event)
    qs = _reports_seen(event=event, access=access, statuses=statuses, bbox=bbox,
                       category=category, observed=observed)
    rows, following = _rows(qs, cursor, limit)
    views = [report_view(report, access) for report in rows]
    box = _public_box(bbox, access)
    if box is not None:
        views = [view for view in views if box.intersects(view.geometry)]
    page = Page(items=views, next_cursor=following)
    return _counting(page, qs, cursor, limit, _matched(qs, access, box)) if counted else page


def _matched(qs: QuerySet[Any], access: Access, box: Any) -> int:
    """How many reports of ``qs`` the reader sees in ``box`` (None: no box): a public reader's
    are counted on the coarsened places, the count no more exact than the list."""
    if box is None:
        return qs.count()
    rows = list(qs.prefetch_related(None).select_related(None).annotate(_wkb=_wkb())
                .values_list("_wkb", "author_id"))
    return sum(_seen_in_box([wkb for wkb, _ in rows],
                            [access.participant_id == author for _, author in rows],
                            box.bounds))


@dataclass(frozen=True)
class Version:
    """The state of an event's contributions: ``tag`` changes with every addition, change or
    removal; ``latest`` is the moment of the last one (None: nothing yet)."""

    tag: str
    latest: dt.datetime | None


def _latest_query(event_id: int) -> QuerySet[Any]:
    # The latest row of each kind through its (event, updated_at) index: ORDER BY … LIMIT 1
    # reads one index entry, where MAX(…) GROUP BY event read every row of the event
    # (30 ms at 100,000 features on PostGIS, for every 304).
    return Event.objects.filter(pk=event_id).annotate(
        latest_feature=Subquery(MappedFeature.objects.filter(event=OuterRef("pk"))
                                .order_by("-updated_at").values("updated_at")[:1]),
        latest_report=Subquery(NuisanceReport.objects.filter(event=OuterRef("pk"))
                               .order_by("-updated_at").values("updated_at")[:1]),
        latest_removal=Subquery(Removal.objects.filter(event=OuterRef("pk"))
                                .order_by("-removed_at").values("removed_at")[:1]),
    ).values_list("latest_feature", "latest_report", "latest_removal")


_LATEST_SQL: dict[str, str] = {}


def _latest_moments(event_id: int) -> tuple[Any, ...]:
    """The three latest moments of :func:`_latest_query`, as the database returns them.

    Every read of the map asks this first (its ETag): building the query through the ORM took
    0.9 ms, running it 0.01 ms. Its SQL is built once per database and run with the event's id.
    """
    sql = _LATEST_SQL.get(connection.alias)
    if sql is None:
        sql, params = _latest_query(-1).query.get_compiler(using=connection.alias).as_sql()
        if params != (-1,):  # the event's id is the query's only parameter
            msg = f"unexpected parameters {params!r}"
            raise RuntimeError(msg)
        _LATEST_SQL[connection.alias] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [event_id])
        row = cursor.fetchone()
    return tuple(row) if row else ()


def _aware(raw: Any) -> dt.datetime | None:
    """A moment read without the ORM's converters: SQLite gives text (UTC), PostgreSQL an
    aware datetime."""
    if raw is None:
        return None
    moment = raw if isinstance(raw, dt.datetime) else parse_datetime(str(raw))
    if moment is None:
        msg = f"not a moment: {raw!r}"
        raise ValueError(msg)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def contributions_version(event: Event) -> Version:
    """The :class:`Version` of ``event``'s contributions (one query, answered from indexes).

    Built on the latest ``updated_at`` of each kind and the latest removal: an addition or a
    change moves one of them, a deletion leaves a :class:`~mapping.models.Removal`. (Clocks of
    several web machines should agree to the second — NTP — or a write stamped earlier than
    the latest one would not move the tag until the next write.)
    """
    latest = [_aware(part) for part in _latest_moments(event.pk)]
    moments = [part for part in latest or () if part is not None]
    return Version(tag="|".join(str(part.timestamp()) if part else "-" for part in latest or ()),
                   latest=max(moments) if moments else None)


@dataclass(frozen=True)
class Changes:
    """What changed since a moment, as one reader may see it."""

    features: list[MappedFeature]
    reports: list[ReportView]
    removed: list[tuple[str, str]]  # (kind, id)
    cursor: dt.datetime  # ask from this moment next time
    complete: bool  # False: more changed than one answer carries; reload the whole map


def changes_after(*, event: Event, reader: Reader, since: dt.datetime,
                  limit: int = CHANGES_LIMIT) -> Changes:
    """The event's contributions changed since ``since`` (and those removed), for ``reader``.

    Read from ``OVERLAP`` before ``since``: the reader may get a change twice, never miss
    one; clients keep the highest ``version`` of each id. The next ``cursor`` is now, the
    server's clock, never a contribution's own time.
    """
    now = timezone.now()
    start = since - OVERLAP
    access = access_of(reader, event)
    features = list(MappedFeature.objects.filter(event=event, updated_at__gte=start)
                    .select_related("author").prefetch_related(history())
                    .order_by("updated_at", "id")[: limit + 1])
    reports = list(NuisanceReport.objects.filter(event=event, updated_at__gte=start)
                   .select_related("author").prefetch_related(history())
                   .order_by("updated_at", "id")[: limit + 1])
    removed = list(Removal.objects.filter(event=event, removed_at__gte=start)
                   .order_by("removed_at").values_list("kind", "contribution_id")[: limit + 1])
    complete = len(features) <= limit and len(reports) <= limit and len(removed) <= limit
    return Changes(features=features[:limit],
                   reports=[report_view(r, access) for r in reports[:limit]],
                   removed=[(kind, str(pk)) for kind, pk in removed[:limit]],
                   cursor=now, complete=complete)


Sent = dict[tuple[str, str, str], dt.datetime]  # (kind, id, state) → when it was sent


def unsent(changes: Changes, sent: Sent) -> Changes:
    """``changes`` without what a live feed has sent already, which ``sent`` records.

    Each read goes back :data:`OVERLAP` before its cursor (so that no change is missed): a
    feed polling every second would otherwise send every change five or six times over — at
    300 open maps, 13.6 MB/s of repeats. What is kept is recorded in ``sent``; entries older
    than twice the overlap, which no read reaches any more, are forgotten.
    """
    def fresh(key: tuple[str, str, str]) -> bool:
        if key in sent:
            return False
        sent[key] = changes.cursor
        return True

    features = [f for f in changes.features
                if fresh(("feature", str(f.pk), f"{f.version}@{f.updated_at.isoformat()}"))]
    reports = [v for v in changes.reports if fresh(
        ("report", str(v.report.pk), f"{v.report.version}@{v.report.updated_at.isoformat()}"))]
    removed = [(kind, pk) for kind, pk in changes.removed if fresh((kind, pk, "removed"))]
    horizon = changes.cursor - 2 * OVERLAP
    for key in [key for key, at in sent.items() if at < horizon]:
        del sent[key]
    return Changes(features=features, reports=reports, removed=removed, cursor=changes.cursor,
                   complete=changes.complete)
