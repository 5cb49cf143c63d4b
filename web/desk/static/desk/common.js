/* Shared by the desk pages (an ES module): CSRF-aware JSON posts, text-only DOM nodes, the
   page's JSON islands. Maps are in map.js (MapLibre GL JS and the event's own base map). */

const body = document.body;

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
