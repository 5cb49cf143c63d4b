"""OSM tag rules, one table for submission and export; normalisation of deprecated tags (pure).

Every rule of :data:`RULES` yields a :class:`TagIssue` with a ``code`` and a ``severity``:

- ``error`` — the OSM API or JOSM would refuse the tag (``docs/osm-export.md`` §5 and §6): the
  API refuses the submission with a 400 naming the rule (:func:`validate_tags`), and the
  exporter leaves the object out of the file;
- ``warning`` — valid for OSM but flagged by an editor: stored and written, and the note is
  returned to the contributor (:func:`tag_warnings`) and shown in the export's report.

Lengths are counted as OSM counts them: Unicode code points (at most 255, not bytes). JOSM
counts UTF-16 units, so astral characters (emoji) count twice there: that is a warning.

>>> [(i.code, i.severity) for i in check_tags({"amenity": "", "source": "Google Maps"})]
[('empty_value', 'error'), ('forbidden_source', 'error')]
>>> validate_tags({"amenity": "bench", "backrest": "yes"})
{'amenity': 'bench', 'backrest': 'yes'}
>>> normalise_tags({"amenity": "sloped_curb"})
{'kerb': 'lowered'}
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from mapping.errors import N_, InvalidInput, Label

MAX_LENGTH = 255
MAX_TAGS = 100
ERROR: Literal["error"] = "error"
WARNING: Literal["warning"] = "warning"
Severity = Literal["error", "warning"]

# iD's incompatible_source patterns, plus the other forbidden origins of the OSM wiki.
FORBIDDEN_SOURCE = re.compile(
    r"google|goo\.gl|baidu|mapbar|amap|autonavi|apple|yandex|here\.com|here maps|jaccede|bing maps",
    re.IGNORECASE,
)

# Deprecated tags that iD and JOSM rewrite (id-tagging-schema deprecated.json).
DEPRECATED: dict[tuple[str, str], tuple[str, str]] = {
    ("amenity", "sloped_curb"): ("kerb", "lowered"),
    ("kerb", "dropped"): ("kerb", "lowered"),
    ("kerb", "flat"): ("kerb", "flush"),
}


@dataclass(frozen=True)
class TagIssue:
    """One broken rule: its code, severity, message template and the input field concerned.

    ``field`` is ``tags`` for the whole set and for keys, ``tags.<key>`` for a value.
    """

    code: str
    severity: Severity
    template: str
    params: Mapping[str, Any]
    field: str = "tags"

    @property
    def message(self) -> str:
        """The message in English."""
        return self.render(lambda text: text)

    def render(self, translate: Callable[[str], str]) -> str:
        """The message in the language of ``translate`` (a gettext function)."""
        params = {name: value.render(translate) if isinstance(value, Label) else value
                  for name, value in self.params.items()}
        return translate(self.template).format(**params)


@dataclass(frozen=True)
class Rule:
    """A row of the table: ``check`` returns the message's parameters when the rule is broken.

    ``on`` says what the check reads: ``"tags"`` (all pairs), ``"text"`` (a key or a value;
    ``{role}`` in the code becomes ``key`` or ``value``) or ``"pair"`` (a key and its value).
    """

    code: str
    severity: Severity
    on: Literal["tags", "text", "pair"]
    template: str
    check: Callable[..., dict[str, Any] | None]


def _forbidden_character(text: str) -> str | None:
    """The first control, surrogate or unassigned character of ``text`` (Cc, Cs, Cn), if any."""
    # isprintable() is False for every Cc, Cs and Cn character (and harmless others such as
    # ZWJ or NBSP): a fast pass before the exact check.
    if text.isprintable():
        return None
    return next((c for c in text if unicodedata.category(c) in {"Cc", "Cs", "Cn"}), None)


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _label(role: str, key: str) -> Label:
    return Label(N_("Tag key")) if role == "key" else Label(N_("The value of tag {key!r}"),
                                                           key=key)


def _untagged(pairs: Sequence[tuple[str, str]]) -> dict[str, Any] | None:
    return {} if not pairs else None


def _too_many(pairs: Sequence[tuple[str, str]]) -> dict[str, Any] | None:
    return {"count": len(pairs), "limit": MAX_TAGS} if len(pairs) > MAX_TAGS else None


def _empty(text: str, role: str, key: str) -> dict[str, Any] | None:
    return {"label": _label(role, key)} if not text.strip() else None


def _padded(text: str, role: str, key: str) -> dict[str, Any] | None:
    if text.strip() and text != text.strip():
        return {"label": _label(role, key), "text": text}
    return None


def _long(text: str, role: str, key: str) -> dict[str, Any] | None:
    if len(text) > MAX_LENGTH:
        return {"label": _label(role, key), "count": len(text), "limit": MAX_LENGTH}
    return None


def _long_for_josm(text: str, role: str, key: str) -> dict[str, Any] | None:
    if len(text) <= MAX_LENGTH < _utf16_units(text):
        return {"label": _label(role, key), "count": len(text), "units": _utf16_units(text),
                "limit": MAX_LENGTH}
    return None


def _control(text: str, role: str, key: str) -> dict[str, Any] | None:
    bad = _forbidden_character(text)
    return None if bad is None else {"label": _label(role, key), "code": ord(bad)}


def _forbidden_source(key: str, value: str) -> dict[str, Any] | None:
    if (key == "source" or key.startswith("source:")) and FORBIDDEN_SOURCE.search(value):
        return {"key": key, "value": value}
    return None


RULES: tuple[Rule, ...] = (
    Rule("untagged", ERROR, "tags", N_(
        "At least one tag is needed: an untagged object means nothing on the map."), _untagged),
    Rule("too_many_tags", ERROR, "tags", N_(
        "{count} tags given; at most {limit} are accepted."), _too_many),
    Rule("empty_{role}", ERROR, "text", N_("{label} is empty."), _empty),
    Rule("padded_{role}", ERROR, "text", N_(
        "{label} {text!r} starts or ends with spaces."), _padded),
    Rule("long_{role}", ERROR, "text", N_(
        "{label} has {count} characters; OpenStreetMap allows at most {limit}."), _long),
    Rule("long_{role}_josm", WARNING, "text", N_(
        "{label} has {count} characters but JOSM counts {units} (it counts emoji twice) and "
        "flags more than {limit}."), _long_for_josm),
    Rule("control_character_{role}", ERROR, "text", N_(
        "{label} contains the control character U+{code:04X}."), _control),
    Rule("forbidden_source", ERROR, "pair", N_(
        "{key}={value!r} names a proprietary source: OpenStreetMap cannot take data copied "
        "from it."), _forbidden_source),
)
NOT_AN_OBJECT = N_("tags must be an object of key → value strings.")
NOT_TEXT = N_("{label} must be a string, not {type}.")
DUPLICATE_KEY = N_("The key {key!r} appears twice.")


def _pairs(tags: object) -> list[tuple[Any, Any]] | None:
    if isinstance(tags, Mapping):
        return list(tags.items())
    if isinstance(tags, list | tuple) and all(
        isinstance(p, tuple | list) and len(p) == 2 for p in tags
    ):
        return [(p[0], p[1]) for p in tags]
    return None


def _issues(tags: object) -> Iterator[TagIssue]:
    pairs = _pairs(tags)
    if pairs is None:
        yield TagIssue("not_an_object", ERROR, NOT_AN_OBJECT, {})
        return
    for rule in RULES:
        if rule.on == "tags" and (params := rule.check(pairs)) is not None:
            yield TagIssue(rule.code, rule.severity, rule.template, params)
    seen: set[str] = set()
    for key, value in pairs:
        name = str(key)
        texts_ok = True
        for role, text in (("key", key), ("value", value)):
            where = "tags" if role == "key" else f"tags.{name}"
            if not isinstance(text, str):
                texts_ok = False
                yield TagIssue(f"not_text_{role}", ERROR, NOT_TEXT,
                               {"label": _label(role, name), "type": type(text).__name__}, where)
                continue
            for rule in RULES:
                if rule.on == "text" and (params := rule.check(text, role, name)) is not None:
                    yield TagIssue(rule.code.format(role=role), rule.severity, rule.template,
                                   params, where)
        if not texts_ok:
            continue
        if name.strip() in seen:
            yield TagIssue("duplicate_key", ERROR, DUPLICATE_KEY, {"key": name})
        seen.add(name.strip())
        for rule in RULES:
            if rule.on == "pair" and (params := rule.check(key, value)) is not None:
                yield TagIssue(rule.code, rule.severity, rule.template, params, f"tags.{name}")


def check_tags(tags: object) -> list[TagIssue]:
    """Every issue of ``tags``, errors and warnings, in the order of :data:`RULES`.

    Parameters
    ----------
    tags
        A key → value mapping, or a sequence of ``(key, value)`` pairs (which may repeat a
        key, as an OSM file can: ``duplicate_key``); anything else is ``not_an_object``.
    """
    return list(_issues(tags))


def validate_tags(tags: object) -> dict[str, str]:
    """The tags as a plain dict when no rule is broken with severity ``error``.

    Duplicate keys are refused earlier, by the JSON parser, since a Python dict cannot hold
    them. Warnings do not refuse: :func:`tag_warnings` lists them.

    Raises
    ------
    InvalidInput
        The first error, its ``rule`` the rule's code and its ``field`` ``tags.<key>``.
    """
    if not isinstance(tags, Mapping):
        raise InvalidInput(NOT_AN_OBJECT, field="tags", rule="not_an_object")
    for issue in _issues(tags):
        if issue.severity == ERROR:
            raise InvalidInput(issue.template, field=issue.field, rule=issue.code,
                               **issue.params)
    return dict(tags)


def tag_warnings(tags: Mapping[str, str]) -> list[TagIssue]:
    """The warnings of valid tags: what a contributor is told while the tags are stored."""
    return [issue for issue in _issues(tags) if issue.severity == WARNING]


def normalise_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """Rewrite deprecated tags to their current form (``kerb=dropped`` → ``kerb=lowered``)."""
    result: dict[str, str] = {}
    for key, value in tags.items():
        if key == "curb":  # the American spelling, deprecated in favour of kerb=*
            key = "kerb"
        new_key, new_value = DEPRECATED.get((key, value), (key, value))
        result.setdefault(new_key, new_value)
    return result
