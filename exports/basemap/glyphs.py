"""SDF glyphs for the base map's street names, rendered here from DejaVu fonts (pure).

MapLibre draws text from signed-distance-field glyphs fetched as protobuf ranges of 256 code
points (``{fontstack}/{start}-{end}.pbf``). No registry package ships them ready-made (npm's
``fontnik`` needs a native build, PyPI has none), so they are rendered from the DejaVu Sans
TrueType fonts that matplotlib already ships (Bitstream Vera licence, free to redistribute):
FreeType (through Pillow) rasterises each glyph at 4× the 24 px size, scipy's exact Euclidean
distance transform gives the signed distance, sampled back at 24 px. The conventions are
node-fontnik's (24 px, 3 px buffer, 8 px radius, cutoff 0.25), which MapLibre expects.
Same font, same bytes: every web process serves identical glyphs.
"""

from __future__ import annotations

import importlib.util
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont
from scipy.ndimage import distance_transform_edt

SIZE_PX, BUFFER_PX, RADIUS_PX, CUTOFF = 24, 3, 8, 0.25
SCALE = 4  # supersampling of the outline before the distance transform
FONTS = {"DejaVu Sans Book": "DejaVuSans.ttf", "DejaVu Sans Bold": "DejaVuSans-Bold.ttf",
         "DejaVu Sans Oblique": "DejaVuSans-Oblique.ttf"}
DEFAULT_FONT = "DejaVu Sans Book"
MAX_CODE_POINT = 65535


class GlyphRangeError(ValueError):
    """Not a range MapLibre asks for: ``start`` a multiple of 256, ``end`` = ``start`` + 255."""


def font_dir() -> Path:
    """Where matplotlib keeps its TrueType fonts (found without importing matplotlib)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        msg = "matplotlib (a dependency) is not installed: no font for the base map's labels."
        raise RuntimeError(msg)
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def font_of(fontstack: str) -> str:
    """The font serving a MapLibre fontstack ("A,B": the first one we have, else the default)."""
    for name in fontstack.split(","):
        if name.strip() in FONTS:
            return name.strip()
    return DEFAULT_FONT


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, value: int | bytes, *, signed: bool = False) -> bytes:
    if isinstance(value, bytes):
        return _varint(number << 3 | 2) + _varint(len(value)) + value
    if signed:  # zigzag, for sint32
        value = (value << 1) ^ (value >> 31)
    return _varint(number << 3) + _varint(value)


def _sdf(font: ImageFont.FreeTypeFont, char: str) -> tuple[bytes, int, int, int, int]:
    """(bitmap, width, height, left, top above the baseline) of one glyph at 24 px."""
    x0, y0, x1, y1 = font.getbbox(char, anchor="ls")  # SCALE times px, y down from the baseline
    left, right = math.floor(x0 / SCALE), math.ceil(x1 / SCALE)
    upper, lower = math.floor(y0 / SCALE), math.ceil(y1 / SCALE)
    width, height = right - left, lower - upper
    if width <= 0 or height <= 0:
        return b"", 0, 0, 0, 0
    pad = BUFFER_PX + RADIUS_PX  # the distance must see past the bitmap's edge
    origin_x, origin_y = left - pad, upper - pad
    image = Image.new("L", ((width + 2 * pad) * SCALE, (height + 2 * pad) * SCALE), 0)
    ImageDraw.Draw(image).text((-origin_x * SCALE, -origin_y * SCALE), char, font=font,
                               fill=255, anchor="ls")
    inside = np.asarray(image) > 127
    distance = (distance_transform_edt(~inside) - distance_transform_edt(inside)) / SCALE
    # Sample at the centres of the 24 px bitmap's pixels (buffer included): pixel i's centre
    # is RADIUS_PX + i + 0.5 px from the supersampled image's edge.
    columns = ((np.arange(width + 2 * BUFFER_PX) + RADIUS_PX + 0.5) * SCALE).astype(int)
    rows = ((np.arange(height + 2 * BUFFER_PX) + RADIUS_PX + 0.5) * SCALE).astype(int)
    sampled = distance[np.ix_(rows, columns)]
    values = np.clip(np.round(255 - 255 * (sampled / RADIUS_PX + CUTOFF)), 0, 255)
    return values.astype(np.uint8).tobytes(), width, height, left, -upper


@lru_cache(maxsize=64)
def glyph_range(fontstack: str, start: int, end: int) -> bytes:
    """The protobuf of glyphs ``start``–``end`` (a 256 block) for ``fontstack``.

    Parameters
    ----------
    fontstack : str
        MapLibre's ``{fontstack}``: comma-separated font names (see :data:`FONTS`).
    start, end : int
        Unicode code points, ``start`` a multiple of 256 and ``end = start + 255``.
    """
    if start % 256 or end != start + 255 or not 0 <= start <= MAX_CODE_POINT - 255:
        msg = f"{start}-{end} is not a glyph range (0-255, 256-511, …, 65280-65535)."
        raise GlyphRangeError(msg)
    name = font_of(fontstack)
    path = font_dir() / FONTS[name]
    covered = TTFont(path, lazy=True).getBestCmap()
    font = ImageFont.truetype(str(path), SIZE_PX * SCALE)
    ascender = round(font.getmetrics()[0] / SCALE)
    glyphs = b""
    for code in range(start, end + 1):
        if code not in covered:
            continue
        char = chr(code)
        bitmap, width, height, left, top = _sdf(font, char)
        glyph = _field(1, code)
        if width:
            glyph += _field(2, bitmap)
        glyph += (_field(3, width) + _field(4, height) + _field(5, left, signed=True)
                  + _field(6, top - ascender, signed=True)
                  + _field(7, round(font.getlength(char) / SCALE)))
        glyphs += _field(3, glyph)
    stack = _field(1, name.encode()) + _field(2, f"{start}-{end}".encode()) + glyphs
    return _field(1, stack)


__all__ = ["DEFAULT_FONT", "FONTS", "GlyphRangeError", "font_of", "glyph_range"]
