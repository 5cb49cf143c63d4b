"""Bounded reading of measurement files: bombs, forged ZIP sizes, bounded format detection."""

from __future__ import annotations

import gzip
import io
import struct
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from layers.importers import ImportFormatError, ImportLimits, detect_format, parse_file
from layers.importers.limits import MIB

NOISE = Path(__file__).resolve().parents[2] / "data" / "noise"
PORNICHET = NOISE / "track_07efe9f7-bda1-4e49-8514-f3a2a1fc576d.zip"
TINY = ImportLimits(file_bytes=1 * MIB, in_memory_bytes=1 * MIB)


def _track_zip(path: Path, padding_bytes: int) -> Path:
    """The Pornichet track with ``padding_bytes`` of spaces after its GeoJSON (valid JSON)."""
    with zipfile.ZipFile(PORNICHET) as z:
        meta, track = z.read("meta.properties"), z.read("track.geojson")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("meta.properties", meta)
        z.writestr("track.geojson", track + b" " * padding_bytes)
    return path


def _forge_sizes(path: Path, member: str, declared: int) -> None:
    """Write ``declared`` as the uncompressed size of ``member`` in both ZIP headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header
    start = data.find(b"PK\x01\x02")
    while start != -1:  # the central directory entry of ``member``
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if bytes(data[start + 46:start + 46 + name_length]) == member.encode():
            struct.pack_into("<I", data, start + 24, declared)
        start = data.find(b"PK\x01\x02", start + 4)
    path.write_bytes(bytes(data))


def test_a_track_that_inflates_past_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    path = _track_zip(tmp_path / PORNICHET.name, 2 * MIB)  # 2 MB of spaces: ≈ 2 kB zipped
    assert path.stat().st_size < 100_000
    with pytest.raises(ImportFormatError, match=r"1 MB of decompressed data.*--max-in-memory-mb"):
        parse_file(path, limits=TINY)
    assert parse_file(path).sensors  # the default limit reads it


def test_forged_member_sizes_do_not_get_past_the_limit(tmp_path: Path) -> None:
    path = _track_zip(tmp_path / PORNICHET.name, 64 * MIB)  # ≈ 64 kB zipped
    _forge_sizes(path, "track.geojson", 1000)  # it says 1 kB
    started = time.perf_counter()
    with pytest.raises(ImportFormatError):
        parse_file(path, limits=TINY)
    assert time.perf_counter() - started < 5  # refused without inflating 64 MB


def test_a_gzip_bomb_station_csv_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "stations.csv.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"station_id,start,duration_s,lat,lon,laeq_db\n")
        handle.write(b"q,2024-06-21T18:00:00+02:00,60,45.5,5.9,61.5\n" * (2 * MIB // 45))
    assert path.stat().st_size < 100_000
    with pytest.raises(ImportFormatError, match=r"inflates beyond .*--max-file-mb"):
        parse_file(path, limits=TINY).all_readings()


def test_a_gzipped_station_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "stations.csv.gz"
    path.write_bytes(gzip.compress((NOISE / "stations_sample.csv").read_bytes()))
    assert detect_format(path) == "station"
    assert len(parse_file(path).all_readings()) == 5


def test_detection_reads_a_prefix_only(tmp_path: Path) -> None:
    path = tmp_path / "survey.geojson"
    with path.open("wb") as handle:  # a sparse 8 GB file that starts like the LASSO survey
        handle.write(b'{"type": "FeatureCollection", "features": [{"type": "Feature", '
                     b'"properties": {"PK": 1, "Leq": 60.1, "L90": 50.2, "Nois": 4}')
        handle.truncate(8 * 1024 * MIB)
    started = time.perf_counter()
    assert detect_format(path) == "lasso"
    with pytest.raises(ImportFormatError, match="--max-in-memory-mb"):
        parse_file(path)
    assert time.perf_counter() - started < 2


@pytest.mark.django_db
def test_the_command_raises_the_limits_it_is_asked_to(tmp_path: Path) -> None:
    path = _track_zip(tmp_path / PORNICHET.name, 2 * MIB)
    out = io.StringIO()
    with pytest.raises(CommandError, match="No file could be read"):
        call_command("import_measurements", str(path), "--max-in-memory-mb", "1", stdout=out)
    assert "1 MB of decompressed data (raise it with --max-in-memory-mb" in out.getvalue()
    out = io.StringIO()
    call_command("import_measurements", str(path), "--max-in-memory-mb", "8", stdout=out)
    assert "readings: 115 valid, 115 new" in out.getvalue()
