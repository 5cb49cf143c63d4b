"""Throttles that key participants by their token, not by the room's shared address."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

from mapping.models import Contributor


class ParticipantRateThrottle(ScopedRateThrottle):
    """Scoped rate per participant; per client address for everyone else.

    At a carto-party the whole room shares the town hall's Wi-Fi, hence one address: a
    per-address limit on contributions would stop the room, not an abuser.
    """

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if isinstance(request.auth, Contributor):
            return self.cache_format % {"scope": self.scope, "ident": f"p{request.auth.pk}"}
        return super().get_cache_key(request, view)
