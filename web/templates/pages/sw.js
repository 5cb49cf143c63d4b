{% autoescape off %}// Cartoparty's service worker: the citizen app opens without a network.
// - static files of the app shell: cached at install, then served from the cache and
//   refreshed in the background;
// - pages and API reads (the event, its features and reports, "my contributions"): from the
//   network when there is one (and copied into the cache), from the cache otherwise;
// - writes (POST, DELETE) are never touched: the page queues them itself (IndexedDB) and
//   shows them as not sent until the server has confirmed.
// Base-map tiles come from another origin and are left alone.
"use strict";

const VERSION = "{{ version }}";
const SHELL_CACHE = "cartoparty-shell-" + VERSION;
const DATA_CACHE = "cartoparty-data-v1";
const SHELL = {{ shell_json }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("cartoparty-shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Only the citizen app is kept: organisers' and admin pages are never cached.
function isStatic(url) {
  return SHELL.includes(url.pathname);
}

function isData(url, request) {
  if (request.mode === "navigate") {
    return url.pathname === "/" || url.pathname.startsWith("/events/") || url.pathname.startsWith("/follow/");
  }
  return url.pathname.startsWith("/api/v1/events/") || url.pathname === "/api/v1/me/contributions/" ||
    url.pathname === "/jsi18n/";
}

async function fromCache(request, { ignoreSearch = false } = {}) {
  return caches.match(request, { ignoreVary: true, ignoreSearch });
}

async function networkFirst(request, url) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(DATA_CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const cached = (await fromCache(request)) ||
      // Another view of the map asks another bbox: any cached list of the event is better than none.
      (url.pathname.startsWith("/api/v1/events/") ? await fromCache(request, { ignoreSearch: true }) : null);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await fromCache(request);
  const refresh = fetch(request).then(async (response) => {
    if (response.ok) (await caches.open(SHELL_CACHE)).put(request, response.clone());
    return response;
  });
  if (cached) {
    refresh.catch(() => null);
    return cached;
  }
  return refresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Exports, nearby checks and live streams go to the network, untouched (a stream is never cached).
  if (url.pathname.endsWith("/export/") || url.pathname.endsWith("/nearby/") || url.pathname.endsWith("/stream/")) return;
  if (isStatic(url)) {
    event.respondWith(cacheFirst(request));
  } else if (isData(url, request)) {
    event.respondWith(networkFirst(request, url));
  }
});

// The page asks to keep a copy of what it has just loaded before the worker was there.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "cache" && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(DATA_CACHE).then((cache) => Promise.all(
      data.urls.map((u) => fetch(u, { credentials: "same-origin" })
        .then((response) => (response.ok ? cache.put(u, response) : null)).catch(() => null)),
    )));
  } else if (data.type === "forget") {
    // "Leave on this device": drop the cached copies of private data.
    event.waitUntil(caches.open(DATA_CACHE).then(async (cache) => {
      for (const request of await cache.keys()) {
        if (new URL(request.url).pathname.startsWith("/api/v1/me/")) await cache.delete(request);
      }
    }));
  }
});
{% endautoescape %}
