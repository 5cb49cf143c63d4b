"""Every API error as JSON ``{"detail", "field", "code"}``: domain errors → HTTP status here.

A domain error that breaks a rule of a table (a tag rule) also names it: ``"rule"``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mapping import errors

STATUS_OF = {
    errors.InvalidInput: status.HTTP_400_BAD_REQUEST,
    errors.NotAllowed: status.HTTP_403_FORBIDDEN,
    errors.NotFound: status.HTTP_404_NOT_FOUND,
    errors.Conflict: status.HTTP_409_CONFLICT,
}
TOO_BIG = _("The request body is too large.")


def _first_error(detail: Any, path: str = "") -> tuple[str, str, str]:
    """The first leaf of DRF's nested error detail: (field path, message, code)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = path if key == "non_field_errors" else f"{path}.{key}" if path else str(key)
            return _first_error(value, name)
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], path)
    return path, str(detail), getattr(detail, "code", "invalid")


def _body(detail: str, *, field: str | None, code: str,
          rule: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail, "code": code}
    if field:
        body["field"] = field
    if rule:
        body["rule"] = rule
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, extended with domain errors and one error shape."""
    for error_class, http_status in STATUS_OF.items():
        if isinstance(exc, error_class):
            code = type(exc).__name__[0].lower() + type(exc).__name__[1:]
            body = _body(exc.render(gettext), field=exc.field, code=code, rule=exc.rule)
            return Response(body, status=http_status)
    if isinstance(exc, RequestDataTooBig):
        return Response(_body(str(TOO_BIG), field=None, code="too_large"), status=413)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message, code = _first_error(exc.detail)
        text = f"{field}: {message}" if field else message
        response.data = {**_body(text, field=field or None, code=code), "errors": exc.detail}
    elif isinstance(exc, exceptions.APIException):
        response.data = _body(str(exc.detail), field=None, code=exc.get_codes() if isinstance(
            exc.get_codes(), str) else "error")
    return response


# Machine-facing paths: an address that names nothing is answered in the API's error shape.
JSON_PATHS = ("/api/", "/tiles/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: the API's JSON error under :data:`JSON_PATHS`, the HTML page elsewhere."""
    if request.path.startswith(JSON_PATHS):
        return JsonResponse(_body(gettext("Not found."), field=None, code="notFound"),
                            status=404)
    return page_not_found(request, exception)
