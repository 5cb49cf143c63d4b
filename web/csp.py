"""Content-Security-Policy exceptions, each with its reason (the policy is in settings)."""

from __future__ import annotations

from django.http import HttpResponseBase

# Self-contained HTML documents (folium maps, matplotlib charts) carry their scripts inline
# so that they work once downloaded, offline. Served by us they run sandboxed: an opaque
# origin without our cookies, storage or API, so nothing in them can act as the signed-in
# officer even if a contribution's text slipped through unescaped.
DOCUMENT_POLICY = {
    "sandbox": ["allow-scripts", "allow-popups", "allow-downloads"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "connect-src": ["'none'"],
}


def as_sandboxed_document(response: HttpResponseBase) -> HttpResponseBase:
    """Serve ``response`` (a self-contained HTML document) under :data:`DOCUMENT_POLICY`."""
    response._csp_replace = DOCUMENT_POLICY  # type: ignore[attr-defined]
    return response
