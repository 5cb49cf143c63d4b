{% autoescape off %}// Cartoparty's service worker: the citizen app opens without a network.
// - static files of the app shell: cached at install, then served from the cache and
//   refreshed in the background;
// - pages and API reads (the event, its features and reports, "my contributions"): from the
//   network when there is one (and copied into the cache), from the cache otherwise;
// - writes (POST, DELETE) are never touched: the page queues them itself (IndexedDB) and
//   shows them as not sent until the server has confirmed.
// - the event's own base map (/tiles/…): stored when a participant joins (the style, TileJSON,
//   glyph ranges of its labels and the zone's tiles, a bounded list the server gives), then
//   tiles and glyphs are served from the cache first, the style and TileJSON from the network
//   when there is one. An external tile server (an option) is another origin: left alone.
// - the event's data tiles (/tiles/{slug}/{layer}/…, read by a large event's map): from the
//   network when there is one, the last copy of each tile offline (whatever version its URL
//   names: one copy per tile is kept). Only public tiles are kept (an officer's exact ones
//   say "private"), like the lists of the API.
"use strict";

const VERSION = "{{ version }}";
const SHELL_CACHE = "cartoparty-shell-" + VERSION;
const DATA_CACHE = "cartoparty-data-v1";
const SHELL = {{ shell_json }};
const BASEMAP_CACHE = "cartoparty-basemap-"; // + the event's slug
const BASEMAP_FETCHES = 6; // parallel requests while storing a base map

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
  // Shell files are versioned by this worker: a query (MapLibre asks its worker with ?v=) is ignored.
  const cached = await fromCache(request, { ignoreSearch: true });
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

// /tiles/{slug}/{layer}.json and /tiles/{slug}/{layer}/{z}/{x}/{y}.mvt, but not the base map's.
const DATA_TILES = /^\/tiles\/(?!fonts\/)[^/]+\/(?!basemap(?:[./]|$))[^/]+(?:\.json|\/\d+\/\d+\/\d+\.mvt)$/;

function isDataTile(url) {
  return DATA_TILES.test(url.pathname);
}

function isBasemap(url) {
  return url.pathname.startsWith("/tiles/");
}

async function dataTileResponse(request) {
  try {
    const response = await fetch(request);
    const cacheControl = response.headers.get("Cache-Control") || "";
    if (response.ok && response.type === "basic" && cacheControl.includes("public")) {
      const copy = response.clone();
      caches.open(DATA_CACHE).then(async (cache) => {
        // One copy per tile: the versions a live map asks for (?v=…) replace each other.
        await cache.delete(request, { ignoreSearch: true, ignoreVary: true });
        await cache.put(request, copy);
      }).catch(() => null);
    }
    return response;
  } catch (error) {
    const cached = await fromCache(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

async function fromBasemapCache(request) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(BASEMAP_CACHE)) continue;
    const found = await (await caches.open(name)).match(request, { ignoreVary: true });
    if (found) return found;
  }
  return null;
}

// Tiles (their URL names the base map's version) and glyphs never change: cache first.
// The style and TileJSON may: network first, the stored copy offline.
async function basemapResponse(request, url) {
  const immutable = url.pathname.endsWith(".mvt") || url.pathname.startsWith("/tiles/fonts/");
  if (immutable) {
    const cached = await fromBasemapCache(request);
    if (cached) return cached;
    return fetch(request);
  }
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await fromBasemapCache(request);
    if (cached) return cached;
    throw error;
  }
}

async function fetchAll(urls, cache) {
  let next = 0;
  let stored = 0;
  let tiles = 0;
  let bytes = 0;
  const failed = [];
  async function worker() {
    while (next < urls.length) {
      const url = urls[next];
      next += 1;
      try {
        const response = await fetch(url, { credentials: "omit" });
        if (!response.ok) throw new Error(String(response.status));
        const body = await response.clone().arrayBuffer();
        await cache.put(url, response);
        stored += 1;
        if (new URL(url).pathname.endsWith(".mvt")) tiles += 1;
        bytes += body.byteLength;
      } catch {
        failed.push(url);
      }
    }
  }
  await Promise.all(Array.from({ length: BASEMAP_FETCHES }, worker));
  return { stored, tiles, bytes, failed };
}

// Store the base map an offline list names (GET /tiles/{slug}/basemap/offline.json), once per
// version: a new import gives a new version, whose copy replaces the old one.
async function storeBasemap(listUrl) {
  const markerUrl = listUrl + (listUrl.includes("?") ? "&" : "?") + "stored=1";
  let list;
  try {
    list = await (await fetch(listUrl, { credentials: "omit" })).json();
  } catch (error) {
    // Offline: say what an earlier visit stored.
    const stored = await fromBasemapCache(markerUrl);
    if (stored) return { ...(await stored.json()), already: true };
    throw error;
  }
  const cache = await caches.open(BASEMAP_CACHE + list.slug);
  const marker = await cache.match(markerUrl);
  if (marker) {
    const previous = await marker.json();
    if (previous.version === list.version && previous.complete) return { ...previous, already: true };
  }
  const result = await fetchAll(list.urls, cache);
  const summary = {
    slug: list.slug, version: list.version, tiles: list.tiles, min_zoom: list.min_zoom,
    max_zoom: list.max_zoom, all_zooms: list.all_zooms, stored: result.stored,
    stored_tiles: result.tiles, bytes: result.bytes,
    failed: result.failed.length, complete: result.failed.length === 0,
  };
  // Tiles of an older version of this base map are dropped.
  for (const request of await cache.keys()) {
    const u = new URL(request.url);
    if (u.pathname.endsWith(".mvt") && u.searchParams.get("v") !== list.version) await cache.delete(request);
  }
  await cache.put(markerUrl, new Response(JSON.stringify(summary), { headers: { "Content-Type": "application/json" } }));
  return summary;
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
  } else if (isDataTile(url)) {
    event.respondWith(dataTileResponse(request));
  } else if (isBasemap(url)) {
    event.respondWith(basemapResponse(request, url));
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
  } else if (data.type === "basemap" && typeof data.url === "string") {
    const reply = event.ports && event.ports[0];
    event.waitUntil(storeBasemap(data.url).then(
      (summary) => reply && reply.postMessage({ ok: true, ...summary }),
      (error) => reply && reply.postMessage({ ok: false, error: String(error) }),
    ));
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
