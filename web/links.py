"""Absolute links handed out (follow links, join QR codes, widget snippets).

Always built on ``PUBLIC_BASE_URL``, never on the request's ``Host`` header: a forged Host
would otherwise put an attacker's address into a participant's private follow link or a
printed QR code. ``cartoparty serve 0.0.0.0:PORT`` sets it to the local-network address when
it is not configured.
"""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """``path`` (starting with /) on the configured public base URL."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path
