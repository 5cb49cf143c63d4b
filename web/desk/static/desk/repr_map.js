/* The representativity page's coverage map (MapLibre, the event's own base map): map cells
   coloured by coverage, blank spots in red, 1 km areas outlined (dashed when they count fewer
   than k contributors), figures in text tooltips. It reads the coverage GeoJSON of the version
   the page shows (the shared one: public variant, no count under k). The static figure stays
   for print and without JavaScript; the tables are the same figures without the map. */
import { island } from "./common.js";
import { graticule, textTooltips, zoneBasemap } from "./map.js";

const element = document.getElementById("repr-map");
const COLOURS = { covered: "#2c7bb6", blank: "#d7191c", empty: "#9e9e9e", area: "#252525" };

/** How a cell is shown: covered, blank spot (residents, nothing), or empty (no residents). */
export function shownAs(props) {
  if (props.status === "blank" && !props.inhabitants) return "empty";
  return props.status;
}

/** The tooltip's line for one cell or area: its code, status and the figures it carries. */
export function describe(props, labels, format) {
  const level = props.level === "area_1km" ? labels.area : labels.cell;
  const status = props.status === "suppressed" ? labels.suppressed : labels[shownAs(props)] || props.status;
  const parts = [level + " " + props.code, status];
  const number = (name, label) => {
    if (props[name] !== null && props[name] !== undefined) parts.push(format(props[name]) + " " + label);
  };
  number("inhabitants", labels.inhabitants);
  number("contributions", labels.contributions);
  number("contributors", labels.contributors);
  number("per_1000_inhabitants", labels.per_1000);
  return parts.join(" · ");
}

function draw() {
  const labels = island("repr-map-labels");
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 1 });
  const box = document.getElementById("repr-map-box");
  box.hidden = false; // before the map: MapLibre sizes its canvas from the element
  const map = zoneBasemap(element);
  // No base map of its own yet (no OSM extract) and no external tiles: meridians and parallels.
  if (!element.dataset.basemapStyle && !element.dataset.tileUrl) graticule(map);
  const level = (name) => ["==", ["get", "level"], name];
  const coverage = map.layer("coverage", { layers: [
    // Invisible, under the cells, for the tooltips: what 1 km area the pointer is in.
    { id: "coverage-areas-fill", type: "fill", filter: level("area_1km"), paint: { "fill-opacity": 0 } },
    { id: "coverage-cells", type: "fill", filter: level("cell_200m"), paint: {
      "fill-color": ["match", ["get", "shown"], "covered", COLOURS.covered, "blank", COLOURS.blank, COLOURS.empty],
      "fill-opacity": ["match", ["get", "shown"], "blank", 0.6, "covered", 0.45, 0.2],
      "fill-outline-color": "#ffffff",
    } },
    { id: "coverage-areas", type: "line", filter: ["all", level("area_1km"), ["!=", ["get", "status"], "suppressed"]],
      paint: { "line-color": COLOURS.area, "line-width": 1.5 } },
    { id: "coverage-areas-hidden", type: "line", filter: ["all", level("area_1km"), ["==", ["get", "status"], "suppressed"]],
      paint: { "line-color": COLOURS.area, "line-width": 1.5, "line-dasharray": [2, 2] } },
  ] });
  let items = [];
  // The cell under the pointer and the 1 km area holding it, one line each.
  let point = null;
  map.on("mousemove", (event) => { point = event.point; });
  map.on("click", (event) => { point = event.point; });
  textTooltips(map, ["coverage-cells", "coverage-areas-fill"], (hit) => {
    const lines = [describe(items[hit.properties._i].properties, labels, numbers.format)];
    if (hit.layer.id === "coverage-cells" && point) {
      const area = map.queryRenderedFeatures(point, { layers: ["coverage-areas-fill"] })[0];
      if (area) lines.push(describe(items[area.properties._i].properties, labels, numbers.format));
    }
    return lines.join("\n");
  });
  fetch(element.dataset.coverageUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      // Never another version than the page's (the shared page draws the public variant).
      if (!data || (data.suppression && data.suppression.audience !== element.dataset.audience)) return;
      items = data.features;
      coverage.setData({ type: "FeatureCollection", features: items.map((f, i) => ({
        type: "Feature", geometry: f.geometry,
        properties: { _i: i, level: f.properties.level, status: f.properties.status, shown: shownAs(f.properties) },
      })) });
      element.dataset.cells = String(items.filter((f) => f.properties.level === "cell_200m").length);
    })
    .catch(() => {});
  // Drawn: the static figure is for print only now (the map is not printed, see desk.css).
  map.once("load", () => {
    const figure = document.querySelector('[data-figure-box="coverage"]');
    if (figure) figure.classList.add("repr-figure--print");
  });
}

if (element) draw();
