"""XML escaping and number formatting shared by the OSM writers (pure).

>>> attr('a&b<"c">')
'a&amp;b&lt;&quot;c&quot;&gt;'
>>> coord(5.93)
'5.9300000'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    # Attribute-value normalisation would turn these into spaces: keep them exact.
    "\n": "&#10;", "\r": "&#13;", "\t": "&#9;",
})


_SPECIAL = re.compile('[&<>"\n\r\t]').search  # most tags need no escaping: skip translate


def attr(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute value."""
    return text.translate(_ESCAPES) if _SPECIAL(text) else text


def coord(value: float) -> str:
    """A WGS84 coordinate with OSM's 7 decimals (1e-7° ≈ 1.1 cm)."""
    return f"{value:.7f}"


def tags_xml(tags: Mapping[str, str], indent: str = "    ") -> str:
    """``<tag k v/>`` lines for ``tags``, in key order (stable diffs)."""
    lines = []
    for key, value in sorted(tags.items()) if len(tags) > 1 else tags.items():
        k = key.translate(_ESCAPES) if _SPECIAL(key) else key
        v = value.translate(_ESCAPES) if _SPECIAL(value) else value
        lines.append(f'{indent}<tag k="{k}" v="{v}"/>\n')
    return "".join(lines)


# -- many numbers at once: ASCII tables built in numpy ------------------------------------------
def digits(values: np.ndarray, *, width: int = 0, zeros: bool = False) -> np.ndarray:
    """ASCII digits of non-negative integers as an ``(n, width)`` uint8 table.

    Leading zeros are NUL bytes (dropped by :func:`ascii_lines`) unless ``zeros``.

    >>> ascii_lines([digits(np.array([7, 120])), "|"])[0]
    '7|120|'
    """
    if not width:
        width = len(str(int(values.max()))) if len(values) else 1
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    quotients = values[:, None] // powers
    table = (quotients % 10 + 48).astype(np.uint8)
    if not zeros:
        table[:, :-1][quotients[:, :-1] == 0] = 0
    return table


def fixed7(scaled: np.ndarray) -> np.ndarray:
    """Coordinates given in units of 1e-7 degree as ``-ddd.ddddddd`` ASCII (``{:.7f}``).

    >>> ascii_lines([fixed7(np.array([59318123, -1, 0])), ","])[0]
    '5.9318123,-0.0000001,0.0000000,'
    """
    magnitude = np.abs(scaled)
    sign = np.where(scaled < 0, 45, 0).astype(np.uint8)[:, None]
    point = np.full((len(scaled), 1), 46, dtype=np.uint8)
    return np.hstack([sign, digits(magnitude // 10_000_000), point,
                      digits(magnitude % 10_000_000, width=7, zeros=True)])


def ascii_lines(columns: list[str | np.ndarray]) -> tuple[str, np.ndarray]:
    """Rows of ASCII ``columns`` (literals or uint8 tables, NUL = nothing) as one string.

    Returns the text and the end offset of each row in it.
    """
    rows = next(len(c) for c in columns if not isinstance(c, str))
    table = np.hstack([
        np.broadcast_to(np.frombuffer(c.encode("ascii"), dtype=np.uint8), (rows, len(c)))
        if isinstance(c, str) else c for c in columns])
    keep = table != 0
    return table[keep].tobytes().decode("ascii"), np.cumsum(keep.sum(axis=1))
