"""Who may open a desk page: the signed-in user's role in the event, checked by mapping."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from mapping import selectors
from mapping.errors import CartopartyError, NotFound
from mapping.models import Event, EventRole
from mapping.permissions import has_role

ORGANISER = (EventRole.Role.ORGANISER,)
HELPERS = (EventRole.Role.ORGANISER, EventRole.Role.MEDIATOR)
WATCHERS = (EventRole.Role.ORGANISER, EventRole.Role.MEDIATOR, EventRole.Role.OFFICER)
OFFICERS = (EventRole.Role.ORGANISER, EventRole.Role.OFFICER)


def event_for(request: HttpRequest, slug: str, roles: tuple[str, ...]) -> Event:
    """The event if the signed-in user holds one of ``roles`` in it; 404 / 403 otherwise."""
    try:
        event = selectors.event_by_slug(slug)
    except NotFound as exc:
        raise Http404(exc.message) from None
    if not has_role(request.user, event, *roles):
        raise PermissionDenied(_("You have no role in this carto-party that opens this page."))
    return event


def message(exc: CartopartyError) -> str:
    """A domain error in the active language."""
    return exc.render(_)


def roles_in(request: HttpRequest, event: Event) -> set[str]:
    """The roles the signed-in user holds in ``event`` (all of them for superusers)."""
    if request.user.is_superuser:
        return {r.value for r in EventRole.Role}
    return set(EventRole.objects.filter(event=event, user=request.user)
               .values_list("role", flat=True))
