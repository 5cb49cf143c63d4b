"""OSM tag validation and normalisation, as the OSM API and the editors do it (pure).

Lengths are counted as OSM counts them: Unicode code points (the API's limit is 255
characters, not bytes).

>>> validate_tags({"amenity": "bench", "backrest": "yes"})
{'amenity': 'bench', 'backrest': 'yes'}
>>> normalise_tags({"amenity": "sloped_curb"})
{'kerb': 'lowered'}
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from mapping.errors import InvalidInput

MAX_LENGTH = 255
MAX_TAGS = 100

# Deprecated tags that iD and JOSM rewrite (id-tagging-schema deprecated.json).
DEPRECATED: dict[tuple[str, str], tuple[str, str]] = {
    ("amenity", "sloped_curb"): ("kerb", "lowered"),
    ("kerb", "dropped"): ("kerb", "lowered"),
    ("kerb", "flat"): ("kerb", "flush"),
}


def _forbidden_character(text: str) -> str | None:
    """The first control, format-less or unassigned character of ``text``, if any."""
    for char in text:
        category = unicodedata.category(char)
        if category in {"Cc", "Cs", "Cn"}:
            return char
    return None


def _check_text(text: object, *, what: str, field: str) -> str:
    if not isinstance(text, str):
        msg = f"{what} must be a string, not {type(text).__name__}."
        raise InvalidInput(msg, field=field)
    if text != text.strip():
        msg = f"{what} {text!r} starts or ends with spaces."
        raise InvalidInput(msg, field=field)
    if not text:
        msg = f"{what} is empty."
        raise InvalidInput(msg, field=field)
    if len(text) > MAX_LENGTH:
        msg = f"{what} has {len(text)} characters; OpenStreetMap allows at most {MAX_LENGTH}."
        raise InvalidInput(msg, field=field)
    bad = _forbidden_character(text)
    if bad is not None:
        msg = f"{what} contains the control character U+{ord(bad):04X}."
        raise InvalidInput(msg, field=field)
    return text


def validate_tags(tags: object, *, field: str = "tags") -> dict[str, str]:
    """Check a key → value mapping against OSM's rules and return it as a plain dict.

    Parameters
    ----------
    tags
        The decoded JSON object. Duplicate keys are refused earlier, by the JSON parser,
        since a Python dict cannot hold them.
    field
        Name of the input field, used in error messages.

    Raises
    ------
    InvalidInput
        Not an object, empty, too many tags, an empty or over-long key or value, a value that
        is not a string, a control character.
    """
    if not isinstance(tags, Mapping):
        msg = "tags must be an object of key → value strings."
        raise InvalidInput(msg, field=field)
    if not tags:
        msg = "At least one tag is needed: an untagged object means nothing on the map."
        raise InvalidInput(msg, field=field)
    if len(tags) > MAX_TAGS:
        msg = f"{len(tags)} tags given; at most {MAX_TAGS} are accepted."
        raise InvalidInput(msg, field=field)
    cleaned: dict[str, str] = {}
    for key, value in tags.items():
        _check_text(key, what="Tag key", field=field)
        _check_text(value, what=f"The value of tag {key!r}", field=f"{field}.{key}")
        cleaned[key] = value
    return cleaned


def normalise_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """Rewrite deprecated tags to their current form (``kerb=dropped`` → ``kerb=lowered``)."""
    result: dict[str, str] = {}
    for key, value in tags.items():
        if key == "curb":  # the American spelling, deprecated in favour of kerb=*
            key = "kerb"
        new_key, new_value = DEPRECATED.get((key, value), (key, value))
        result.setdefault(new_key, new_value)
    return result
