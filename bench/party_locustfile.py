"""A carto-party as locust plays it: phones and organisers (run by ``bench/party_load.py``).

Phones join, then every 1–3 s read the map by bounding box, post a feature or a report (one
post in three is sent again with the same id, as a phone retrying on a bad network), or check
their own contributions; each keeps its live updates open. Organisers moderate the reports
that arrive and keep the desk's live view open. ``PARTY_POSTS_ONLY=1``: phones only post,
without pauses (the write throughput).

Users are locust's ``FastHttpUser`` (geventhttpclient): the load generator shares the two
cores with the server and must not be what is measured. With the ``requests``-based
``HttpUser``, a probe outside locust read the map in 17–22 ms (p50) while locust reported
2.8 s for the same reads: its own queue.

Every acknowledged contribution id is appended to ``PARTY_ACK_FILE`` so that the runner can
compare what the server acknowledged with what the database holds.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import threading
import time
import urllib.request
import uuid
from typing import Any
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, constant, events, task

SLUG = os.environ.get("PARTY_EVENT", "chambery-centre")
JOIN_CODE = os.environ.get("PARTY_JOIN_CODE", "CHAMBE73")
POSTS_ONLY = os.environ.get("PARTY_POSTS_ONLY") == "1"
LIVE = os.environ.get("PARTY_LIVE", "1") == "1"
ACK_FILE = os.environ.get("PARTY_ACK_FILE", "/tmp/party_acks.txt")
ORGANISERS = json.loads(os.environ.get("PARTY_ORGANISERS", "[]"))  # [{"username", "password"}]
ZONE: list[float] = []  # west, south, east, north of the event's zone, read at test start
_ack_lock = threading.Lock()
_organiser_slots = list(range(len(ORGANISERS)))


@events.test_start.add_listener
def _read_zone(environment: Any, **_kwargs: Any) -> None:
    with urllib.request.urlopen(f"{environment.host}/api/v1/events/{SLUG}/", timeout=30) as r:
        west, south, east, north = json.loads(r.read())["bbox"]
    # Inside the zone, away from its edge: every post is a valid one.
    dx, dy = (east - west) * 0.1, (north - south) * 0.1
    ZONE[:] = [west + dx, south + dy, east - dx, north - dy]


# When each contribution was acknowledged (this locust process): a phone's live stream
# measures how long others' contributions take to reach it.
_acked_at: dict[str, float] = {}


def _ack(contribution_id: str) -> None:
    _acked_at.setdefault(contribution_id, time.time())
    with _ack_lock, open(ACK_FILE, "a") as out:
        out.write(contribution_id + "\n")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _point() -> list[float]:
    west, south, east, north = ZONE
    return [round(random.uniform(west, east), 6), round(random.uniform(south, north), 6)]


def _view_bbox() -> str:
    """A phone's screen: about 200 m × 300 m somewhere in the zone."""
    lon, lat = _point()
    return f"{lon - 0.0013:.5f},{lat - 0.0009:.5f},{lon + 0.0013:.5f},{lat + 0.0009:.5f}"


def _lines(response: Any) -> Any:
    """The lines of a streamed response, as they arrive."""
    buffer = b""
    for chunk in response.iter_content(chunk_size=4096, decode_content=False):
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        yield from lines


def _lag_s(body: dict[str, Any]) -> float | None:
    """The seconds from a change to its arrival here: the desk's changes carry their moment
    (``at``); the public map's, the new contributions — for those a phone of this run posted,
    the longest since its acknowledgement (None when the message holds none)."""
    if body.get("at"):
        return (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(body["at"])).total_seconds()
    now = time.time()  # new contributions only: a moderated one is an old one changed
    lags = [now - _acked_at[item["id"]] for kind in ("features", "reports")
            for item in ((body.get(kind) or {}).get("features") or [])
            if item.get("id") in _acked_at and item["properties"].get("version") == 1]
    return max(lags) if lags else None


def _read_stream(user: FastHttpUser, path: str, name: str, **kwargs: Any) -> None:
    """Keep a server-sent-events stream open, reconnecting as a browser's EventSource does.

    The request is recorded when its headers arrive; every message received is recorded as
    "<name>: delivered" with the time from its change to its arrival (the live latency).
    """
    while True:
        start = time.perf_counter()
        try:
            response = user.client.get(path, stream=True, name=name, **kwargs)
            if response.status_code == 200:
                for line in _lines(response):
                    if line.startswith(b"data: "):
                        lag_s = _lag_s(json.loads(line[6:]))
                        if lag_s is not None:
                            events.request.fire(request_type="SSE", name=name + ": delivered",
                                                response_time=lag_s * 1000, response_length=0,
                                                exception=None, context={})
        except Exception as exc:  # a dropped stream is retried, and recorded
            events.request.fire(request_type="GET", name=name + " (dropped)",
                                response_time=(time.perf_counter() - start) * 1000,
                                response_length=0, exception=exc, context={})
        gevent.sleep(1.5)


class Phone(FastHttpUser):
    weight = 100
    wait_time = constant(0) if POSTS_ONLY else between(1, 3)

    def on_start(self) -> None:
        self.token = ""
        pseudonym = f"bench-{uuid.uuid4().hex[:10]}"
        with self.client.post(f"/api/v1/events/{SLUG}/participants/", name="join",
                              json={"join_code": JOIN_CODE, "pseudonym": pseudonym},
                              catch_response=True) as response:
            if response.status_code == 201:
                self.token = response.json()["token"]
            else:
                response.failure(f"join {response.status_code}: {response.text[:120]}")
        self.headers = {"Authorization": f"Bearer {self.token}"}
        if LIVE and not POSTS_ONLY and os.environ.get("PARTY_PHONE_STREAM"):
            gevent.spawn(_read_stream, self, os.environ["PARTY_PHONE_STREAM"].format(slug=SLUG),
                         "live updates (phone)", headers=self.headers)

    def _post(self, kind: str, body: dict[str, Any]) -> None:
        contribution_id = str(uuid.uuid4())
        body = {"type": "Feature", "id": contribution_id, **body}
        sends = 2 if random.random() < 1 / 3 else 1
        for attempt in range(sends):
            name = f"post {kind}" + (" (resent)" if attempt else "")
            with self.client.post(f"/api/v1/events/{SLUG}/{kind}/", json=body, name=name,
                                  headers=self.headers, catch_response=True) as response:
                stored = response.status_code in (200, 201)
                if stored and response.json().get("id") == contribution_id:
                    _ack(contribution_id)
                    response.success()
                else:
                    response.failure(f"{response.status_code}: {response.text[:120]}")

    @task(2)
    def post_contribution(self) -> None:
        if not self.token:
            return
        if random.random() < 0.5:
            self._post("features", {"geometry": {"type": "Point", "coordinates": _point()},
                                    "properties": {"preset": "amenity/bench",
                                                   "tags": {"backrest": "yes"},
                                                   "consent_osm": True}})
        else:
            self._post("reports", {"geometry": {"type": "Point", "coordinates": _point()},
                                   "properties": {"category": "noise",
                                                  "intensity": random.randint(1, 5),
                                                  "sources": ["road"],
                                                  "observed_at": now_iso(),
                                                  "comment": "banc d'essai"}})

    @task(3)
    def read_map(self) -> None:
        if POSTS_ONLY:
            return self.post_contribution()
        bbox = _view_bbox()
        self.client.get(f"/api/v1/events/{SLUG}/features/?bbox={bbox}", name="map features (bbox)")
        self.client.get(f"/api/v1/events/{SLUG}/reports/?bbox={bbox}", name="map reports (bbox)")
        return None

    @task(1)
    def my_contributions(self) -> None:
        if POSTS_ONLY:
            return self.post_contribution()
        if self.token:
            self.client.get("/api/v1/me/contributions/", headers=self.headers,
                            name="my contributions")
        return None


class Organiser(FastHttpUser):
    weight = 1
    fixed_count = len(ORGANISERS) if not POSTS_ONLY else 0
    wait_time = between(2, 5)

    def on_start(self) -> None:
        account = ORGANISERS[_organiser_slots.pop() if _organiser_slots else 0]
        self.api_headers = {"Authorization": f"Token {account['api_token']}"}
        self.client.get("/desk/login/", name="desk login page")
        csrf = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        form = urlencode({"username": account["username"], "password": account["password"],
                          "csrfmiddlewaretoken": csrf})
        self.client.post("/desk/login/", data=form, name="desk login",
                         headers={"Referer": self.host + "/desk/login/",
                                  "Content-Type": "application/x-www-form-urlencoded"})
        if LIVE:
            gevent.spawn(_read_stream, self, f"/desk/{SLUG}/live/stream/",
                         "live view (organiser)")

    @task
    def moderate(self) -> None:
        response = self.client.get(f"/api/v1/events/{SLUG}/reports/?status=received",
                                   headers=self.api_headers, name="moderation: received reports")
        if response.status_code != 200:
            return
        waiting = response.json().get("features", [])[:5]
        for item in waiting:
            with self.client.post(f"/api/v1/events/{SLUG}/reports/{item['id']}/status/",
                                  json={"status": "accepted",
                                        "version": item["properties"]["version"]},
                                  headers=self.api_headers, name="moderation: accept",
                                  catch_response=True) as answer:
                if answer.status_code == 409:  # another organiser was quicker: as designed
                    answer.success()
