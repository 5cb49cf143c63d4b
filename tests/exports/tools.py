"""Helpers for the export tests: real OSM/GIS tools, skipped cleanly when one is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAMBERY = ROOT / "mapping" / "data" / "demo" / "chambery_centre_2021.osm"
HELSINKI_PBF = ROOT / "tests" / "data" / "osm" / "helsinki_clip.osm.pbf"
HELSINKI_BZ2 = ROOT / "tests" / "data" / "osm" / "helsinki_clip.osm.bz2"

needs_osmium = pytest.mark.skipif(shutil.which("osmium") is None, reason="osmium-tool missing")
needs_gdal = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin missing")

# Tags that break naive writers: quotes, ampersand, angle brackets, accents, emoji, RTL text,
# an apostrophe and a newline-free multi-script value.
TRICKY_TAGS = {
    "amenity": "bench",
    "name": 'Banc "du marché" & <la fontaine> — l\'été',
    "name:ar": "مقعد الحديقة",
    "name:he": "ספסל בגן",
    "description": "Très confortable 😀🪑 — naïveté, Œuvre, ß",
    "note": "a=b; c<d>e &amp; not an entity",
}


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a tool, capture its output as text, never raise on a non-zero status."""
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})})


def fileinfo(path: Path) -> dict:  # type: ignore[type-arg]
    """``osmium fileinfo -e -j`` as a dict."""
    done = run("osmium", "fileinfo", "-e", "-j", path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def ogr_layers(path: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """``ogrinfo -json`` (GDAL ≥ 3.7) is not available on Debian 12's GDAL 3.6: parse -so."""
    done = run("ogrinfo", "-ro", "-al", "-so", path, env={"OSM_USE_CUSTOM_INDEXING": "NO"})
    assert done.returncode == 0, done.stderr
    layers: dict[str, dict] = {}  # type: ignore[type-arg]
    current: dict = {}  # type: ignore[type-arg]
    for line in done.stdout.splitlines():
        if line.startswith("Layer name: "):
            current = {"fields": {}, "text": ""}
            layers[line.removeprefix("Layer name: ").strip()] = current
        elif current is not None and line.startswith("Geometry: "):
            current["geometry"] = line.removeprefix("Geometry: ").strip()
        elif line.startswith("Feature Count: "):
            current["count"] = int(line.removeprefix("Feature Count: "))
        elif ": " in line and "(" in line and not line.startswith(" "):
            name, _, kind = line.partition(": ")
            current["fields"][name.strip()] = kind.split(" ")[0]
        current["text"] = current.get("text", "") + line + "\n"
    return layers
