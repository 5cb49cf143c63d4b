"""Participants authenticate with ``Authorization: Bearer <token>``, users with ``Token <key>``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from mapping.selectors import contributor_by_token
from web.api import throttling

UNKNOWN_TOKEN = _("Unknown participant token: join the event again to get a new one.")


class ContributorTokenAuthentication(authentication.BaseAuthentication):
    """The secret token given when a participant joins; ``request.auth`` is the Contributor."""

    keyword = "Bearer"

    def authenticate(self, request):  # type: ignore[no-untyped-def]
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            msg = _("Authorization header must be 'Bearer <token>'.")
            raise exceptions.AuthenticationFailed(msg)
        contributor = contributor_by_token(header[1].decode("latin-1"))
        if contributor is None:
            throttling.note_failed_token(request)
            raise exceptions.AuthenticationFailed(UNKNOWN_TOKEN)
        return AnonymousUser(), contributor

    def authenticate_header(self, request):  # type: ignore[no-untyped-def]
        return self.keyword


class UserTokenAuthentication(authentication.TokenAuthentication):
    """Organisers' and officers' API tokens (``Token <key>``), with guessing refused."""

    def authenticate(self, request):  # type: ignore[no-untyped-def]
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttling.note_failed_token(request)
            raise


class UserTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    target_class = UserTokenAuthentication
    name = "userToken"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Organisers and officers: 'Token <key>' (cartoparty create_token)."}


class ContributorTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    target_class = ContributorTokenAuthentication
    name = "participantToken"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {"type": "http", "scheme": "bearer",
                "description": "Participant token from /participants/."}
