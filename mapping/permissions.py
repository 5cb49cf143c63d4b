"""Who may do what. Checks take the actor (a user or a contributor), never a request."""

from __future__ import annotations

from typing import Any

from mapping.models import Event, EventRole


def can_create_event(user: Any) -> bool:
    """Staff and users granted ``mapping.add_event`` (the organisers' group) create events."""
    return bool(user and user.is_authenticated
                and (user.is_staff or user.has_perm("mapping.add_event")))


def has_role(user: Any, event: Event, *roles: str) -> bool:
    """Whether ``user`` holds one of ``roles`` in ``event`` (superusers hold every role)."""
    if not (user and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    return EventRole.objects.filter(event=event, user=user, role__in=roles).exists()


def roles_of(user: Any, event: Event) -> frozenset[str]:
    """Every role ``user`` holds in ``event``, in one query (all of them for superusers)."""
    if not (user and user.is_authenticated):
        return frozenset()
    if user.is_superuser:
        return frozenset(EventRole.Role)
    return frozenset(EventRole.objects.filter(event=event, user=user)
                     .values_list("role", flat=True))


#: The roles that see nuisance reports at their exact place and time.
EXACT_REPORT_ROLES = frozenset({EventRole.Role.ORGANISER, EventRole.Role.OFFICER})


def can_moderate(user: Any, event: Event) -> bool:
    """Organisers of this event moderate its contributions."""
    return has_role(user, event, EventRole.Role.ORGANISER)


def can_enter_on_behalf(user: Any, event: Event) -> bool:
    """Organisers and mediators of this event enter contributions for participants."""
    return has_role(user, event, EventRole.Role.ORGANISER, EventRole.Role.MEDIATOR)


def can_see_exact_reports(user: Any, event: Event) -> bool:
    """Organisers and officers see nuisance reports at their exact place and time."""
    return has_role(user, event, *EXACT_REPORT_ROLES)
