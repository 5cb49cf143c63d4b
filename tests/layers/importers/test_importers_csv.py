"""Tests for layers.importers.csv_formats: DNMS archive and generic station CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.acoustics import laeq_db
from layers.importers import ImportFormatError, detect_format, parse_file

NOISE = Path(__file__).resolve().parents[2] / "data" / "noise"


def test_formats_are_detected_from_the_header() -> None:
    assert detect_format(NOISE / "dnms_sample.csv") == "dnms"
    assert detect_format(NOISE / "stations_sample.csv") == "station"


def test_dnms_rows_become_interval_readings() -> None:
    parsed = parse_file(NOISE / "dnms_sample.csv")
    assert [(e.row, e.reason.split(":")[0]) for e in parsed.errors] == [
        (4, "unreadable row"), (5, "coordinates out of range")]
    laeq = [r for r in parsed.readings if r.quantity == "LAeq"]
    assert [r.value for r in laeq] == [60.0, 70.0, 60.0, 62.0]
    # The interval is the gap to the previous row (145 s); first row and after a gap: estimated.
    assert [r.duration_s for r in laeq] == [145.0] * 4
    assert [bool(r.flags) for r in laeq] == [True, False, False, True]
    assert laeq[1].measured_at.isoformat() == "2024-06-21T10:00:00+00:00"  # start = end − 145 s
    assert {r.quantity for r in parsed.readings} == {"LAeq", "LAmin", "LAmax"}
    assert parsed.sensors[0].code == "dnms:31337"


def test_station_csv_rows_and_refusals() -> None:
    parsed = parse_file(NOISE / "stations_sample.csv")
    reasons = {e.row: e.reason for e in parsed.errors}
    assert set(reasons) == {3, 4, 6}
    assert "no UTC offset" in reasons[3]
    assert {s.code for s in parsed.sensors} == {"station:chambery-01", "station:chambery-02"}
    one = [r for r in parsed.readings if r.sensor_code == "station:chambery-01" and r.quantity == "LAeq"]
    assert round(laeq_db([r.value for r in one], [r.duration_s for r in one]), 2) == 67.40
    assert one[0].measured_at.isoformat() == "2024-06-21T16:00:00+00:00"


def test_station_csv_long_form_with_units(tmp_path: Path) -> None:
    path = tmp_path / "pm.csv"
    path.write_text("station_id,start,duration_s,lat,lon,quantity,value,unit\n"
                    "a,2024-01-01T00:00:00Z,600,45.5,5.9,PM2.5,12.5,µg/m³\n"
                    "a,2024-01-01T00:10:00Z,600,45.5,5.9,PM2.5,12.5,dB(A)\n", encoding="utf-8")
    parsed = parse_file(path)
    assert [(r.quantity, r.value, r.unit) for r in parsed.readings] == [("PM2.5", 12.5, "µg/m³")]
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
    parsed = parse_file(path)
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
    parsed = parse_file(path)
    assert not parsed.readings and reason in parsed.errors[0].reason


def test_station_concentrations_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "stations.csv"
    path.write_text("station_id,start,duration_s,lat,lon,quantity,value,unit\n"
                    "q,2024-06-21T18:00:00+02:00,60,45.5,5.9,PM10,-3,µg/m³\n", encoding="utf-8")
    assert "outside [0, 10000]" in parse_file(path).errors[0].reason
