"""Domain errors of the participatory core; the API turns each into one HTTP status."""

from __future__ import annotations


class CartopartyError(Exception):
    """Base of every domain error; ``field`` names the offending input when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(CartopartyError):
    """The input is malformed or breaks a domain rule (HTTP 400)."""


class NotAllowed(CartopartyError):
    """The actor may not do this (HTTP 403)."""


class NotFound(CartopartyError):
    """The named object does not exist in this event (HTTP 404)."""


class Conflict(CartopartyError):
    """The request clashes with the current state (HTTP 409)."""


class InvalidTransition(Conflict):
    """The status change is not allowed from the current status (HTTP 409)."""
