/* The task grid map: squares coloured by state, counts in tooltips, refreshed every 10 s. */
import { text, zoneMap } from "./common.js";

const element = document.getElementById("grid-map");
const map = zoneMap(element, { weight: 2 });
const colours = { to_map: "#9ca3af", being_mapped: "#f59e0b", done: "#2563eb", validated: "#16a34a" };
const layer = L.geoJSON(null, {
  style: (f) => ({ color: "#1b1b1b", weight: 1, fillColor: colours[f.properties.state], fillOpacity: 0.35 }),
  onEachFeature: (f, l) => l.bindTooltip(text("span", f.properties.label + " · " + f.properties.state +
    " · " + f.properties.features + " / " + f.properties.reports), { sticky: true }),
}).addTo(map);
async function refresh() {
  const response = await fetch(element.dataset.progressUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const data = await response.json();
  layer.clearLayers();
  data.cells.forEach((c) => layer.addData({ type: "Feature", geometry: c.geometry, properties: c }));
  data.cells.forEach((c) => {
    const row = document.getElementById("cell-" + c.id);
    if (!row) return;
    row.dataset.state = c.state;
    row.querySelector(".cell-features").textContent = c.features;
    row.querySelector(".cell-reports").textContent = c.reports;
  });
  const summary = document.getElementById("grid-summary");
  summary.dataset.done = data.done;
}
refresh();
setInterval(refresh, 10000);
