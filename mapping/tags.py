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

from mapping.errors import InvalidInput, Label, N_

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


def _check_text(text: object, *, what: str, key: str, field: str) -> str:
    """Check a key (``what="key"``) or a value (``what="value"``) of tag ``key``."""
    label = N_("Tag key") if what == "key" else N_("The value of tag {key!r}")
    if not isinstance(text, str):
        raise InvalidInput(N_("{label} must be a string, not {type}."), field=field,
                           label=Label(label, key=key), type=type(text).__name__)
    if text != text.strip():
        raise InvalidInput(N_("{label} {text!r} starts or ends with spaces."), field=field,
                           label=Label(label, key=key), text=text)
    if not text:
        raise InvalidInput(N_("{label} is empty."), field=field, label=Label(label, key=key))
    if len(text) > MAX_LENGTH:
        raise InvalidInput(
            N_("{label} has {count} characters; OpenStreetMap allows at most {limit}."),
            field=field, label=Label(label, key=key), count=len(text), limit=MAX_LENGTH)
    bad = _forbidden_character(text)
    if bad is not None:
        raise InvalidInput(N_("{label} contains the control character U+{code:04X}."),
                           field=field, label=Label(label, key=key), code=ord(bad))
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
        raise InvalidInput(N_("tags must be an object of key → value strings."), field=field)
    if not tags:
        raise InvalidInput(
            N_("At least one tag is needed: an untagged object means nothing on the map."),
            field=field)
    if len(tags) > MAX_TAGS:
        raise InvalidInput(N_("{count} tags given; at most {limit} are accepted."), field=field,
                           count=len(tags), limit=MAX_TAGS)
    cleaned: dict[str, str] = {}
    for key, value in tags.items():
        _check_text(key, what="key", key=str(key), field=field)
        _check_text(value, what="value", key=str(key), field=f"{field}.{key}")
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
