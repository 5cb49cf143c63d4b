"""Tests for layers.importers.csv_formats: DNMS archive and generic station CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.acoustics import laeq_db
from layers.importers import ImportFormatError, Parsed, ReadingRecord, detect_format, parse_file
from layers.importers.station_csv import _row as station_row

NOISE = Path(__file__).resolve().parents[2] / "data" / "noise"


def parse_all(path: Path) -> tuple[Parsed, list[ReadingRecord]]:
    """Parse a file and read its whole stream: then its errors and sensors are complete."""
    parsed = parse_file(path)
    readings = parsed.all_readings()
    return parsed, readings


def test_formats_are_detected_from_the_header() -> None:
    assert detect_format(NOISE / "dnms_sample.csv") == "dnms"
    assert detect_format(NOISE / "stations_sample.csv") == "station"


def test_dnms_rows_become_interval_readings() -> None:
    parsed, readings = parse_all(NOISE / "dnms_sample.csv")
    assert [(e.row, e.reason.split(":")[0]) for e in parsed.errors] == [
        (4, "unreadable row"), (5, "coordinates out of range")]
    laeq = [r for r in readings if r.quantity == "LAeq"]
    assert [r.value for r in laeq] == [60.0, 70.0, 60.0, 62.0]
    # The interval is the gap to the previous row (145 s); first row and after a gap: estimated.
    assert [r.duration_s for r in laeq] == [145.0] * 4
    assert [bool(r.flags) for r in laeq] == [True, False, False, True]
    assert laeq[1].measured_at.isoformat() == "2024-06-21T10:00:00+00:00"  # start = end − 145 s
    assert {r.quantity for r in readings} == {"LAeq", "LAmin", "LAmax"}
    assert parsed.sensors[0].code == "dnms:31337"


def test_station_csv_rows_and_refusals() -> None:
    parsed, readings = parse_all(NOISE / "stations_sample.csv")
    reasons = {e.row: e.reason for e in parsed.errors}
    assert set(reasons) == {3, 4, 6}
    assert "no UTC offset" in reasons[3]
    assert {s.code for s in parsed.sensors} == {"station:chambery-01", "station:chambery-02"}
    one = [r for r in readings if r.sensor_code == "station:chambery-01" and r.quantity == "LAeq"]
    assert round(laeq_db([r.value for r in one], [r.duration_s for r in one]), 2) == 67.40
    assert one[0].measured_at.isoformat() == "2024-06-21T16:00:00+00:00"


def test_station_csv_long_form_with_units(tmp_path: Path) -> None:
    path = tmp_path / "pm.csv"
    path.write_text("station_id,start,duration_s,lat,lon,quantity,value,unit\n"
                    "a,2024-01-01T00:00:00Z,600,45.5,5.9,PM2.5,12.5,µg/m³\n"
                    "a,2024-01-01T00:10:00Z,600,45.5,5.9,PM2.5,12.5,dB(A)\n", encoding="utf-8")
    parsed, readings = parse_all(path)
    assert [(r.quantity, r.value, r.unit) for r in readings] == [("PM2.5", 12.5, "µg/m³")]
    assert "does not fit" in parsed.errors[0].reason


def test_unknown_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not recognised"):
        parse_file(path)


HEADER = "station_id,start,duration_s,lat,lon,laeq_db\n"


def test_a_latin1_station_csv_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "stations.csv"
    row = "quai-é,2024-06-21T18:00:00+02:00,60,45.5,5.9,61.5\n"
    path.write_bytes((HEADER + row).encode("latin-1"))
    parsed, _ = parse_all(path)
    assert [s.code for s in parsed.sensors] == ["station:quai-é"]
    assert parsed.notes == ["stations.csv: not UTF-8, read as cp1252"]


@pytest.mark.parametrize(("row", "reason"), [
    ("q\x00,2024-06-21T18:00:00+02:00,60,45.5,5.9,61.5", "NUL byte"),
    ("q,9999-12-31T23:00:00-05:00,60,45.5,5.9,61.5", "out of range"),
    ("q,2024-06-21T18:00:00+02:00,1e308,45.5,5.9,61.5", "outside (0, 86400]"),
    ("q,2024-06-21T18:00:00+02:00,60,45.5,5.9,61.5e", "unreadable"),
])
def test_station_rows_that_would_crash_or_poison_are_refused(tmp_path: Path, row: str,
                                                            reason: str) -> None:
    path = tmp_path / "stations.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    parsed, readings = parse_all(path)
    assert not readings
    assert reason in parsed.errors[0].reason


def test_station_concentrations_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "stations.csv"
    path.write_text("station_id,start,duration_s,lat,lon,quantity,value,unit\n"
                    "q,2024-06-21T18:00:00+02:00,60,45.5,5.9,PM10,-3,µg/m³\n", encoding="utf-8")
    assert "outside [0, 10000]" in parse_all(path)[0].errors[0].reason


# Per column: cells a row may hold (first tuple) and cells that refuse it (second).
CELLS = {
    "station_id": (["q", " quai ", "é-1"], ["", "a\x00"]),
    "start": (["2024-06-21T18:00:00+02:00", "2024-06-21T16:00:00Z",
               "2024-06-21T18:00:00.250+0530", "1500-01-01T00:00:00+00:00"],
              ["2024-06-21T18:00:00", "2024-06-21", "2024-13-40T00:00:00+00:00",
               "9999-12-31T23:00:00-05:00", "soon"]),
    "duration_s": (["60", "61,5", "86400", "0.5"], ["0", "-1", "1e308", "", "abc", "86400.5",
                                                   "nan"]),
    "lat": (["45.5", "0", "45,56", "-90"], ["91", "x", ""]),
    "lon": (["5.9", "0", "180"], ["-181", "inf"]),
    "laeq_db": (["61.5", "160", "0", "55,5"], ["160.01", "-0.1", "", "1e400"]),
    "la90_db": (["", "52.5", "0"], ["abc", "170"]),
}
CELL = {k: st.one_of(st.sampled_from(ok), st.sampled_from(ok), st.sampled_from(bad))
        for k, (ok, bad) in CELLS.items()}


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries(CELL), min_size=1, max_size=40))
def test_batch_checks_agree_with_the_row_by_row_reading(tmp_path_factory, rows) -> None:  # type: ignore[no-untyped-def]
    """Whatever the cells, each row gives what reading it alone gives: the same readings
    or the same refusal."""
    path = tmp_path_factory.mktemp("csv") / "stations.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CELLS)
        writer.writerows([row[k] for k in CELLS] for row in rows)
    parsed, readings = parse_all(path)
    col = {name: i for i, name in enumerate(CELLS)}
    expected, refused = [], {}
    for number, row in enumerate(rows, start=1):
        try:
            found = station_row([row[k] for k in CELLS], col, False)
        except (IndexError, ValueError) as exc:
            refused[number] = f"unreadable row: {exc}"
            continue
        if isinstance(found, str):
            refused[number] = found
        else:
            expected.extend(found[3])
    assert {e.row: e.reason for e in parsed.errors} == refused
    assert sorted(readings, key=repr) == sorted(expected, key=repr)


def test_a_station_csv_without_levels_says_laeq_db_or_quantity_value_unit(tmp_path: Path) -> None:
    path = tmp_path / "stations.csv"
    path.write_text("station_id,start,duration_s,lat,lon\nq,2024-06-21T18:00:00Z,60,45.5,5.9\n",
                    encoding="utf-8")
    with pytest.raises(ImportFormatError) as refused:
        parse_file(path)
    message = str(refused.value)
    assert "missing column(s) quantity, value, unit" in message
    assert "either laeq_db (dB(A)) or quantity, value, unit" in message
