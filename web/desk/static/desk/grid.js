/* The task grid map (MapLibre, the event's own base map): squares coloured by state, their
   name, state and counts in text tooltips, refreshed every 10 s. The table below is the same
   information without the map. */
import { island } from "./common.js";
import { textTooltips, zoneBasemap } from "./map.js";

const element = document.getElementById("grid-map");
const map = zoneBasemap(element);
const states = island("grid-states"); // state → its name in the page's language
const colours = { to_map: "#9ca3af", being_mapped: "#f59e0b", done: "#2563eb", validated: "#16a34a" };
const fill = ["match", ["get", "state"], ...Object.entries(colours).flat(), colours.to_map];
const squares = map.layer("squares", { layers: [
  { id: "squares-fill", type: "fill", paint: { "fill-color": fill, "fill-opacity": 0.35 } },
  { id: "squares-line", type: "line", paint: { "line-color": "#1b1b1b", "line-width": 1 } },
] });
let cells = [];
textTooltips(map, ["squares-fill"], (f) => {
  const c = cells[f.properties._i];
  return c.label + " · " + (states[c.state] || c.state) + " · " + c.features + " / " + c.reports;
});

async function refresh() {
  const response = await fetch(element.dataset.progressUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const data = await response.json();
  cells = data.cells;
  squares.setData({ type: "FeatureCollection", features: cells.map((c, i) => ({
    type: "Feature", geometry: c.geometry, properties: { _i: i, id: c.id, state: c.state },
  })) });
  cells.forEach((c) => {
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
