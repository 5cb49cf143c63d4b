"""ASGI entry point: the application ``cartoparty serve`` runs (gunicorn + uvicorn workers).

Two kinds of requests, two ways to run them:

- **live streams** (server-sent events, async views) run on the event loop through Django's
  ASGI handler: an open page costs a socket and a coroutine, never a worker or a thread;
- **everything else** (the API, pages, admin: synchronous Django) runs on a fixed pool of
  threads (a2wsgi). The threads live as long as the process, so their database connections
  persist (``CONN_MAX_AGE``). Django's ASGI handler would give each synchronous request a new
  thread and so a new connection — 14 ms with SpatiaLite (loading mod_spatialite), ≈ 10 ms
  with PostGIS, per request.

A request goes to the loop when the view its path resolves to is a coroutine function.
"""

from __future__ import annotations

import gc
import inspect
import os
from functools import lru_cache
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")

from a2wsgi import WSGIMiddleware
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.urls import Resolver404, resolve

Scope = dict[str, Any]

on_the_loop = get_asgi_application()
on_threads = WSGIMiddleware(get_wsgi_application(), workers=settings.SERVER_THREADS)  # type: ignore[arg-type]


@lru_cache(maxsize=4096)
def is_async_path(path: str) -> bool:
    """Whether ``path`` resolves to an async view (a live stream)."""
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    return inspect.iscoroutinefunction(view) or inspect.iscoroutinefunction(
        getattr(view, "__wrapped__", None))


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope: Scope, receive: Any, send: Any) -> None:
    """The ASGI application: streams on the loop, the rest on the thread pool."""
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    elif scope["type"] == "http" and is_async_path(scope["path"]):
        await on_the_loop(scope, receive, send)
    else:
        await on_threads(scope, receive, send)



def settle() -> None:
    """Load the URLs and views, then move every object of the started process out of the
    garbage collector's reach (``gc.freeze``): modules, apps, URL patterns (~250,000 objects)
    never become garbage, and a full collection no longer walks them. A warm page of 10,000
    items took 143–412 ms with them, 150–182 ms without (bench/README.md, "round 3"): the
    slow ones were the full collections. Called by each server worker once it has loaded the
    app (:class:`web.serving.Server`), not on import: a test process importing this module
    keeps its collector as it is.
    """
    is_async_path("/")
    gc.collect()
    gc.freeze()
