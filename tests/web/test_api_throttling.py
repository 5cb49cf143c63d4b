"""Rate limits of a carto-party: per event, per participant, in the shared cache."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache, caches
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.test import APIClient

from tests import geometries as g
from tests.conftest import JOIN_CODE, make_event
from web.api import throttling

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):  # type: ignore[no-untyped-def]
    """Set the rates of this test (DRF binds them to the class at import time)."""
    def set_rates(**values: str) -> None:
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                            {"join": "10000/hour", "contribute": "10000/hour", **values})
    yield set_rates
    cache.clear()


def join(client: APIClient, slug: str, name: str) -> int:
    return client.post(f"/api/v1/events/{slug}/participants/",
                       {"join_code": JOIN_CODE, "pseudonym": name}, format="json").status_code


def test_joins_are_counted_per_event_not_per_address(event, other_event, client_api, rates):
    rates(join="3/hour")
    assert [join(client_api, "chambery", f"Pers{n}") for n in range(4)] == [201, 201, 201, 429]
    # The same room (one address) joining another carto-party is not locked out.
    assert join(client_api, "autre", "Quentin") == 201


def test_the_refusal_says_when_to_come_back(event, client_api, rates):
    rates(join="1/hour")
    join(client_api, "chambery", "Ana")
    response = client_api.post("/api/v1/events/chambery/participants/",
                               {"join_code": JOIN_CODE, "pseudonym": "Bob"}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "available" in response.json()["detail"]


def test_a_room_of_300_behind_one_address_joins_with_the_default_limit(event, client_api):
    from web import settings as configured

    rate = configured.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["join"]
    allowed, period = rate.split("/")
    assert period == "hour" and int(allowed) >= 300


def test_organisers_raise_the_limits_for_the_day(event, client_api, rates):
    rates(join="2/hour")
    assert [join(client_api, "chambery", f"Pers{n}") for n in range(3)] == [201, 201, 429]
    until = throttling.limits_raise(event=event, factor=2)
    assert throttling.limit_factor("chambery") == 2
    assert [join(client_api, "chambery", f"Rita{n}") for n in range(3)] == [201, 201, 429]
    assert until.hour in {22, 23}  # midnight in Paris, in UTC
    throttling.limits_raise(event=event, factor=1)
    assert throttling.limit_factor("chambery") == 1


def test_only_known_factors_are_accepted(event):
    with pytest.raises(ValueError, match="factor"):
        throttling.limits_raise(event=event, factor=1000)


def test_contributions_are_counted_per_participant(event, client_api, rates):
    rates(contribute="1/hour")
    statuses = []
    for name in ("Ana", "Bob"):
        token = client_api.post("/api/v1/events/chambery/participants/",
                                {"join_code": JOIN_CODE, "pseudonym": name},
                                format="json").json()["token"]
        client_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        body = {"type": "Feature", "geometry": g.INSIDE, "properties": {"preset": "natural/tree"}}
        statuses += [client_api.post("/api/v1/events/chambery/features/", body,
                                     format="json").status_code for _ in range(2)]
    assert statuses == [201, 429, 201, 429]


def test_the_counters_are_in_the_database_not_in_process_memory(event, client_api, rates):
    rates(join="5/hour")
    join(client_api, "chambery", "Ana")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM cartoparty_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_join_chambery_" in key for key in keys)


@pytest.mark.parametrize("scheme", ["Bearer", "Token"])
def test_guessing_tokens_is_refused_after_repeated_failures(event, client_api, settings, scheme,
                                                            joined):
    settings.TOKEN_FAILURES_PER_HOUR = 3
    cache.clear()
    client_api.credentials(HTTP_AUTHORIZATION=f"{scheme} not-a-token")
    statuses = [client_api.get("/api/v1/me/contributions/").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    # Even the right token is refused from this address until the hour has passed.
    client_api.credentials(HTTP_AUTHORIZATION=f"Bearer {joined.token}")
    assert client_api.get("/api/v1/me/contributions/").status_code == 429
    cache.clear()
    assert client_api.get("/api/v1/me/contributions/").status_code == 200


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_limits_hold_with_redis_as_the_shared_cache(settings, rates):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/15",
                                   "KEY_PREFIX": "cartoparty-test"}}
    rates(join="2/hour")
    caches["default"].clear()
    try:
        make_event("redis-party")
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        assert [join(client, "redis-party", f"Pers{n}") for n in range(3)] == [201, 201, 429]
    finally:
        caches["default"].clear()
