/* Officer view: perceived reports, features, the grid and (when present) the overlay and
   sensors, each a layer in the switcher; filters applied in the browser; graceful 404s.
   Features and reports come as GeoJSON pages, or as vector tiles for a large event (the
   server's "map-sources" decision), filtered then by MapLibre expressions. */
import { island, text } from "./common.js";
import { allPages, boundsOf, indexed, layerSwitcher, textTooltips, zoneBasemap } from "./map.js";

const urls = island("officer-urls");
const sources = island("map-sources");
const tiled = (layer) => sources.layers[layer].mode === "tiles";
const tilesOf = (layer) => (tiled(layer) ? { url: sources.layers[layer].url, sourceLayer: layer, credentials: sources.credentials } : null);
const msg = document.getElementById("officer-config").dataset;
const categoryNames = island("officer-categories");
const form = document.getElementById("officer-filters");
const figures = document.getElementById("figures");
const map = zoneBasemap("officer-map");
const colours = ["#fde68a", "#fbbf24", "#f97316", "#dc2626", "#7f1d1d"];
const intensityColour = ["match", ["get", "intensity"], 1, colours[0], 2, colours[1], 3, colours[2], 4, colours[3], colours[4]];
const layers = {
  grid: map.layer("grid", { visible: false, layers: [
    { id: "grid-fill", type: "fill", paint: { "fill-color": "#555555", "fill-opacity": 0.03 } },
    { id: "grid-line", type: "line", paint: { "line-color": "#555555", "line-width": 1 } },
  ] }),
  overlay: map.layer("overlay", { visible: false, layers: [
    { id: "overlay-fill", type: "fill", paint: { "fill-color": "#7c3aed", "fill-opacity": 0.3 } },
    { id: "overlay-line", type: "line", paint: { "line-color": "#7c3aed", "line-width": 1 } },
  ] }),
  features: map.layer("features", { tiles: tilesOf("features"), layers: [
    { id: "features-line", type: "line", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#0b5cad", "line-width": 3 } },
    { id: "features-point", type: "circle", filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-radius": 5, "circle-color": "#0b5cad", "circle-opacity": 0.5, "circle-stroke-color": "#0b5cad", "circle-stroke-width": 2 } },
  ] }),
  reports: map.layer("reports", { tiles: tilesOf("reports"), layers: [
    { id: "reports-point", type: "circle",
      paint: { "circle-radius": ["+", 4, ["get", "intensity"]], "circle-color": intensityColour, "circle-opacity": 0.8,
        "circle-stroke-color": intensityColour, "circle-stroke-width": 2 } },
  ] }),
  sensors: map.layer("sensors", { visible: false, layers: [
    { id: "sensors-point", type: "circle", paint: { "circle-radius": 6, "circle-color": "#7c3aed", "circle-stroke-color": "#111111", "circle-stroke-width": 2 } },
  ] }),
};
layerSwitcher(map, [
  [msg.msgReports, layers.reports], [msg.msgFeatures, layers.features], [msg.msgGrid, layers.grid],
  [msg.msgOverlay, layers.overlay], [msg.msgSensors, layers.sensors],
], msg.msgLayers);
const shown = { reports: [], features: [] };
const tagText = (tags) => Object.entries(tags || {}).map(([k, v]) => k + "=" + v).join(", ");
const featureTags = new Map(); // id → promise of the tags' text (tiles carry no tags)
function tagsOf(props) {
  const id = String(props.id);
  if (!featureTags.has(id)) {
    const fallback = [props.preset, props.name].filter(Boolean).join(" · ");
    const url = sources.layers.features.item_url.replace("{id}", encodeURIComponent(id));
    featureTags.set(id, fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((item) => (item ? tagText(item.properties.tags) : fallback))
      .catch(() => fallback));
  }
  return featureTags.get(id);
}
textTooltips(map, [...layers.reports.ids, ...layers.features.ids], (f) => {
  if (f.layer.id.startsWith("reports")) {
    const p = tiled("reports") ? f.properties : shown.reports[f.properties._i].properties;
    return (categoryNames[p.category] || p.category) + " " + p.intensity + "/5 · " + p.observed_at;
  }
  if (tiled("features")) return tagsOf(f.properties);
  return tagText(shown.features[f.properties._i].properties.tags);
});
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
  const a = boundsOf(cell.geometry);
  const b = boundsOf(feature.geometry);
  if (!a || !b) return false;
  return a.getWest() <= b.getEast() && b.getWest() <= a.getEast() &&
    a.getSouth() <= b.getNorth() && b.getSouth() <= a.getNorth();
}
/**
 * The filters as MapLibre expressions on the tiles' properties: status for both layers;
 * category, observed time (UTC ISO text, compared to the second) and square for reports.
 * Features' tiles carry no time added, and a square holds only whole lines (MapLibre's
 * "within"), so dates and squares apply to reports only (the page says so).
 */
function tileFilters(f, from, to) {
  const reports = [];
  const features = [];
  if (f.status) {
    reports.push(["==", ["get", "status"], f.status]);
    features.push(["==", ["get", "status"], f.status]);
  }
  if (f.category) reports.push(["==", ["get", "category"], f.category]);
  const observed = ["slice", ["to-string", ["get", "observed_at"]], 0, 19];
  if (from) reports.push([">=", observed, from.toISOString().slice(0, 19)]);
  if (to) reports.push(["<=", observed, to.toISOString().slice(0, 19)]);
  const cell = f.cell && data.cells.find((c) => String(c.id) === f.cell);
  if (cell) reports.push(["within", cell.geometry]);
  const all = (parts) => (parts.length ? ["all", ...parts] : null);
  return { reports: all(reports), features: all(features) };
}
/** The items of `layer` the map draws now, once each (a tile's neighbours repeat them). */
function rendered(layer) {
  const ids = layers[layer].ids.filter((id) => map.getLayer(id));
  const found = new Map();
  if (ids.length) for (const f of map.queryRenderedFeatures({ layers: ids })) found.set(String(f.properties.id), f.properties);
  return [...found.values()];
}
const kept = { reports: [], features: [] };
function showFigures() {
  const reports = tiled("reports") ? rendered("reports") : kept.reports.map((r) => r.properties);
  const features = tiled("features") ? rendered("features") : kept.features;
  figures.querySelectorAll(".local").forEach((e) => e.remove());
  const mean = reports.length ? (reports.reduce((s, r) => s + r.intensity, 0) / reports.length).toFixed(1) : "–";
  [[msg.msgShown, reports.length], [msg.msgMean, mean], [msg.msgFeaturesShown, features.length]].forEach(([t, v]) => {
    const dt = text("dt", t, "local"); const dd = text("dd", String(v), "local");
    figures.append(dt, dd);
  });
}
function apply() {
  const f = Object.fromEntries(new FormData(form));
  const from = f.from ? new Date(f.from) : null;
  const to = f.to ? new Date(f.to) : null;
  const keep = (item, when) => (!f.status || item.properties.status === f.status) &&
    (!from || new Date(when) >= from) && (!to || new Date(when) <= to) && insideCell(item, f.cell);
  kept.reports = data.reports.filter((r) => keep(r, r.properties.observed_at) && (!f.category || r.properties.category === f.category));
  kept.features = data.features.filter((x) => keep(x, x.properties.created_at));
  shown.reports = kept.reports.filter((r) => r.geometry);
  shown.features = kept.features.filter((x) => x.geometry);
  const filters = tileFilters(f, from, to);
  for (const layer of ["reports", "features"]) {
    if (tiled(layer)) layers[layer].setFilter(filters[layer]);
    else layers[layer].setData(indexed(shown[layer]));
  }
  showFigures();
}
form.addEventListener("change", apply);
// Tiles arrive as the map moves: their figures follow what it shows.
if (tiled("reports") || tiled("features")) map.on("idle", showFigures);

(async function load() {
  const list = (layer) => (tiled(layer) ? null : allPages(sources.layers[layer].url, sources.credentials));
  const [reports, features, grid, overlay, sensors] = await Promise.all(
    [list("reports"), list("features"), ...[urls.grid, urls.overlay, urls.sensors].map(getJSON)]);
  data.reports = (reports && reports.features) || [];
  data.features = (features && features.features) || [];
  data.cells = (grid && grid.cells) || [];
  layers.grid.setData({ type: "FeatureCollection", features: data.cells.map((c) => ({ type: "Feature", geometry: c.geometry, properties: { id: c.id } })) });
  if (overlay && overlay.type === "FeatureCollection") {
    layers.overlay.setData(overlay);
    Object.entries(overlay.figures || overlay.summary || overlay.properties || {}).forEach(([k, v]) => {
      if (typeof v !== "object") figure(k, v);
    });
  } else {
    document.getElementById("overlay-missing").hidden = false;
  }
  if (sensors && sensors.type === "FeatureCollection") layers.sensors.setData(sensors);
  apply();
  document.querySelectorAll("[data-export]").forEach(async (link) => {
    try {
      const response = await fetch(link.href, { method: "HEAD", credentials: "same-origin" });
      if (response.status === 404) { link.nextElementSibling.hidden = false; link.setAttribute("aria-disabled", "true"); }
    } catch (e) { /* offline: leave the link */ }
  });
  document.body.dataset.officerReady = "1";
})();
