/* Drawing the zone on a MapLibre map: click to add corners, "Close the zone" writes a GeoJSON
   polygon into the textarea (the non-map path: paste GeoJSON or upload a file). The map draws
   the event's own base map once it has one; a new event has no OpenStreetMap extract yet, so
   it gets a plain background with a graticule (external tiles only with BASEMAP_USE_EXTERNAL). */
import { boundsOf, graticule, zoneBasemap } from "./map.js";

const element = document.getElementById("zone-map");
const textarea = document.getElementById("id_zone_geojson");
const status = document.getElementById("zone-status");
const map = zoneBasemap(element);
if (!element.dataset.basemapStyle) graticule(map);
const drawn = map.layer("zone-drawn", { layers: [
  { id: "zone-drawn-fill", type: "fill", filter: ["==", ["geometry-type"], "Polygon"],
    paint: { "fill-color": "#0b5cad", "fill-opacity": 0.15 } },
  { id: "zone-drawn-line", type: "line", filter: ["!=", ["geometry-type"], "Point"],
    paint: { "line-color": ["case", ["get", "closed"], "#0b5cad", "#b00020"], "line-width": 2 } },
  { id: "zone-drawn-corner", type: "circle", filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-radius": 5, "circle-color": "#b00020", "circle-stroke-color": "#fff", "circle-stroke-width": 1 } },
] });
let corners = []; // [lon, lat] in the order they were clicked

function say(message) {
  status.textContent = message;
}

function feature(geometry, closed) {
  return { type: "Feature", geometry, properties: { closed } };
}

/** Draw the corners placed so far (open), or the closed ring `ring`. */
function show(ring) {
  const features = ring
    ? [feature({ type: "Polygon", coordinates: [ring] }, true)]
    : corners.map((c) => feature({ type: "Point", coordinates: c }, false));
  if (!ring && corners.length > 1) features.push(feature({ type: "LineString", coordinates: corners }, false));
  drawn.setData({ type: "FeatureCollection", features });
}

/** The zone typed, pasted or saved in the textarea, drawn; null when it is not a polygon yet. */
function showTyped() {
  try {
    const parsed = JSON.parse(textarea.value || "null");
    const geometry = parsed && parsed.type === "Feature" ? parsed.geometry : parsed;
    if (!geometry || geometry.type !== "Polygon") return null;
    show(geometry.coordinates[0]);
    return boundsOf(geometry);
  } catch (e) {
    return null; // not valid yet: the server says why
  }
}

const bounds = showTyped();
if (bounds) map.fitBounds(bounds, { padding: 16, animate: false });
else map.jumpTo({ center: [5.92, 45.566], zoom: 14 });
element.dataset.drawReady = "1";

map.on("click", (e) => {
  corners.push([e.lngLat.lng, e.lngLat.lat]);
  show(null);
  say(status.dataset.placed.replace("{count}", corners.length));
});
textarea.addEventListener("change", () => {
  corners = [];
  showTyped();
});
document.getElementById("zone-close").addEventListener("click", () => {
  if (corners.length < 3) {
    say(status.dataset.tooFew);
    return;
  }
  const ring = corners.map(([lon, lat]) => [Number(lon.toFixed(7)), Number(lat.toFixed(7))]);
  ring.push(ring[0]);
  textarea.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
  corners = [];
  show(ring);
  say(status.dataset.closed);
});
document.getElementById("zone-clear").addEventListener("click", () => {
  corners = [];
  show(null);
  say(status.dataset.cleared);
});
