"""XML escaping and number formatting shared by the OSM writers (pure).

>>> attr('a&b<"c">')
'a&amp;b&lt;&quot;c&quot;&gt;'
>>> coord(5.93)
'5.9300000'
"""

from __future__ import annotations

from collections.abc import Mapping

_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    # Attribute-value normalisation would turn these into spaces: keep them exact.
    "\n": "&#10;", "\r": "&#13;", "\t": "&#9;",
})


def attr(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute value."""
    return text.translate(_ESCAPES)


def coord(value: float) -> str:
    """A WGS84 coordinate with OSM's 7 decimals (1e-7° ≈ 1.1 cm)."""
    return f"{value:.7f}"


def tags_xml(tags: Mapping[str, str], indent: str = "    ") -> str:
    """``<tag k v/>`` lines for ``tags``, in key order (stable diffs)."""
    return "".join(
        f'{indent}<tag k="{attr(k)}" v="{attr(v)}"/>\n' for k, v in sorted(tags.items())
    )
