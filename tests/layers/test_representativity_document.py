"""Tests for layers.representativity.document on the real Filosofi grid of part of Talence."""

from __future__ import annotations

import datetime as dt

import pytest
from shapely.geometry import box

from layers.representativity.coverage import squares_frame
from layers.representativity.document import Query, representativity
from mapping.grids import square_grid
from tests.layers.representativity_data import START, TALENCE_PART, event_data, grid

H = dt.timedelta(hours=1)


def _centre(code: str) -> tuple[float, float]:
    cell = grid().set_index("code").geometry[code]
    point = cell.representative_point()
    return point.x, point.y


def _cells(n: int) -> list[str]:
    """The ``n`` most populated cells fully inside the zone."""
    inside = grid()[grid()["zone_share"] == 1].sort_values("population", ascending=False)
    return list(inside["code"][:n])


def _crowd(code: str, people: int, *, channel: str = "web", at: dt.datetime = START + H,
           prefix: str = "p") -> list[tuple]:  # type: ignore[type-arg]
    lon, lat = _centre(code)
    return [(f"{prefix}{i}", channel, lon, lat, at) for i in range(people)]


def test_the_document_has_exactly_its_five_sections() -> None:
    result = representativity(event_data(_crowd(_cells(1)[0], 3)), k=5, public=False)
    assert list(result.document) == ["coverage", "concentration", "time", "profile",
                                     "suppression"]


def test_organisers_see_each_cell_its_blank_spots_and_the_rate_per_1000() -> None:
    first, second = _cells(2)
    rows = _crowd(first, 3) + _crowd(second, 1, prefix="q") + _crowd(second, 1, prefix="q")
    coverage = representativity(event_data(rows), k=5, public=False).document["coverage"]
    by_code = {f["id"]: f["properties"] for f in coverage["cells"]["features"]}
    assert (by_code[first]["contributions"], by_code[first]["contributors"]) == (3, 3)
    assert (by_code[second]["contributions"], by_code[second]["contributors"]) == (2, 1)
    cells = grid()
    residents = (cells["population"] * cells["zone_share"]).sum()
    assert coverage["inhabitants"] == pytest.approx(residents, abs=0.1)
    assert coverage["covered"] == 2
    assert coverage["populated_cells"] == len(cells)
    assert set(coverage["blank_spots"]) == set(cells["code"]) - {first, second}
    assert coverage["per_1000_inhabitants"] == pytest.approx(1000 * 5 / residents, abs=0.01)
    # Blank spots come most populated first: where the next carto-party should go.
    people = [by_code[c]["inhabitants"] for c in coverage["blank_spots"]]
    assert people == sorted(people, reverse=True)


def test_a_contribution_outside_every_populated_cell_counts_elsewhere() -> None:
    occupied = grid().union_all()
    spot = next(p for p in (box(-0.5999, 44.7901 + i * 0.001, -0.5989, 44.7911 + i * 0.001)
                            .centroid for i in range(19)) if not occupied.intersects(p))
    coverage = representativity(event_data([("a", "web", spot.x, spot.y, START)]), k=5,
                                public=False).document["coverage"]
    assert (coverage["elsewhere"], coverage["covered"], coverage["contributions"]) == (1, 0, 1)


def test_living_standard_thirds_each_hold_a_third_of_the_residents() -> None:
    coverage = representativity(event_data(_crowd(_cells(1)[0], 1)), k=5,
                                public=False).document["coverage"]
    thirds = coverage["by_living_standard"]
    assert [t["class"] for t in thirds] == ["lower_third", "middle_third", "upper_third"]
    low, high = coverage["living_standard_bounds_eur"]
    assert 10_000 < low < high < 40_000
    shares = [t["inhabitants"] / coverage["inhabitants"] for t in thirds]
    assert all(0.2 < s < 0.47 for s in shares)
    assert sum(t["inhabitants"] for t in thirds) == pytest.approx(coverage["inhabitants"], abs=1)


def test_concentration_answers_is_the_map_made_by_three_enthusiasts() -> None:
    code = _cells(1)[0]
    lon, lat = _centre(code)
    rows = [(name, "web", lon, lat, START) for name in ("ana", "bob", "cyd") for _ in range(30)]
    rows += [(f"once{i}", channel, lon, lat, START)
             for i, channel in enumerate(["web"] * 7 + ["mediator"] * 6 + ["paper"] * 4)]
    concentration = representativity(event_data(rows, participants=25), k=5,
                                     public=False).document["concentration"]
    assert (concentration["contributors"], concentration["contributions"]) == (20, 107)
    assert concentration["contributors_for_half"] == 2
    assert concentration["top10_share"] == pytest.approx(60 / 107, abs=1e-3)
    assert concentration["per_channel"]["self"]["contributors"] == 10
    assert concentration["per_channel"]["mediator"]["gini"] == 0.0
    assert concentration["per_channel"]["import"]["contributors"] == 0
    assert concentration["joined_without_contributing"] == 5


@pytest.mark.parametrize(("at", "hour", "weekday", "where"), [
    (dt.datetime(2026, 10, 10, 8, 30, tzinfo=dt.UTC), 10, 5, "inside_window"),  # CEST, UTC+2
    (dt.datetime(2026, 10, 10, 15, 0, tzinfo=dt.UTC), 17, 5, "after_window"),
    (dt.datetime(2026, 10, 9, 20, 0, tzinfo=dt.UTC), 22, 4, "before_window"),
    (dt.datetime(2026, 12, 5, 9, 15, tzinfo=dt.UTC), 10, 5, "after_window"),  # CET, UTC+1
])
def test_times_are_read_in_the_event_s_time_zone(at, hour, weekday, where) -> None:  # type: ignore[no-untyped-def]
    time = representativity(event_data(_crowd(_cells(1)[0], 1, at=at)), k=5,
                            public=False).document["time"]
    assert [h["hour"] for h in time["by_hour"] if h["contributions"]] == [hour]
    assert [d["weekday"] for d in time["by_weekday"] if d["contributions"]] == [weekday]
    assert time[where] == 1
    assert [h["hour"] for h in time["by_hour"] if h["open"]] == list(range(10, 17))
    assert [d["name"] for d in time["by_weekday"] if d["open"]] == ["saturday"]


def test_a_paper_feature_without_participation_time_is_counted_apart() -> None:
    rows = [*_crowd(_cells(1)[0], 2), ("z", "paper", *_centre(_cells(1)[0]), None)]
    time = representativity(event_data(rows), k=5, public=False).document["time"]
    assert (time["contributions"], time["without_time"]) == (2, 1)


def test_organisers_filters_cut_every_section() -> None:
    first, second = _cells(2)
    rows = (_crowd(first, 6, at=START + H) + _crowd(second, 6, prefix="q", at=START + 3 * H,
                                                     channel="mediator"))
    west, south = _centre(first)
    query = Query(bbox=(west - 0.001, south - 0.001, west + 0.001, south + 0.001))
    doc = representativity(event_data(rows), k=5, public=False, query=query).document
    assert (doc["coverage"]["contributions"], doc["concentration"]["contributions"],
            doc["time"]["contributions"]) == (6, 6, 6)
    doc = representativity(event_data(rows), k=5, public=False,
                           query=Query(since=START + 2 * H, channels=("mediator",))).document
    assert (doc["coverage"]["contributions"], doc["time"]["contributions"]) == (6, 6)
    assert list(doc["concentration"]["per_channel"]) == ["mediator"]


def _in_other_areas(n: int) -> list[str]:
    """``n`` populated cells fully in the zone, each in another 1 km area."""
    from layers.representativity.coverage import area_codes

    inside = grid()[grid()["zone_share"] == 1].sort_values("population", ascending=False)
    areas = area_codes(inside.geometry.representative_point(), "EPSG:3035")
    return list(inside.loc[~areas.duplicated(), "code"][:n])


def test_the_public_never_sees_a_group_of_fewer_than_k() -> None:
    first, second = _in_other_areas(2)
    rows = _crowd(first, 6) + _crowd(second, 3, prefix="q")
    doc = representativity(event_data(rows), k=5, public=True).document
    coverage = doc["coverage"]
    areas = [f["properties"] for f in coverage["areas"]["features"]]
    assert sorted(a["status"] for a in areas if a["status"] != "blank") == ["covered",
                                                                            "suppressed"]
    assert [a["contributions"] for a in areas if a["status"] == "suppressed"] == [None]
    assert [a["contributors"] for a in areas if a["status"] == "covered"] == [6]
    assert (coverage["contributions"], coverage["suppressed_areas"]) == (6, 1)
    assert doc["concentration"]["contributors"] == 6  # the 3 are in no figure
    assert doc["time"]["contributions"] == 6
    # Map cells only say whether someone mapped there.
    cells = [f["properties"] for f in coverage["cells"]["features"]]
    assert all(c["contributions"] is None and c["contributors"] is None for c in cells)
    assert doc["profile"]["declared"] is None
    assert doc["suppression"]["audience"] == "public"
    assert "below 5 are never shown" in doc["suppression"]["rule"]
    assert coverage["task_squares"] is None


def test_below_k_everywhere_the_public_sees_nothing_but_blank_and_not_empty() -> None:
    doc = representativity(event_data(_crowd(_cells(1)[0], 4)), k=5, public=True).document
    assert doc["concentration"]["contributors"] == 0
    assert doc["time"]["contributions"] == 0
    assert doc["coverage"]["contributions"] == 0
    assert doc["coverage"]["covered"] == 1  # someone mapped there: the public map shows it too
    assert doc["suppression"]["suppressed"]["channels"] == 1


def test_declared_profiles_are_merged_under_k_and_set_beside_the_residents() -> None:
    answers = ([{"age_band": "25_39", "gender": "woman"}] * 6 + [{"age_band": "65_79"}] * 2
               + [{"age_band": "80_plus"}] * 3 + [{}] * 1)
    profile = representativity(event_data(_crowd(_cells(1)[0], 1), answers=answers, asked=15),
                               k=5, public=False).document["profile"]
    declared = profile["declared"]
    assert (declared["respondents"], declared["no_data"], declared["asked"]) == (12, None, None)
    age = declared["questions"]["age_band"]
    assert {a["answer"]: a["count"] for a in age["answers"] if a["count"]} == {"25_39": 6}
    assert age["merged"]["answers"] == ["65_79", "80_plus", "no_answer"]
    assert age["merged"]["count"] == 6
    residents = profile["population"]["age_band"]
    assert sum(residents.values()) == pytest.approx(1, abs=1e-3)
    share = next(a for a in age["answers"] if a["answer"] == "25_39")
    assert (share["share"], share["population_share"]) == (0.5, residents["25_39"])
    assert "population_share" not in age["merged"]  # "no answer" has no residents' share
    gender = declared["questions"]["gender"]
    assert {a["answer"]: a["count"] for a in gender["answers"]}["woman"] == 6


def test_without_a_grid_the_zone_is_cut_into_a_lattice_and_no_rate_is_given() -> None:
    doc = representativity(event_data(_crowd(_cells(1)[0], 2), with_grid=False), k=5,
                           public=False).document
    coverage = doc["coverage"]
    assert coverage["cell_source"] == "lattice"
    assert coverage["cell_crs"] == "EPSG:3035"
    assert coverage["per_1000_inhabitants"] is None
    assert doc["profile"]["population"] is None
    assert coverage["covered"] == 1
    codes = [f["id"] for f in coverage["cells"]["features"]]
    assert all(c.startswith("CRS3035RES200mN") for c in codes)


def test_task_squares_get_their_share_of_residents() -> None:
    laid = square_grid(TALENCE_PART, size_m=500)
    squares = squares_frame([c.label for c in laid], [c.polygon for c in laid])
    doc = representativity(event_data(_crowd(_cells(1)[0], 2), squares=squares), k=5,
                           public=False).document
    task = doc["coverage"]["task_squares"]
    assert task["squares"] == len(squares)
    assert task["covered"] == 1
    assert sum(r["inhabitants"] for r in task["rows"]) == pytest.approx(
        doc["coverage"]["inhabitants"], rel=1e-3)


def test_an_unknown_channel_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown channel 'sms'"):
        representativity(event_data([]), k=5, public=False, query=Query(channels=("sms",)))


def test_no_contribution_at_all_still_gives_a_document() -> None:
    doc = representativity(event_data([]), k=5, public=True).document
    assert doc["concentration"]["gini"] is None
    assert doc["coverage"]["covered"] == 0
