"""The production server: gunicorn managing uvicorn workers that run :mod:`web.asgi`.

Used by ``cartoparty serve`` (and so by ``make run`` and docker-compose). Gunicorn restarts a
worker that dies and shuts down gracefully; each uvicorn worker runs the live streams on its
event loop and the synchronous app on its thread pool (see :mod:`web.asgi`).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

# Phones pause a few seconds between requests: a connection kept open longer than the pause is
# reused (gunicorn's default 2 s closed connections that phones reused after 3 s: "connection
# closed" on 1.5 % of POSTs).
KEEP_ALIVE_S = 75


class Worker(UvicornWorker):
    """A uvicorn worker with our protocol choices (no lifespan needs, uvloop when present)."""

    CONFIG_KWARGS: dict[str, Any] = {"loop": "auto", "http": "auto", "lifespan": "on",
                                     "server_header": False}


@dataclass(frozen=True)
class Bind:
    """Where to listen."""

    host: str
    port: int

    @property
    def everywhere(self) -> bool:
        """Listening on every interface (the local network sees the server)."""
        return self.host in {"0.0.0.0", "::", ""}

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_bind(raw: str, *, default_port: int = 8000) -> Bind:
    """``HOST:PORT``, ``HOST`` or ``:PORT`` → :class:`Bind`; ValueError when malformed."""
    raw = raw.strip()
    if raw.startswith("["):  # [::1]:8000
        host, _, rest = raw[1:].partition("]")
        port = rest.lstrip(":") or str(default_port)
    elif raw.count(":") == 1:
        host, port = raw.split(":")
    elif raw.isdigit():
        host, port = "127.0.0.1", raw
    else:
        host, port = raw, str(default_port)
    if not port.isdigit() or not 0 < int(port) < 65536:
        msg = f"Bad port in {raw!r}: expected HOST:PORT, e.g. 0.0.0.0:8000."
        raise ValueError(msg)
    return Bind(host=host or "0.0.0.0", port=int(port))


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on local networks (not loopback), best first."""
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:  # the address of the default route; nothing is sent
        probe.connect(("10.254.254.254", 1))
        found.append(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    try:
        listed = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=2,
                                check=False).stdout.split()
    except (OSError, subprocess.SubprocessError):
        listed = []
    found.extend(listed)
    return _usable(found)


def _usable(addresses: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for raw in addresses:
        try:
            address = ipaddress.ip_address(raw)
        except ValueError:
            continue
        if address.version == 4 and not address.is_loopback and not address.is_unspecified \
                and not address.is_link_local and raw not in kept:
            kept.append(raw)
    return kept


def default_workers(configured: int = 0) -> int:
    """``configured`` when set, else two per core, at least two, at most eight."""
    return configured if configured > 0 else min(max(2, 2 * (os.cpu_count() or 1)), 8)


def _settle_worker(_worker: Any) -> None:
    """Gunicorn's ``post_worker_init``: the worker has loaded the app (:func:`web.asgi.settle`)."""
    from web import asgi

    asgi.settle()


class Server(BaseApplication):  # type: ignore[misc]
    """Gunicorn, configured in code: no config file to find or forget."""

    def __init__(self, *, bind: Bind, workers: int, access_log: bool = False,
                 max_requests: int = 0) -> None:
        self.options = {
            "bind": str(bind), "workers": workers, "worker_class": "web.serving.Worker",
            "keepalive": KEEP_ALIVE_S, "graceful_timeout": 10, "timeout": 60,
            "accesslog": "-" if access_log else None, "errorlog": "-",
            "max_requests": max_requests, "max_requests_jitter": max_requests // 10,
            "proc_name": "cartoparty", "post_worker_init": _settle_worker,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from web.asgi import application

        return application
