"""Tests for layers.importers.lasso on the real Nantes soundscape survey."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from layers.importers import detect_format, parse_file

GEOALL = Path(__file__).resolve().parents[2] / "data" / "noise" / "GeoAll.geojson"


@pytest.fixture(scope="module")
def parsed():  # type: ignore[no-untyped-def]
    return parse_file(GEOALL)


def test_detected(parsed) -> None:  # type: ignore[no-untyped-def]
    assert detect_format(GEOALL) == "lasso"
    assert parsed.rows == 764


def test_one_spot_sensor_per_recording(parsed) -> None:  # type: ignore[no-untyped-def]
    # 764 answers, 9 without Leq; answers at the same point sharing LAeq/LA90 share a recording.
    assert len(parsed.sensors) == 569
    assert Counter(r.quantity for r in parsed.readings) == {"LAeq": 569, "LA90": 569}
    first = next(r for r in parsed.readings if r.sensor_code == "lasso-nantes:1")
    assert (first.value, first.duration_s, first.measured_at.isoformat()) == (
        51.5, 180.0, "2019-03-15T13:00:00+00:00")


def test_laeq_below_la90_is_flagged(parsed) -> None:  # type: ignore[no-untyped-def]
    flagged = {r.sensor_code for r in parsed.readings if "laeq_below_la90" in r.flags}
    assert flagged == {"lasso-nantes:36", "lasso-nantes:581"}


def test_perceived_answers_become_reports(parsed) -> None:  # type: ignore[no-untyped-def]
    assert len(parsed.perceived) == 749  # 15 answers have no perceived loudness
    first = parsed.perceived[0]
    assert (first.key, first.intensity, first.sources) == ("lasso-nantes:1", 2,
                                                           ("road", "works", "animals"))
    assert first.group == "LASSO 2019 point 1"
    assert "loudness 3/10" in first.comment


def test_rows_without_measure_or_rating_are_reported(parsed) -> None:  # type: ignore[no-untyped-def]
    reasons = Counter(e.reason.split(": ", 1)[1] for e in parsed.errors)
    assert reasons == {"no measured Leq": 9, "no perceived loudness (Nois) in 0–10": 15}


def test_odd_rows_and_odd_files_are_refused_not_crashes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from layers.importers import ImportFormatError, detect_format
    from layers.importers.lasso import parse_lasso

    good = {"Leq": 60, "L90": 50, "Nois": 5, "PK": 1, "year": 2019}
    point = {"type": "Point", "coordinates": [-1.55, 47.2]}
    path = tmp_path / "survey.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": point, "properties": good},
        {"type": "Feature", "geometry": point, "properties": [1]},
        {"type": "Feature", "geometry": point, "properties": {**good, "PK": 2, "year": 99999}},
        None]}))
    parsed = parse_lasso(path)
    assert [e.row for e in parsed.errors] == [2, 3, 4]
    assert len(parsed.perceived) == 1
    path.write_text(json.dumps({"type": "FeatureCollection", "features": {"0": 1}}))
    with pytest.raises(ImportFormatError):
        detect_format(path)
