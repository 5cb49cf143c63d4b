"""Rate limits of a carto-party: per event, per participant, in the shared cache."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import geometries as g
from tests.conftest import JOIN_CODE, make_event
from web.api import throttling

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):  # type: ignore[no-untyped-def]
    """Set the rates of this test."""
    def set_rates(**values: str) -> None:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
            "join": "10000/hour", "contribute": "10000/hour", **values}}
    yield set_rates
    cache.clear()
    throttling._factor_memo.clear()


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
    assert period == "hour"
    assert int(allowed) >= 300


def test_organisers_raise_the_limits_for_the_day(event, client_api, rates):
    rates(join="2/hour")
    assert [join(client_api, "chambery", f"Pers{n}") for n in range(3)] == [201, 201, 429]
    until = throttling.limits_raise(event=event, factor=5)
    assert throttling.limit_factor("chambery") == 5
    # Ten this hour now; the three tries above (the refused one too) count.
    assert [join(client_api, "chambery", f"Rita{n}") for n in range(8)] == [201] * 7 + [429]
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
    from web.models import RateCounter

    counter = RateCounter.objects.get(counter_key__startswith="join:chambery:")
    assert (counter.hits, counter.previous_hits) == (1, 0)


def test_a_limit_costs_one_statement(event, client_api, rates, django_assert_num_queries):
    from web import ratelimit

    with django_assert_num_queries(1):
        assert ratelimit.hit("k", limit=2, period_s=60).allowed


@pytest.mark.parametrize(("hits", "previous", "fraction", "allowed"), [
    (5, 0, 0.0, True), (6, 0, 0.5, False), (3, 10, 0.5, False), (3, 10, 0.9, True),
    (0, 10, 0.6, True),
])
def test_the_sliding_window_weighs_the_previous_window(hits, previous, fraction, allowed):
    from web.ratelimit import _verdict

    verdict = _verdict(hits, previous, limit=5, period_s=100, now=1000 * 100 + fraction * 100)
    assert verdict.allowed is allowed
    if not allowed:
        assert verdict.retry_after_s >= 1


def test_windows_roll_over(event):
    from web import ratelimit

    start = 1_000_000 * 60.0
    assert [ratelimit.hit("roll", limit=2, period_s=60, now=start + s).allowed
            for s in (0, 1, 2)] == [True, True, False]
    # Next window, late in it: the previous three weigh 3 × 0.1.
    assert ratelimit.hit("roll", limit=2, period_s=60, now=start + 60 + 54).allowed
    # Two windows later, nothing is left.
    assert ratelimit.peek("roll", limit=2, period_s=60, now=start + 240).estimate == 0


@pytest.mark.parametrize("scheme", ["Bearer", "Token"])
def test_scanning_tokens_is_refused_after_repeated_failures(event, client_api, settings, scheme,
                                                            joined):
    settings.TOKEN_FAILURES_PER_HOUR = 3
    client_api.credentials(HTTP_AUTHORIZATION=f"{scheme} not-a-token")
    statuses = [client_api.get("/api/v1/me/contributions/").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    # A participant of the same room with a real token is not locked out.
    client_api.credentials(HTTP_AUTHORIZATION=f"Bearer {joined.token}")
    assert client_api.get("/api/v1/me/contributions/").status_code == 200


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_limits_hold_with_redis_as_the_shared_store(settings, rates):
    import redis

    from web import ratelimit

    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    ratelimit._client = None
    rates(join="2/hour")
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    try:
        make_event("redis-party")
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        assert [join(client, "redis-party", f"Pers{n}") for n in range(3)] == [201, 201, 429]
        from web.models import RateCounter

        assert not RateCounter.objects.exists()  # counted in Redis, not in the database
    finally:
        redis.Redis.from_url(settings.REDIS_URL).flushdb()
        ratelimit._client = None
