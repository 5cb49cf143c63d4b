"""Errors of the OGC API as OGC exceptions: ``{"code", "description"}`` (and the parameter).

Domain errors keep their HTTP status (``web.api.errors.STATUS_OF``); a bad parameter is a 400
naming it, an unknown collection or item a 404 — never a 500.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.response import Response

from mapping import errors
from web.api.errors import STATUS_OF

CODES = {
    400: "InvalidParameterValue",
    401: "NotAuthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
}


class OgcError(Exception):
    """A request the API refuses: ``status``, a translated ``description``, the parameter."""

    def __init__(
        self,
        description: str,
        *,
        parameter: str | None = None,
        status: int = 400,
        code: str | None = None,
    ) -> None:
        super().__init__(description)
        self.description = description
        self.parameter = parameter
        self.status = status
        self.code = code or CODES.get(status, "Error")


def body(code: str, description: str, parameter: str | None = None) -> dict[str, Any]:
    """An OGC exception document."""
    found: dict[str, Any] = {"code": code, "description": description}
    if parameter:
        found["parameter"] = parameter
    return found


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error of ``/ogcapi/`` as an OGC exception (DRF's handler for the OGC views)."""
    if isinstance(exc, OgcError):
        status, code, text, parameter = exc.status, exc.code, exc.description, exc.parameter
    elif isinstance(exc, errors.CartopartyError):
        status = next((s for cls, s in STATUS_OF.items() if isinstance(exc, cls)), 400)
        code, text, parameter = CODES.get(status, "Error"), exc.render(gettext), exc.field
        if parameter and not text.startswith(parameter):
            text = f"{parameter}: {text}"
    elif isinstance(exc, exceptions.APIException):
        status, text, parameter = exc.status_code, str(exc.detail), None
        code = CODES.get(status, "Error")
    else:
        return None
    response = Response(body(code, text, parameter), status=status)
    if isinstance(exc, exceptions.APIException):
        for header in ("WWW-Authenticate", "Retry-After"):
            if header in getattr(exc, "headers", {}) or {}:
                response[header] = exc.headers[header]  # type: ignore[attr-defined]
    return response
