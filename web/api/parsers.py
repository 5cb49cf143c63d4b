"""A JSON parser that refuses what json.loads silently accepts: duplicate keys and NaN."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            msg = gettext(
                "The key {key!r} appears twice in one JSON object (OSM forbids duplicate tags)."
            ).format(key=key)
            raise ParseError(msg)
        result[key] = value
    return result


def _no_constant(name: str) -> None:
    msg = gettext("{name} is not a JSON number: coordinates and values must be finite.").format(
        name=name)
    raise ParseError(msg)


class StrictJSONParser(JSONParser):
    """application/json, decoded as UTF-8, rejecting duplicate keys, NaN and Infinity."""

    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        try:
            raw = stream.read() if stream is not None else b""
        except RequestDataTooBig:
            raise
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            msg = gettext("The body is not valid UTF-8.")
            raise ParseError(msg) from None
        try:
            return json.loads(
                text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant
            )
        except json.JSONDecodeError as exc:
            msg = gettext("Malformed JSON: {reason} (line {line}, column {column}).").format(
                reason=exc.msg, line=exc.lineno, column=exc.colno)
            raise ParseError(msg) from None
        except (ValueError, RecursionError):
            # Integers beyond Python's 4300-digit limit, or absurdly deep nesting.
            msg = gettext("Malformed JSON: a number is too long or the nesting too deep.")
            raise ParseError(msg) from None
