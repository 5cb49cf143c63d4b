"""Who is calling: a participant (Bearer token) or a user (API token, session)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from mapping import selectors
from mapping.models import Contributor, Event

LOGIN_REQUIRED = _("Authenticate with 'Authorization: Token <key>' (organisers and officers).")


def participant(request: Request) -> Contributor | None:
    """The participant whose token authenticated the request, if any."""
    return request.auth if isinstance(request.auth, Contributor) else None


def user(request: Request) -> Any:
    """The authenticated Django user, or None."""
    return request.user if request.user and request.user.is_authenticated else None


def require_user(request: Request) -> Any:
    """The authenticated user; 401 with a clear message otherwise."""
    found = user(request)
    if found is None:
        raise NotAuthenticated(LOGIN_REQUIRED)
    return found


def event(request: Request, slug: str) -> Event:
    """The event named in the URL: the participant's own when it is that one (read already
    with their token, no second query), else looked up; NotFound when there is none."""
    person = participant(request)
    if person is not None and person.event.slug == slug:
        return person.event
    return selectors.event_by_slug(slug)


def reader(request: Request) -> selectors.Reader:
    """Who reads, for the selectors that decide what they may see."""
    return selectors.Reader(user=user(request), participant=participant(request))


def event_or_404(slug: str) -> Event:
    """The event named in a plain Django view's URL (outside DRF): Http404 when none."""
    from django.http import Http404

    from mapping.errors import NotFound

    try:
        return selectors.event_by_slug(slug)
    except NotFound as exc:
        raise Http404(exc.message) from None
