/* Live view: an EventSource on the desk's stream; changes already shown are dropped by id. */
import { island, text } from "./common.js";
import { textTooltips, zoneBasemap } from "./map.js";

const config = document.getElementById("live-config").dataset;
const list = document.getElementById("live-list");
const state = document.getElementById("live-state");
const counter = document.getElementById("live-count");
const map = zoneBasemap("live-map");
const seen = new Set();
const colours = { received: "#f59e0b", accepted: "#16a34a", rejected: "#b00020", merged: "#6b7280", exported: "#2563eb" };
let fresh = 0;
const points = [];
const changes = map.layer("changes", { layers: [{
  id: "changes", type: "circle",
  paint: { "circle-radius": 7, "circle-color": ["get", "colour"], "circle-opacity": 0.7, "circle-stroke-color": ["get", "colour"], "circle-stroke-width": 2 },
}] });
textTooltips(map, changes.ids, (f) => points[f.properties._i].tooltip);

function show(change, isNew) {
  if (seen.has(change.change_id)) return;
  seen.add(change.change_id);
  const li = document.createElement("li");
  li.className = "desk-live__item desk-item--" + change.to;
  li.dataset.id = change.id;
  li.dataset.status = change.to;
  li.append(text("time", new Date(change.at).toLocaleTimeString()),
    text("strong", " " + change.label + " "),
    text("span", (change.from ? (change.from_name || change.from) + " → " : "") +
      (change.to_name || change.to) + " · " + change.author + " · " + (change.channel_name || change.channel)));
  list.prepend(li);
  if (change.lat !== null && change.lat !== undefined) {
    points.push({ tooltip: change.label + " · " + (change.to_name || change.to) });
    changes.setData({ type: "FeatureCollection", features: points.map((p, i) => p.feature || (p.feature = {
      type: "Feature", geometry: { type: "Point", coordinates: [change.lon, change.lat] },
      properties: { _i: i, id: String(change.id), status: change.to, colour: colours[change.to] || "#000" },
    })) });
  }
  if (isNew) { fresh += 1; counter.textContent = fresh; }
}
island("live-recent").forEach((c) => show(c, false));
const source = new EventSource(config.streamUrl + "?since=" + encodeURIComponent(config.since));
source.addEventListener("open", () => {
  state.textContent = state.dataset.on;
  state.dataset.connected = "1";
  // How many streams this page opened: each one lasts LIVE_STREAM_SECONDS, then reconnects.
  state.dataset.opens = String(Number(state.dataset.opens || 0) + 1);
});
source.addEventListener("error", () => { state.textContent = state.dataset.off; state.dataset.connected = "0"; });
source.addEventListener("change", (e) => show(JSON.parse(e.data), true));
