"""Domain errors of the participatory core; the API turns each into one HTTP status.

Messages are English templates with named ``{placeholders}``; the values travel beside them,
so the web layer can translate the template (French for French browsers) before filling it.
Mark templates with :func:`N_` so ``makemessages --keyword=N_`` finds them.
"""

from __future__ import annotations

from typing import Any


def N_(template: str) -> str:  # noqa: N802 — the gettext_noop convention
    """Mark a message template for translation without translating it (pure code)."""
    return template


class Label:
    """A translatable fragment used as a parameter of another message ("The value of tag …")."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params

    def render(self, translate: Any) -> str:
        """The fragment in the language of ``translate``."""
        return str(translate(self.template)).format(**self.params)

    def __str__(self) -> str:
        return self.template.format(**self.params)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class CartopartyError(Exception):
    """Base of every domain error.

    ``field`` names the offending input when there is one; ``rule`` the code of the rule
    broken when it comes from a table of rules (``mapping.tags.RULES``).
    """

    def __init__(self, template: str, *, field: str | None = None, rule: str | None = None,
                 **params: Any) -> None:
        self.template = template
        self.params = params
        self.field = field
        self.rule = rule
        self.message = template.format(**params) if params else template
        super().__init__(self.message)

    def render(self, translate: Any) -> str:
        """The message in the language of ``translate`` (a gettext function)."""
        translated = str(translate(self.template))
        params = {name: value.render(translate) if isinstance(value, Label) else value
                  for name, value in self.params.items()}
        try:
            return translated.format(**params) if params else translated
        except (KeyError, IndexError, ValueError):  # a broken translation never hides the error
            return self.message


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
