/* Officer view: perceived reports, features, the grid and (when present) the overlay and
   sensors, each a layer in the switcher; filters applied in the browser; graceful 404s. */
import { island, text, zoneMap } from "./common.js";

const urls = island("officer-urls");
const msg = document.getElementById("officer-config").dataset;
const categoryNames = island("officer-categories");
const form = document.getElementById("officer-filters");
const figures = document.getElementById("figures");
const map = zoneMap("officer-map");
const colours = ["#fde68a", "#fbbf24", "#f97316", "#dc2626", "#7f1d1d"];
const layers = {
  reports: L.geoJSON(null, {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 4 + f.properties.intensity, color: colours[f.properties.intensity - 1], fillOpacity: 0.8 }),
    onEachFeature: (f, l) => l.bindTooltip(text("span", (categoryNames[f.properties.category] || f.properties.category) + " " + f.properties.intensity + "/5 · " + f.properties.observed_at)),
  }).addTo(map),
  features: L.geoJSON(null, {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 5, color: "#0b5cad" }),
    onEachFeature: (f, l) => l.bindTooltip(text("span", Object.entries(f.properties.tags || {}).map(([k, v]) => k + "=" + v).join(", "))),
  }).addTo(map),
  grid: L.geoJSON(null, { style: { color: "#555", weight: 1, fillOpacity: 0.03 } }),
  overlay: L.geoJSON(null, { style: { color: "#7c3aed", weight: 1, fillOpacity: 0.3 } }),
  sensors: L.geoJSON(null, { pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 6, color: "#111", fillColor: "#7c3aed", fillOpacity: 1 }) }),
};
L.control.layers(null, {
  [msg.msgReports]: layers.reports, [msg.msgFeatures]: layers.features, [msg.msgGrid]: layers.grid,
  [msg.msgOverlay]: layers.overlay, [msg.msgSensors]: layers.sensors,
}, { collapsed: false }).addTo(map);
const data = { reports: [], features: [], cells: [] };

async function getJSON(url) {
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    return response.ok ? await response.json() : null;
  } catch (e) { return null; }
}
function figure(term, value) {
  figures.append(text("dt", term), text("dd", String(value)));
}
function insideCell(feature, cellId) {
  if (!cellId) return true;
  const cell = data.cells.find((c) => String(c.id) === cellId);
  if (!cell) return true;
  const bounds = L.geoJSON(cell.geometry).getBounds();
  return L.geoJSON(feature.geometry).getBounds().intersects(bounds);
}
function apply() {
  const f = Object.fromEntries(new FormData(form));
  const from = f.from ? new Date(f.from) : null;
  const to = f.to ? new Date(f.to) : null;
  const keep = (item, when) => (!f.status || item.properties.status === f.status) &&
    (!from || new Date(when) >= from) && (!to || new Date(when) <= to) && insideCell(item, f.cell);
  const reports = data.reports.filter((r) => keep(r, r.properties.observed_at) && (!f.category || r.properties.category === f.category));
  const features = data.features.filter((x) => keep(x, x.properties.created_at));
  layers.reports.clearLayers().addData(reports);
  layers.features.clearLayers().addData(features);
  figures.querySelectorAll(".local").forEach((e) => e.remove());
  const mean = reports.length ? (reports.reduce((s, r) => s + r.properties.intensity, 0) / reports.length).toFixed(1) : "–";
  [[msg.msgShown, reports.length], [msg.msgMean, mean], [msg.msgFeaturesShown, features.length]].forEach(([t, v]) => {
    const dt = text("dt", t, "local"); const dd = text("dd", String(v), "local");
    figures.append(dt, dd);
  });
}
form.addEventListener("change", apply);

(async function load() {
  const [reports, features, grid, overlay, sensors] = await Promise.all(
    [urls.reports, urls.features, urls.grid, urls.overlay, urls.sensors].map(getJSON));
  data.reports = (reports && reports.features) || [];
  data.features = (features && features.features) || [];
  data.cells = (grid && grid.cells) || [];
  data.cells.forEach((c) => layers.grid.addData({ type: "Feature", geometry: c.geometry, properties: c }));
  if (overlay && overlay.type === "FeatureCollection") {
    layers.overlay.addData(overlay);
    Object.entries(overlay.figures || overlay.summary || overlay.properties || {}).forEach(([k, v]) => {
      if (typeof v !== "object") figure(k, v);
    });
  } else {
    document.getElementById("overlay-missing").hidden = false;
  }
  if (sensors && sensors.type === "FeatureCollection") layers.sensors.addData(sensors);
  apply();
  document.querySelectorAll("[data-export]").forEach(async (link) => {
    try {
      const response = await fetch(link.href, { method: "HEAD", credentials: "same-origin" });
      if (response.status === 404) { link.nextElementSibling.hidden = false; link.setAttribute("aria-disabled", "true"); }
    } catch (e) { /* offline: leave the link */ }
  });
  document.body.dataset.officerReady = "1";
})();
