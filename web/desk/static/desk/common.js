/* Shared by the desk pages (an ES module): a Leaflet map with the configured tiles,
   CSRF-aware JSON posts, text-only DOM nodes. Leaflet itself is the global `L`
   (leaflet.js, a classic script loaded before the page's module). */

const body = document.body;

/** A Leaflet map in `element` (an id or a node) with the base map of the settings. */
export function deskMap(element, options) {
  const m = L.map(element, Object.assign({ zoomControl: true }, options || {}));
  L.tileLayer(body.dataset.tileUrl, { attribution: body.dataset.tileAttribution, maxZoom: 20 }).addTo(m);
  return m;
}

/** A desk map showing the event's zone (the page's "zone-data" island), fitted to it. */
export function zoneMap(element, style) {
  const m = deskMap(element);
  const zone = L.geoJSON(island("zone-data"),
    { style: Object.assign({ color: "#12355b", fill: false }, style || {}) }).addTo(m);
  m.fitBounds(zone.getBounds());
  return m;
}

export function csrf() {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : body.dataset.csrf;
}

/** POST `payload` as JSON; resolves to {ok, status, data} (data: {} when not JSON). */
export async function post(url, payload) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
    body: JSON.stringify(payload),
  });
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  return { ok: response.ok, status: response.status, data: data };
}

/** An element holding `content` as text (never HTML: contributions are user input). */
export function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

/** The JSON island `{{ value|json_script:id }}` of the page. */
export function island(id) {
  return JSON.parse(document.getElementById(id).textContent);
}
