"""Property tests: no combination of public queries reveals what the k-rule hid.

The attacker may send any public queries (boxes, time windows, channels; several, overlapping)
and subtract their answers. Two properties are checked on random carto-parties over the real
grid of part of Talence:

- *indistinguishability*: changing what lies inside suppressed groups — one more contribution
  there, one more person there while the group stays under k, a report moved inside its
  public coarsening box, a time moved inside its hour — changes no public answer at all,
  while the organisers' view does change (so the test can fail);
- *differences*: the difference between the answers to two overlapping queries is the count
  of a set of contributions holding no person or at least k people.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from layers.representativity.coverage import squares_of
from layers.representativity.document import Query, public_rows, representativity
from tests.layers.representativity_data import START, TALENCE_PART, event_data, grid

K = 3
# Rounded places (the public 0.001° grid) near populated cells of several 1 km areas.
PLACES = sorted({(round(p.x, 3), round(p.y, 3)) for p in
                 grid()[grid()["zone_share"] == 1].sort_values("population").geometry
                 .representative_point().iloc[::9]})[:10]
OFFSET = st.floats(min_value=-0.00045, max_value=0.00045, allow_nan=False)
ROW = st.tuples(st.integers(min_value=0, max_value=9),  # contributor
                st.sampled_from(["web", "web", "mediator", "paper"]),
                st.sampled_from(PLACES), OFFSET, OFFSET,
                st.one_of(st.none(), st.integers(min_value=0, max_value=8)),  # hour after START
                st.integers(min_value=0, max_value=59))  # minute
DATASETS = st.lists(ROW, min_size=8, max_size=60)
LON = st.floats(min_value=TALENCE_PART.bounds[0], max_value=TALENCE_PART.bounds[2])
LAT = st.floats(min_value=TALENCE_PART.bounds[1], max_value=TALENCE_PART.bounds[3])
HOURS = st.integers(min_value=-1, max_value=10)
CHANNELS = st.lists(st.sampled_from(["self", "mediator", "paper"]), unique=True, max_size=3)
PROFILE = settings(max_examples=30, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def queries(draw: st.DrawFn) -> Query:
    bbox = None
    if draw(st.booleans()):
        xs, ys = sorted([draw(LON), draw(LON)]), sorted([draw(LAT), draw(LAT)])
        bbox = (xs[0], ys[0], xs[1] + 1e-6, ys[1] + 1e-6)
    since, until = draw(st.one_of(st.none(), HOURS)), draw(st.one_of(st.none(), HOURS))
    return Query(bbox=bbox,
                 since=None if since is None else START + dt.timedelta(hours=since, minutes=17),
                 until=None if until is None else START + dt.timedelta(hours=until, minutes=41),
                 channels=tuple(draw(CHANNELS)))


def _rows(raw: list[tuple]) -> list[tuple]:  # type: ignore[type-arg]
    return [(f"p{who}", channel, lon + dx, lat + dy,
             None if hour is None else START + dt.timedelta(hours=hour, minutes=minute))
            for who, channel, (lon, lat), dx, dy, hour, minute in raw]


def _public(raw: list[tuple], query: Query) -> str:  # type: ignore[type-arg]
    document = representativity(event_data(_rows(raw)), k=K, public=True, query=query).document
    return json.dumps(document, sort_keys=True)


@PROFILE
@given(DATASETS, st.data(), st.lists(queries(), min_size=2, max_size=2))
def test_what_lies_in_suppressed_groups_changes_no_public_answer(raw, data, asked) -> None:  # type: ignore[no-untyped-def]
    rows = public_rows(event_data(_rows(raw)), k=K)
    hidden = [i for i, kept in enumerate(rows["kept"]) if not kept]
    assume(hidden)
    index = data.draw(st.sampled_from(hidden))
    victim = raw[index]
    who, channel, place, dx, dy, hour, minute = victim
    area = rows.iloc[index]["area"]
    people_there = rows.loc[rows["area"] == area, "contributor"].nunique()
    changes = [
        [*raw, victim],  # one more contribution inside the hidden group
        [(who, channel, place, data.draw(OFFSET), data.draw(OFFSET), hour,
          data.draw(st.integers(0, 59))) if i == index else row for i, row in enumerate(raw)],
    ]
    if people_there <= K - 2:  # one more person there, and the group is still under k
        changes.append([*raw, (99, channel, place, dx, dy, hour, minute)])
    before = [_public(raw, query) for query in asked]
    for changed in changes:
        assert [_public(changed, query) for query in asked] == before
    # The organisers see the extra contribution: the property is not vacuous.
    organisers = representativity(event_data(_rows(changes[0])), k=K, public=False).document
    assert organisers["concentration"]["contributions"] == len(raw) + 1


def _people(rows: pd.DataFrame, first: set[int], second: set[int]) -> int:
    only = sorted(first ^ second)
    return rows.iloc[only]["contributor"].nunique() if only else 0


def _count(answer: dict, section: str) -> int:  # type: ignore[type-arg]
    # The time section counts contributions without a participation time apart.
    extra = answer["time"]["without_time"] if section == "time" else 0
    return answer[section]["contributions"] + extra


@PROFILE
@given(DATASETS, queries(), queries())
def test_two_overlapping_queries_differ_by_no_one_or_at_least_k_people(raw, one, two) -> None:  # type: ignore[no-untyped-def]
    rows = public_rows(event_data(_rows(raw)), k=K)
    kept = rows["kept"].to_numpy()
    answers = [json.loads(_public(raw, q)) for q in (one, two)]
    # Space: the contributions of the areas each box selects.
    codes = sorted(set(rows["area"]))
    centres = dict(zip(codes, squares_of(codes).representative_point(), strict=True))

    def in_box(query: Query) -> set[int]:
        if query.bbox is None:
            return {i for i in range(len(rows)) if kept[i]}
        w, s, e, n = query.bbox
        return {i for i, code in enumerate(rows["area"]) if kept[i]
                and w <= centres[code].x <= e and s <= centres[code].y <= n}

    def in_time(query: Query) -> set[int]:
        starts = pd.to_datetime(rows["hour"].where(rows["hour"] != "unknown"), utc=True)
        return {i for i, t in enumerate(starts) if kept[i] and (
            (query.since is None or (pd.notna(t) and t >= pd.Timestamp(query.since)))
            and (query.until is None or (pd.notna(t) and t < pd.Timestamp(query.until))))}

    def in_channels(query: Query) -> set[int]:
        wanted = set(query.channels) or {"self", "mediator", "paper", "import"}
        return {i for i, c in enumerate(rows["channel"]) if kept[i] and c in wanted}

    for section, select in (("coverage", in_box), ("time", in_time),
                            ("concentration", in_channels)):
        first, second = select(one), select(two)
        gap = _count(answers[0], section) - _count(answers[1], section)
        assert gap == len(first - second) - len(second - first)
        people = _people(rows, first, second)
        assert people == 0 or people >= K
