"""The public overlay never places a report closer than its public coarsening (issue 14).

The attacker of the issue moved ``cell_m`` in a binary search and read which cell a report
fell in: 94 anonymous requests placed it to the metre. Here hypothesis plays that attacker:
it draws reports, a victim, a public query (grid, size, resolution, bounding box, join
radius and window) and a second, secret version of the victim — anywhere else inside the
same public place and hour. If every public answer is the same for both versions, no
query, and so no combination of queries, can tell where inside its public place (or when
inside its hour) the victim reported.
"""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from layers.frames import public_reports, readings_frame, reports_frame
from layers.overlay_figures import OverlayData, cells_feature_collection, overlay_cells
from layers.overlay_parameters import OverlayParameters
from mapping.errors import InvalidInput
from mapping.privacy import (
    MIN_PUBLIC_CONTRIBUTORS,
    PUBLIC_DECIMALS,
    PUBLIC_H3_RESOLUTIONS,
    PUBLIC_SQUARE_CELLS_M,
    coarsen_point,
)

T0 = dt.datetime(2024, 6, 21, 16, 0, tzinfo=dt.UTC)
# Nantes, about 1.5 km × 1.1 km: reports fall across several cells of every public size.
WEST, SOUTH, SPAN = -1.56, 47.21, 0.02
L93 = "EPSG:2154"
HALF = 0.5 * 10.0 ** -PUBLIC_DECIMALS

# Reports gather (within ±300 m of the area's centre) so that cells hold enough contributors
# to be shown, and a victim moved inside its public place often crosses a cell edge.
CENTRE = (WEST + SPAN / 2, SOUTH + SPAN / 4)
report_st = st.tuples(
    st.floats(CENTRE[0] - 0.004, CENTRE[0] + 0.004),
    st.floats(CENTRE[1] - 0.003, CENTRE[1] + 0.003),
    st.integers(1, 6),  # contributor
    st.integers(1, 5),  # intensity
    st.integers(0, 3 * 86400),  # seconds after T0
)
params_st = st.builds(
    OverlayParameters,
    grid=st.sampled_from(["square", "h3"]),
    cell_m=st.sampled_from([float(c) for c in PUBLIC_SQUARE_CELLS_M]),
    h3_resolution=st.sampled_from(PUBLIC_H3_RESOLUTIONS),
    radius_m=st.floats(0, 5000), window_s=st.floats(0, 86400),
    bbox=st.none() | st.tuples(st.floats(WEST - 0.01, WEST + SPAN / 2),
                               st.floats(SOUTH - 0.01, SOUTH + SPAN / 4),
                               st.floats(WEST + SPAN / 2 + 0.001, WEST + SPAN + 0.01),
                               st.floats(SOUTH + SPAN / 4 + 0.001, SOUTH + SPAN + 0.01)),
)


def _reports(rows):  # type: ignore[no-untyped-def]
    return reports_frame([(f"r{i}", who, "noise", intensity, ["road"],
                           T0 + dt.timedelta(seconds=s), None, shapely.Point(lon, lat))
                          for i, (lon, lat, who, intensity, s) in enumerate(rows)])


READINGS = readings_frame([
    (1, "station:a", "fixed", T0 + dt.timedelta(minutes=m), 60.0, 55.0 + m % 7, None, [],
     shapely.Point(WEST + 0.004, SOUTH + 0.003)) for m in range(0, 4000, 5)])


def _public_answer(rows, params: OverlayParameters) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """What an anonymous reader gets: the selector's path for a public reader."""
    data = OverlayData(reports=public_reports(_reports(rows)), readings=READINGS, left_out=(),
                       metric_crs=L93)
    return cells_feature_collection(overlay_cells(data, params, public=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(report_st, min_size=1, max_size=25), victim=st.integers(0, 24),
       shift=st.tuples(st.floats(-HALF, HALF), st.floats(-HALF, HALF)),
       later_s=st.integers(0, 3599), params=params_st)
def test_no_public_query_tells_where_in_its_public_place_a_report_was_made(
    rows, victim: int, shift: tuple[float, float], later_s: int, params: OverlayParameters,
) -> None:  # type: ignore[no-untyped-def]
    victim %= len(rows)
    lon, lat, who, intensity, s = rows[victim]
    moved = (lon + shift[0], lat + shift[1])
    assume(coarsen_point(*moved) == coarsen_point(lon, lat))  # the same public place
    hour_start = s - (T0 + dt.timedelta(seconds=s)).minute * 60 - (
        T0 + dt.timedelta(seconds=s)).second
    secret = [*rows[:victim], (*moved, who, intensity, hour_start + later_s), *rows[victim + 1:]]
    answer = _public_answer(rows, params)
    assert _public_answer(secret, params) == answer
    for cell in answer["features"]:
        n = cell["properties"]["n_contributors"]
        assert n == 0 or n >= MIN_PUBLIC_CONTRIBUTORS


@given(cell_m=st.floats(allow_nan=True, allow_infinity=True).filter(
    lambda v: v not in PUBLIC_SQUARE_CELLS_M))
def test_the_public_cannot_ask_for_any_other_cell_size(cell_m: float) -> None:
    with pytest.raises(InvalidInput) as refused:
        OverlayParameters.for_reader({"cell_m": cell_m}, exact=False)
    assert refused.value.field == "cell_m"


@pytest.mark.parametrize("resolution", sorted(set(range(6, 14)) - set(PUBLIC_H3_RESOLUTIONS)))
def test_the_public_cannot_ask_for_other_h3_resolutions(resolution: int) -> None:
    with pytest.raises(InvalidInput):
        OverlayParameters.for_reader({"grid": "h3", "h3_resolution": resolution}, exact=False)


def test_exact_places_would_have_told_it() -> None:
    """The property above has teeth: three contributors on either side of a 250-m line that
    cuts through one public place. Counted at exact places the line splits them; counted at
    the public place they stay together, wherever they really stood."""
    params = OverlayParameters(cell_m=250.0)
    # x = 354,250 m (EPSG:2154) is a 250-m cell edge; find a public place it crosses.
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs(L93, "EPSG:4326", always_xy=True)
    edge_lon, lat = to_wgs84.transform(354_250.0, 6_689_000.0)
    west, east = (edge_lon - 0.00005, lat), (edge_lon + 0.00005, lat)
    assert coarsen_point(*west) == coarsen_point(*east)  # one public place, cut by the edge
    west_side = [(*west, who, 3, 0) for who in (1, 2, 3)]
    east_side = [(*east, who, 3, 0) for who in (1, 2, 3)]
    exact = [OverlayData(reports=_reports(rows), readings=READINGS.iloc[:0], left_out=(),
                         metric_crs=L93) for rows in (west_side, east_side)]
    exact_cells = [set(overlay_cells(d, params, public=False)["cell"]) for d in exact]
    assert exact_cells[0] != exact_cells[1]  # exact places: the side of the line shows
    public = [set(overlay_cells(OverlayData(public_reports(d.reports), d.readings, (), L93),
                                params, public=True)["cell"]) for d in exact]
    assert public[0] == public[1]
