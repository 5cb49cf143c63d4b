"""Shared fixtures: an event on the Chambéry zone, an organiser, participants, API clients."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from mapping.models import EventRole
from mapping.services import contributor_join, event_create
from tests.factories import JOIN_CODE, EventRoleFactory, TokenFactory, UserFactory
from tests.geometries import ZONE


def make_event(slug: str = "chambery", **overrides: Any):  # type: ignore[no-untyped-def]
    now = timezone.now()
    values = dict(actor=None, name=f"Carto-party {slug}", slug=slug, zone_geojson=ZONE,
                  starts_at=now - dt.timedelta(hours=2), ends_at=now + dt.timedelta(days=1),
                  join_code=JOIN_CODE)
    return event_create(**{**values, **overrides})


@pytest.fixture
def event(db):  # type: ignore[no-untyped-def]
    return make_event()


@pytest.fixture
def other_event(db):  # type: ignore[no-untyped-def]
    return make_event("autre")


@pytest.fixture
def organiser(event):  # type: ignore[no-untyped-def]
    return EventRoleFactory(event=event, user__username="orga", role=EventRole.Role.ORGANISER).user


@pytest.fixture
def joined(event):  # type: ignore[no-untyped-def]
    return contributor_join(event=event, join_code=JOIN_CODE, pseudonym="Camille")


def token_api(user: Any) -> APIClient:
    """An English-speaking API client authenticated with ``user``'s personal token."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def role_api(event: Any, username: str, role: str) -> APIClient:
    """A new user holding ``role`` in ``event``, as an API client."""
    return token_api(EventRoleFactory(event=event, user=UserFactory(username=username),
                                      role=role).user)


def bearer_api(token: str) -> APIClient:
    """An English-speaking API client authenticated as the participant holding ``token``."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def author(joined):  # type: ignore[no-untyped-def]
    from mapping.services.contributions import Author

    return Author(contributor=joined.contributor, entered_by=None, channel="web")


@pytest.fixture
def client_api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def participant_api(joined) -> APIClient:  # type: ignore[no-untyped-def]
    return bearer_api(joined.token)


@pytest.fixture
def organiser_api(organiser) -> APIClient:  # type: ignore[no-untyped-def]
    return token_api(organiser)


@contextlib.contextmanager
def running_server() -> Iterator[str]:
    """The product's own ASGI application under uvicorn on a free loopback port, as
    ``cartoparty serve`` runs it; yields its base URL. The data it serves must be committed
    (``transactional_db``, or a module fixture that commits and flushes)."""
    import uvicorn

    from web.asgi import application

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        _close_server_connections()


def _close_server_connections() -> None:
    """The server's threads keep their database connections (``CONN_MAX_AGE``): on
    PostgreSQL, end them, or the test database cannot be dropped at the end of the run."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def live_server(transactional_db):  # type: ignore[no-untyped-def]
    """The product's own ASGI application under uvicorn (:func:`running_server`).

    Replaces pytest-django's WSGI live server: live streams are async views, which a WSGI
    server would buffer to their end.
    """
    with running_server() as url:
        # pytest-django's helper enables and disables this around the test (nothing to
        # change). Links handed out (follow links, QR codes) point at this server.
        modified = override_settings(PUBLIC_BASE_URL=url)
        yield SimpleNamespace(url=url, _live_server_modified_settings=modified)


@pytest.fixture(autouse=True)
def _fresh_item_cache() -> Iterator[None]:
    """Each test starts with no rendered items (web/api/items.py): ids and times may repeat
    across tests whose transactions were rolled back."""
    from web.api.items import CACHE

    CACHE.clear()
    yield
    CACHE.clear()
