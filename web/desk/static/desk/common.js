/* Shared by the desk pages: a Leaflet map with the configured tiles, CSRF-aware fetch. */
"use strict";
window.Desk = (function () {
  const body = document.body;
  function map(element, options) {
    const m = L.map(element, Object.assign({ zoomControl: true }, options || {}));
    L.tileLayer(body.dataset.tileUrl, { attribution: body.dataset.tileAttribution, maxZoom: 20 }).addTo(m);
    return m;
  }
  function csrf() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : body.dataset.csrf;
  }
  async function post(url, payload) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(payload),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { ok: response.ok, status: response.status, data: data };
  }
  function text(tag, content, className) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (className) el.className = className;
    return el;
  }
  return { map: map, post: post, csrf: csrf, text: text };
})();
