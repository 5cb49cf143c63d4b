"""Origins allowed to embed an event's map, and the CSP header built from them (pure).

>>> clean_origins(["https://www.ville-chambery.fr/", " http://localhost:8080 "])
['https://www.ville-chambery.fr', 'http://localhost:8080']
>>> frame_ancestors(["https://www.ville-chambery.fr"])
"frame-ancestors 'self' https://www.ville-chambery.fr"
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

MAX_ORIGINS = 20


class OriginError(ValueError):
    """An entry is not an origin (scheme://host[:port])."""


def clean_origin(raw: str) -> str:
    """``https://Host:port/`` → ``https://host:port``; OriginError when it is not an origin."""
    text = raw.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        msg = f"{text!r} is not an origin: write it as https://www.example.fr"
        raise OriginError(msg)
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        msg = f"{text!r}: only the scheme, host and port, without a path."
        raise OriginError(msg)
    if "*" in text or any(c in text for c in " ;,'\""):
        msg = f"{text!r}: wildcards and separators are not allowed."
        raise OriginError(msg)
    try:
        port = parts.port
    except ValueError:
        msg = f"{text!r}: the port is not a number."
        raise OriginError(msg) from None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def clean_origins(lines: Iterable[str]) -> list[str]:
    """Every non-blank line as a clean origin, duplicates removed, order kept."""
    seen: list[str] = []
    for line in lines:
        if line.strip():
            origin = clean_origin(line)
            if origin not in seen:
                seen.append(origin)
    if len(seen) > MAX_ORIGINS:
        msg = f"At most {MAX_ORIGINS} origins."
        raise OriginError(msg)
    return seen


def frame_ancestors(origins: Iterable[str]) -> str:
    """The ``Content-Security-Policy`` directive letting these origins (and us) frame a page."""
    return " ".join(["frame-ancestors", "'self'", *origins])
