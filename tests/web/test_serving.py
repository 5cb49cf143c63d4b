"""``cartoparty serve`` as users start it: a real server process on loopback.

These tests start the production server (gunicorn + uvicorn workers) on a scratch database of
the configured backend, talk to it over TCP, and kill it with SIGKILL under load.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from web import serving

ROOT = Path(__file__).resolve().parents[2]
CARTOPARTY = str(Path(sys.executable).parent / "cartoparty")

MAKE_EVENT = """
import datetime as dt
from django.utils import timezone
from mapping.services import event_create
from tests.geometries import ZONE
now = timezone.now()
event_create(actor=None, name="Serve test", slug="serve-test", zone_geojson=ZONE,
             starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(days=1),
             join_code="SERVE123")
"""


@pytest.mark.parametrize(("raw", "host", "port"), [
    ("127.0.0.1:8000", "127.0.0.1", 8000), ("0.0.0.0:9000", "0.0.0.0", 9000),
    ("8001", "127.0.0.1", 8001), (":8002", "0.0.0.0", 8002), ("[::1]:8003", "::1", 8003),
    ("localhost", "localhost", 8000),
])
def test_bind_is_parsed(raw, host, port):
    assert serving.parse_bind(raw) == serving.Bind(host=host, port=port)


@pytest.mark.parametrize("raw", ["127.0.0.1:http", "127.0.0.1:0", "127.0.0.1:70000"])
def test_bad_bind_is_refused(raw):
    with pytest.raises(ValueError, match="HOST:PORT"):
        serving.parse_bind(raw)


def test_only_usable_lan_addresses_are_kept():
    assert serving._usable(["127.0.0.1", "192.168.1.20", "fe80::1", "169.254.3.3", "10.0.0.2",
                            "192.168.1.20", "junk", "0.0.0.0"]) == ["192.168.1.20", "10.0.0.2"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def scratch_env(tmp_path_factory) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """Environment of a server on a scratch database (same backend as the test run)."""
    env = {**os.environ, "CARTOPARTY_DATA_DIR": str(tmp_path_factory.mktemp("serve")),
           "DEBUG": "false", "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "web.settings",
           "PYTHONPATH": str(ROOT)}
    database_url = os.environ.get("DATABASE_URL", "")
    scratch = f"cartoparty_serve_{os.getpid()}"
    if database_url.startswith(("postgis://", "postgres")):
        base = database_url.rsplit("/", 1)[0]
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", scratch], check=True)
        env["DATABASE_URL"] = f"{base}/{scratch}"
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run([CARTOPARTY, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True,
                   timeout=300)
    subprocess.run([CARTOPARTY, "shell", "-c", MAKE_EVENT], env=env, cwd=ROOT, check=True,
                   timeout=120)
    yield env
    if "DATABASE_URL" in env:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", scratch],
                       check=False)


class Served:
    """A ``cartoparty serve`` process group; ``kill()`` sends SIGKILL to all of it."""

    def __init__(self, env: dict[str, str], bind: str, port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [CARTOPARTY, "serve", bind, "--workers", "2", "--no-qr"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        # Two workers import Django, GeoDjango and the scientific stack: 14 s on a quiet
        # 2-core machine, over a minute while other suites run beside it.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if self.get("/api/v1/events/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.kill()
        pytest.fail("cartoparty serve did not answer within 180 s")

    def get(self, path: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": host})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


def test_a_started_worker_keeps_its_objects_out_of_the_collectors_walks(scratch_env):
    """Modules, apps and URL patterns never become garbage: frozen once the app is loaded,
    full collections do not walk them on every page (bench/README.md, read path round 3)."""
    script = ("import gc, web.asgi; print(gc.get_freeze_count()); "
              "from web import serving; "
              "server = serving.Server(bind=serving.Bind('127.0.0.1', 0), workers=1); "
              "server.cfg.post_worker_init(None); print(gc.get_freeze_count())")
    frozen = subprocess.run([sys.executable, "-c", script], env=scratch_env, cwd=ROOT,
                            capture_output=True, text=True, check=True, timeout=120)
    on_import, in_worker = (int(n) for n in frozen.stdout.split()[-2:])
    assert on_import == 0  # a process importing the app (tests) keeps its collector
    assert in_worker > 50_000


def test_serve_allows_its_lan_address_and_no_other_host(scratch_env):
    port = _free_port()
    server = Served(scratch_env, f"0.0.0.0:{port}", port)
    try:
        for address in serving.lan_addresses():
            assert server.get("/api/v1/events/", host=f"{address}:{port}")[0] == 200
        assert server.get("/api/v1/events/", host="evil.example")[0] == 400
        status, body = server.get("/static/web/cartoparty.css")
        assert status == 200
        assert body
    finally:
        server.stop()


def test_a_phone_pausing_between_requests_keeps_its_connection(scratch_env):
    port = _free_port()
    server = Served(scratch_env, f"127.0.0.1:{port}", port)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/api/v1/events/")
        connection.getresponse().read()
        first_socket = connection.sock
        time.sleep(3)  # the pause is the point: gunicorn's 2 s default closed such connections
        connection.request("GET", "/api/v1/events/")
        assert connection.getresponse().status == 200
        assert connection.sock is first_socket
        connection.close()
    finally:
        server.stop()


def _post(port: int, token: str, contribution_id: str, lon: float) -> int:
    body = {"type": "Feature", "id": contribution_id,
            "geometry": {"type": "Point", "coordinates": [lon, 45.5660]},
            "properties": {"preset": "amenity/bench", "tags": {}, "consent_osm": True}}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/api/v1/events/serve-test/features/", json.dumps(body),
                           {"Content-Type": "application/json",
                            "Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_kill_9_under_load_loses_nothing_acknowledged_and_stores_nothing_twice(scratch_env):
    """Phones keep posting (and retrying with the same id, as the outbox does) while the
    server is SIGKILLed and started again: what was acknowledged is stored, exactly once."""
    port = _free_port()
    server = Served(scratch_env, f"127.0.0.1:{port}", port)
    tokens = []
    for n in range(4):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/api/v1/events/serve-test/participants/",
                           json.dumps({"join_code": "SERVE123", "pseudonym": f"Phone {n}"}),
                           {"Content-Type": "application/json"})
        tokens.append(json.loads(connection.getresponse().read())["token"])
        connection.close()
    acknowledged: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()

    def phone(token: str, n: int) -> None:
        outbox = [str(uuid.uuid4()) for _ in range(40)]
        while outbox and not stop.is_set():
            try:
                status = _post(port, token, outbox[0], 5.9300 + 0.0002 * n)
            except (OSError, http.client.HTTPException):  # server down or answer cut: retry
                time.sleep(0.2)
                continue
            if status in (200, 201):
                with lock:
                    acknowledged.add(outbox.pop(0))
            else:
                time.sleep(0.2)

    phones = [threading.Thread(target=phone, args=(token, n)) for n, token in enumerate(tokens)]
    for thread in phones:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()  # mid-flight: some posts are cut before or after their commit
    killed_at = len(acknowledged)
    server = Served(scratch_env, f"127.0.0.1:{port}", port)
    try:
        for thread in phones:
            thread.join(timeout=90)
        stop.set()
        assert killed_at < 160, "the server was killed after the phones had finished"
        assert len(acknowledged) == 160
        counted = subprocess.run(
            [CARTOPARTY, "shell", "-c", "import json; from mapping.models import MappedFeature; "
             "print(json.dumps([str(pk) for pk in MappedFeature.objects.filter("
             "event__slug='serve-test').values_list('pk', flat=True)]))"],
            env=scratch_env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
        stored = json.loads(counted.stdout.strip().splitlines()[-1])
        assert sorted(stored) == sorted(acknowledged)
    finally:
        stop.set()
        server.stop()


def test_limits_hold_across_worker_processes(scratch_env):
    """Two workers, one limit: the counters are in the shared cache, not in each process."""
    subprocess.run([CARTOPARTY, "shell", "-c",
                    "from web.models import RateCounter; RateCounter.objects.all().delete()"],
                   env=scratch_env, cwd=ROOT, check=True, timeout=60)  # earlier tests joined too
    port = _free_port()
    server = Served({**scratch_env, "THROTTLE_JOIN": "5/hour"}, f"127.0.0.1:{port}", port)
    try:
        statuses = []
        for n in range(8):  # a new connection each time: the workers take turns
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", "/api/v1/events/serve-test/participants/",
                               json.dumps({"join_code": "SERVE123", "pseudonym": f"Limit {n}"}),
                               {"Content-Type": "application/json"})
            statuses.append(connection.getresponse().status)
            connection.close()
        assert statuses == [201] * 5 + [429] * 3
    finally:
        server.stop()


SIGNED_IN = """
from django.contrib.auth import get_user_model
from django.test import Client
from mapping.models import Event, EventRole
user, _ = get_user_model().objects.get_or_create(username="two-processes")
EventRole.objects.get_or_create(event=Event.objects.get(slug="serve-test"), user=user,
                                role="organiser")
client = Client()
client.force_login(user)
print(client.cookies["sessionid"].value)
"""


def test_a_contribution_through_one_process_reaches_a_live_page_on_another(scratch_env):
    session = subprocess.run([CARTOPARTY, "shell", "-c", SIGNED_IN], env=scratch_env, cwd=ROOT,
                             capture_output=True, text=True, check=True, timeout=60
                             ).stdout.strip().splitlines()[-1]
    port_a, port_b = _free_port(), _free_port()
    env = {**scratch_env, "LIVE_POLL_SECONDS": "0.2"}
    one, two = Served(env, f"127.0.0.1:{port_a}", port_a), Served(env, f"127.0.0.1:{port_b}",
                                                                   port_b)
    try:
        stream = http.client.HTTPConnection("127.0.0.1", port_b, timeout=20)
        stream.request("GET", "/desk/serve-test/live/stream/",
                       headers={"Cookie": f"sessionid={session}"})
        response = stream.getresponse()
        assert response.status == 200
        assert response.readline() == b"retry: 1500\n"
        join = http.client.HTTPConnection("127.0.0.1", port_a, timeout=10)
        join.request("POST", "/api/v1/events/serve-test/participants/",
                     json.dumps({"join_code": "SERVE123", "pseudonym": "Crossing"}),
                     {"Content-Type": "application/json"})
        token = json.loads(join.getresponse().read())["token"]
        contribution_id = str(uuid.uuid4())
        assert _post(port_a, token, contribution_id, 5.9301) == 201
        sent = time.monotonic()
        while True:  # keep-alive comments and the change, line by line
            line = response.readline()
            assert line, "the stream ended before the change arrived"
            if line.startswith(b"data: ") and json.loads(line[6:])["id"] == contribution_id:
                break
        assert time.monotonic() - sent < 5
        stream.close()
    finally:
        one.stop()
        two.stop()
