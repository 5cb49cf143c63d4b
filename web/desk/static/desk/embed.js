/* The widget: the event's zone, its accepted features and (coarsened) nuisances; optionally a
   small form (a nuisance, or a feature from the event's presets) that joins with the code and
   posts through the public API. Features and reports come as GeoJSON pages, or as the public
   vector tiles for a large event (the server's "map-sources" decision); never with a session. */
import { maplibregl } from "../web/basemap.js";
import { island } from "./common.js";
import { allPages, zoneBasemap } from "./map.js";

const config = document.getElementById("embed-config").dataset;
const sources = island("map-sources");
const body = document.body;
const map = zoneBasemap("embed-map");
const COLOURS = { features: "#0b5cad", reports: "#dc2626" };
const circle = (colour) => ({ "circle-radius": 6, "circle-opacity": 0.7, "circle-stroke-width": 2, "circle-color": colour, "circle-stroke-color": colour });
const items = map.layer("items", { layers: [{
  id: "items", type: "circle",
  paint: circle(["match", ["get", "kind"], "report", COLOURS.reports, COLOURS.features]),
}] });
const loaded = [];
const counted = () => { body.dataset.loaded = String(Number(body.dataset.loaded || 0) + 1); };
for (const layer of ["features", "reports"]) {
  const source = sources.layers[layer];
  if (source.mode === "tiles") {
    // The tiles hold every status the public may see: the widget shows the same ones as its lists.
    map.layer(layer, {
      tiles: { url: source.url, sourceLayer: layer, credentials: sources.credentials },
      layers: [{ id: "items-" + layer, type: "circle", filter: ["in", ["get", "status"], ["literal", sources.statuses]], paint: circle(COLOURS[layer]) }],
    });
    counted();
    continue;
  }
  allPages(source.url, sources.credentials).then((collection) => {
    if (collection) {
      loaded.push(...collection.features.filter((f) => f.geometry).map((f) => ({
        type: "Feature", geometry: f.geometry, properties: { kind: f.properties.kind, id: String(f.id) },
      })));
      items.setData({ type: "FeatureCollection", features: loaded });
    }
    counted();
  });
}
const form = document.getElementById("embed-contribute");
if (form) wireContribution(form);

/** The optional form: a click places the point, the form joins then posts. */
function wireContribution(form) {
  const status = document.getElementById("embed-status");
  let place = null;
  let marker = null;
  let token = null;
  map.on("click", (e) => {
    place = e.lngLat;
    if (marker) marker.remove();
    marker = new maplibregl.Marker({ color: "#c2410c" }).setLngLat(place).addTo(map);
  });
  async function post(path, payload, headers) {
    const response = await fetch(config.api + path, {
      method: "POST", headers: Object.assign({ "Content-Type": "application/json" }, headers || {}),
      body: JSON.stringify(payload),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || String(response.status));
    return data;
  }
  // Nuisance or feature: show the fields of the chosen kind only (hidden ones are disabled).
  function showKind() {
    const kind = new FormData(form).get("kind") || "report";
    form.querySelectorAll(".embed__fields").forEach((fields) => {
      const shown = fields.dataset.kind === kind;
      fields.hidden = !shown;
      fields.querySelectorAll("input, select").forEach((input) => { input.disabled = !shown; });
    });
  }
  form.querySelectorAll("input[name=kind]").forEach((radio) => radio.addEventListener("change", showKind));
  showKind();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!place) { status.textContent = config.place; return; }
    const values = Object.fromEntries(new FormData(form));
    const geometry = { type: "Point", coordinates: [place.lng, place.lat] };
    try {
      if (!token) token = (await post("/participants/", { join_code: values.join_code, pseudonym: values.pseudonym })).token;
      if (values.kind === "feature") {
        const name = (values.name || "").trim();
        await post("/features/", {
          type: "Feature", geometry: geometry,
          properties: { preset: values.preset, tags: name ? { name: name } : {} },
        }, { Authorization: "Bearer " + token });
      } else {
        await post("/reports/", {
          type: "Feature", geometry: geometry,
          properties: { category: values.category, intensity: Number(values.intensity), observed_at: new Date().toISOString() },
        }, { Authorization: "Bearer " + token });
      }
      status.textContent = config.sent;
      status.dataset.sent = "1";
    } catch (error) {
      status.textContent = error.message;
    }
  });
}
