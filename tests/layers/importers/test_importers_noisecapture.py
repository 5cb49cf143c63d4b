"""Tests for layers.importers.noisecapture on the real NoiseCapture track ZIPs."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from layers.acoustics import energetic_mean_db
from layers.importers import ImportFormatError, detect_format, parse_file
from layers.importers.noisecapture import MAX_MEMBERS, parse_noisecapture, read_properties

NOISE = Path(__file__).resolve().parents[2] / "data" / "noise"
PORNICHET = NOISE / "track_07efe9f7-bda1-4e49-8514-f3a2a1fc576d.zip"
NULL_GEOMETRIES = NOISE / "track_f720018a-a5db-4859-bd7d-377d29356c6f.zip"


def _rewrite(tmp_path: Path, source: Path, *, meta=None, edit=None, extra=0) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(source) as z:
        meta_text = z.read("meta.properties").decode()
        track = json.loads(z.read("track.geojson"))
    if meta:
        meta_text = meta(meta_text)
    if edit:
        edit(track["features"])
    out = tmp_path / source.name
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("meta.properties", meta_text)
        z.writestr("track.geojson", json.dumps(track))
        for i in range(extra):
            z.writestr(f"junk{i}.txt", "x")
    return out


def test_detects_a_track_zip() -> None:
    assert detect_format(PORNICHET) == "noisecapture"


def test_reads_every_located_second_of_a_track() -> None:
    parsed = parse_noisecapture(PORNICHET)
    assert (parsed.rows, len(parsed.readings), parsed.errors) == (115, 115, [])
    sensor = parsed.sensors[0]
    assert sensor.code == "noisecapture:232d26c5-8004-4321-aedc-fe5f678595d2"  # meta uuid
    assert sensor.deployment == "mobile"
    assert sensor.aliases == ("noisecapture:07efe9f7-bda1-4e49-8514-f3a2a1fc576d",)  # file uuid
    assert sensor.metadata["leq_mean"] == 52.55
    # Recomputed energetically from the 1-s values: 0.51 dB from the app's, flagged.
    assert sensor.metadata["laeq_record_db"] == sensor.metadata["laeq_located_db"] == 52.04
    assert sensor.metadata["leq_mean_differs"] is True
    first = parsed.readings[0]
    assert (first.lon, first.lat) == pytest.approx((-2.3302394, 47.2597322))
    assert first.value == pytest.approx(60.07834)
    assert first.duration_s == 1.0
    assert first.measured_at.isoformat() == "2017-09-20T08:13:39.666000+00:00"


def test_seconds_without_gps_fix_are_kept_without_a_place() -> None:
    parsed = parse_noisecapture(NULL_GEOMETRIES)
    assert (parsed.errors, len(parsed.readings)) == ([], 438)
    unlocated = [r for r in parsed.readings if r.lon is None]
    assert len(unlocated) == 6
    assert all(r.lat is None and r.accuracy_m is None for r in unlocated)
    assert parsed.readings[0] is unlocated[0]  # the track starts at its first second


def test_whole_record_and_located_laeq_are_both_given(tmp_path: Path) -> None:
    def unlocate(features):  # type: ignore[no-untyped-def]
        for feature in features[:21]:  # like a phone still waiting for its GPS fix
            feature["geometry"] = None

    parsed = parse_noisecapture(_rewrite(tmp_path, PORNICHET, edit=unlocate))
    meta = parsed.sensors[0].metadata
    levels = [r.value for r in parsed.readings]
    located = [r.value for r in parsed.readings if r.lon is not None]
    assert (len(levels), len(located), meta["seconds_located"]) == (115, 94, 94)
    assert meta["laeq_record_db"] == round(energetic_mean_db(levels), 2)
    assert meta["laeq_located_db"] == round(energetic_mean_db(located), 2)
    assert meta["laeq_record_db"] != meta["laeq_located_db"]
    assert parsed.readings[0].measured_at.isoformat() == "2017-09-20T08:13:39.666000+00:00"
    assert any("21 of 115 seconds without GPS fix" in n for n in parsed.notes)


@pytest.mark.parametrize(("app_leq", "differs"), [("52.04", False), ("52.1", False),
                                                   ("52.2", True), ("51,9", True)])
def test_app_leq_mean_is_flagged_beyond_a_tenth_of_a_decibel(tmp_path: Path, app_leq: str,
                                                              differs: bool) -> None:
    path = _rewrite(tmp_path, PORNICHET,
                    meta=lambda t: t.replace("leq_mean=52.55", f"leq_mean={app_leq}"))
    assert parse_noisecapture(path).sensors[0].metadata["leq_mean_differs"] is differs


def test_test_tagged_tracks_are_kept_but_flagged() -> None:
    parsed = parse_noisecapture(NULL_GEOMETRIES)
    assert all("test" in r.flags for r in parsed.readings)


def test_decimal_commas_in_meta_are_read(tmp_path: Path) -> None:
    path = _rewrite(tmp_path, PORNICHET,
                    meta=lambda t: t.replace("leq_mean=52.55", "leq_mean=52,55"))
    assert parse_noisecapture(path).sensors[0].metadata["leq_mean"] == 52.55


def test_absurd_positions_and_accuracies_are_refused(tmp_path: Path) -> None:
    def edit(features):  # type: ignore[no-untyped-def]
        features[0]["geometry"]["coordinates"] = [200.0, 47.0]
        features[1]["geometry"]["coordinates"] = [0, 0]
        features[2]["properties"]["accuracy"] = 0
        features[3]["properties"]["accuracy"] = 5000
        features[4]["properties"]["leq_mean"] = "61,5"  # decimal comma in a level: accepted
        features[5]["properties"]["leq_utc"] = features[6]["properties"]["leq_utc"]

    parsed = parse_noisecapture(_rewrite(tmp_path, PORNICHET, edit=edit))
    reasons = {e.row: e.reason for e in parsed.errors}
    assert reasons[1].startswith("coordinates out of range")
    assert reasons[2] == "position (0, 0): no GPS fix"
    assert "accuracy 0" in reasons[3]
    assert "accuracy 5000" in reasons[4]
    assert reasons[7].endswith("already in this track")
    assert 5 not in reasons
    assert len(parsed.readings) == 115 - 5


def test_zip_with_too_many_members_is_refused(tmp_path: Path) -> None:
    path = _rewrite(tmp_path, PORNICHET, extra=MAX_MEMBERS)
    with pytest.raises(ImportFormatError, match="members"):
        parse_file(path)


def test_zip_without_track_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "track_x.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("meta.properties", "uuid=x")
    with pytest.raises(ImportFormatError, match=r"track\.geojson"):
        parse_file(path)


def test_java_properties_unescape_colons() -> None:
    text = io.StringIO('microphone_settings={"a"\\:"19"}\n#comment\ntags=\n').getvalue()
    assert read_properties(text) == {"microphone_settings": '{"a":"19"}', "tags": ""}


def test_a_damaged_zip_is_refused_as_a_file(tmp_path: Path) -> None:
    data = bytearray(PORNICHET.read_bytes())
    with zipfile.ZipFile(PORNICHET) as z:
        info = z.getinfo("track.geojson")
    middle = info.header_offset + 60 + info.compress_size // 2
    data[middle:middle + 200] = bytes(b ^ 0x5A for b in data[middle:middle + 200])
    damaged = tmp_path / PORNICHET.name
    damaged.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError, match="damaged ZIP"):
        parse_noisecapture(damaged)


def test_odd_features_are_row_errors_not_crashes(tmp_path: Path) -> None:
    def edit(features: list) -> None:  # type: ignore[type-arg]
        features[0]["properties"] = [1]
        features[1]["properties"]["leq_mean"] = [70]
        features[2]["properties"]["leq_utc"] = 1e30  # beyond year 9999
    parsed = parse_noisecapture(_rewrite(tmp_path, PORNICHET, edit=edit))
    assert [e.row for e in parsed.errors[:3]] == [1, 2, 3]
    assert "not an object" in parsed.errors[0].reason
