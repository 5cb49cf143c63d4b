"""The base map's MapLibre style and TileJSON: valid by MapLibre's own validator, consistent."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from exports.basemap.glyphs import FONTS
from exports.basemap.style import basemap_style, tilejson

ROOT = Path(__file__).resolve().parents[3]
VALIDATOR = ROOT / "node_modules" / "@maplibre" / "maplibre-gl-style-spec" / "dist" / \
    "gl-style-validate.mjs"
STYLE = basemap_style(name="Test", tilejson_url="http://127.0.0.1:8000/tiles/t/basemap.json",
                      glyphs_url="http://127.0.0.1:8000/tiles/fonts/{fontstack}/{range}.pbf")
TILEJSON = tilejson(name="Test", tiles_url="http://127.0.0.1:8000/tiles/t/basemap/{z}/{x}/{y}.mvt",
                    bounds=(5.93, 45.565, 5.934, 45.567), min_zoom=12, max_zoom=16)


@pytest.mark.skipif(shutil.which("node") is None or not VALIDATOR.exists(),
                    reason="node or maplibre-gl (npm) missing")
def test_maplibre_validates_the_style(tmp_path: Path) -> None:
    path = tmp_path / "style.json"
    path.write_text(json.dumps(STYLE), encoding="utf-8")
    done = subprocess.run(["node", str(VALIDATOR), str(path)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_layer_reads_a_layer_the_tiles_have() -> None:
    tile_layers = {layer["id"] for layer in TILEJSON["vector_layers"]}
    used = {layer["source-layer"] for layer in STYLE["layers"] if "source-layer" in layer}
    assert used == tile_layers


def test_labels_use_fonts_the_product_serves_and_credit_osm() -> None:
    fonts = {font for layer in STYLE["layers"] for font in layer.get("layout", {}).get(
        "text-font", [])}
    assert fonts <= set(FONTS)
    assert "© OpenStreetMap contributors" in STYLE["sources"]["basemap"]["attribution"]
    assert "© OpenStreetMap contributors" in TILEJSON["attribution"]
