"""Origins allowed to embed an event's map, and the CSP header built from them (pure).

>>> clean_origins(["https://www.ville-chambery.fr/", " http://localhost:8080 "])
['https://www.ville-chambery.fr', 'http://localhost:8080']
>>> clean_origins(["https://mairie.fête.fr"])
['https://mairie.xn--fte-fma.fr']
>>> frame_ancestors(["https://www.ville-chambery.fr"])
"frame-ancestors 'self' https://www.ville-chambery.fr"
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

MAX_ORIGINS = 20
# CSP's host-source: labels of letters, digits and hyphens (an IDN goes in as punycode).
HOST_LABELS = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


class OriginError(ValueError):
    """An entry is not an origin (scheme://host[:port])."""


def clean_origin(raw: str) -> str:
    """``https://Host:port/`` → ``https://host:port``; OriginError when it is not an origin."""
    text = raw.strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. a bracketed host that is not an IPv6 address
        msg = f"{text!r} is not an origin: write it as https://www.example.fr"
        raise OriginError(msg) from None
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
    host = _host(parts.hostname.lower(), text)
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def _host(host: str, text: str) -> str:
    """The host as it may appear in a CSP header (ASCII only); OriginError otherwise."""
    if ":" in host:  # IPv6 literal
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            msg = f"{text!r}: not an IPv6 address."
            raise OriginError(msg) from None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = ""
    if not HOST_LABELS.fullmatch(ascii_host):
        msg = f"{text!r}: the host name has characters a web address cannot have."
        raise OriginError(msg)
    return ascii_host


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


def frame_ancestors(origins: Iterable[str]) -> list[str]:
    """The sources of a ``frame-ancestors`` directive letting these origins (and us) frame a
    page."""
    return ["'self'", *origins]
