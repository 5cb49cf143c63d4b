"""Bounds of every measurement file read: size on disk, bytes inflated, members (pure).

A compressed file says how large it will be, and can lie: a ZIP with forged member sizes
used to be refused only after inflating 2.35 GB. Here every decompression is bounded by the
bytes it actually produces, format detection reads a bounded prefix, and each refusal names
the limit and the option that raises it.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from layers.importers.records import ImportFormatError

MIB = 1024 * 1024
PREFIX_BYTES = 64 * 1024  # what format detection reads of a file, at most
READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class ImportLimits:
    """How much one measurement file may hold.

    ``file_bytes``: a file streamed in batches (station CSV, DNMS), on disk and, for a
    ``.gz``, once inflated. ``in_memory_bytes``: what a parser must hold whole to read it —
    a NoiseCapture ZIP's members once inflated, a survey GeoJSON. ``members``: entries of a
    ZIP. The defaults fit real files with a wide margin (an hour-long NoiseCapture track is
    ≈ 5 MB of GeoJSON; a year of one-minute station rows ≈ 40 MB of CSV);
    ``import_measurements --max-file-mb / --max-in-memory-mb`` raise them.
    """

    file_bytes: int = 512 * MIB
    in_memory_bytes: int = 64 * MIB
    members: int = 16

    def check_file(self, path: Path) -> None:
        """Refuse a file larger on disk than :attr:`file_bytes`."""
        size = path.stat().st_size
        if size > self.file_bytes:
            msg = (f"{path.name}: {size} bytes, above the limit of {self.file_bytes // MIB} MB "
                   "per file (split it, or raise it with --max-file-mb)")
            raise ImportFormatError(msg)

    def check_in_memory(self, path: Path) -> None:
        """Refuse a file read whole that is larger on disk than :attr:`in_memory_bytes`."""
        size = path.stat().st_size
        if size > self.in_memory_bytes:
            msg = (f"{path.name}: {size} bytes, above the limit of "
                   f"{self.in_memory_bytes // MIB} MB for a file read whole (raise it with "
                   "--max-in-memory-mb)")
            raise ImportFormatError(msg)

    def inflated_refusal(self, name: str, *, in_memory: bool) -> ImportFormatError:
        """The error for a decompression that produced more than its limit."""
        limit, option = ((self.in_memory_bytes, "--max-in-memory-mb") if in_memory
                         else (self.file_bytes, "--max-file-mb"))
        return ImportFormatError(
            f"{name}: inflates beyond the limit of {limit // MIB} MB of decompressed data "
            f"(raise it with {option} if the file is genuine)")


class BoundedReader(io.RawIOBase):
    """A binary stream that refuses to yield more than ``limit`` bytes of ``inner``,
    counting what decompression really produced (declared sizes can be forged)."""

    def __init__(self, inner: IO[bytes], limit: int, refusal: ImportFormatError) -> None:
        self.inner, self.left, self.refusal = inner, limit, refusal

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.inner.close()
        super().close()

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self.inner.read(min(len(buffer), self.left + 1))
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            msg = f"damaged compressed data ({exc})"
            raise ImportFormatError(msg) from None
        if len(data) > self.left:
            raise self.refusal
        self.left -= len(data)
        buffer[:len(data)] = data
        return len(data)


def read_member(archive: zipfile.ZipFile, name: str, budget: int, refusal: ImportFormatError
                ) -> bytes:
    """A ZIP member's bytes, refused as soon as more than ``budget`` bytes come out of it
    (whatever size its header declares)."""
    with archive.open(name) as member:
        reader = io.BufferedReader(BoundedReader(member, budget, refusal),
                                   buffer_size=READ_CHUNK)
        return reader.read()


def open_binary(path: Path, limits: ImportLimits, *, check_size: bool = True) -> IO[bytes]:
    """``path`` for reading: a ``.gz`` file through gzip, bounded by what it inflates to."""
    if check_size:
        limits.check_file(path)
    if path.suffix.lower() == ".gz":
        refusal = limits.inflated_refusal(path.name, in_memory=False)
        inflating = cast(IO[bytes], gzip.open(path, "rb"))  # noqa: SIM115 — the reader closes it
        return io.BufferedReader(BoundedReader(inflating, limits.file_bytes, refusal),
                                 buffer_size=READ_CHUNK)
    return path.open("rb")


def prefix(path: Path, limits: ImportLimits, size: int = PREFIX_BYTES) -> bytes:
    """The first ``size`` bytes of the file's content (inflated for ``.gz``), for detection:
    whatever the file's size, only these are read (the parser then applies its limit)."""
    with open_binary(path, limits, check_size=False) as handle:
        return handle.read(size)


def chunks(path: Path, limits: ImportLimits) -> Iterator[bytes]:
    """The file's content in chunks of :data:`READ_CHUNK` bytes, bounded."""
    with open_binary(path, limits) as handle:
        while chunk := handle.read(READ_CHUNK):
            yield chunk


def content_name(path: Path) -> str:
    """The name of what a file holds: ``x.csv`` for ``x.csv.gz``."""
    return path.stem if path.suffix.lower() == ".gz" else path.name
