/* Drawing the zone: click to add corners, "Close the zone" writes a GeoJSON polygon into the
   textarea (the non-map path: paste GeoJSON or upload a file). No plugin needed. */
import { deskMap } from "./common.js";

const textarea = document.getElementById("id_zone_geojson");
const map = deskMap("zone-map");
let corners = [];
let shape = null;
function show(latlngs, closed) {
  if (shape) map.removeLayer(shape);
  shape = closed ? L.polygon(latlngs, { color: "#0b5cad" }) : L.polyline(latlngs, { color: "#b00020" });
  shape.addTo(map);
}
try {
  const existing = JSON.parse(textarea.value || "null");
  const ring = existing && (existing.type === "Feature" ? existing.geometry : existing).coordinates[0];
  if (ring) {
    const latlngs = ring.map(([lon, lat]) => [lat, lon]);
    show(latlngs, true);
    map.fitBounds(shape.getBounds());
  }
} catch (e) { /* not valid yet: the server says why */ }
if (!shape) map.setView([45.566, 5.92], 14);
map.on("click", (e) => {
  corners.push([e.latlng.lat, e.latlng.lng]);
  show(corners, false);
});
document.getElementById("zone-close").addEventListener("click", () => {
  if (corners.length < 3) return;
  const ring = corners.map(([lat, lon]) => [Number(lon.toFixed(7)), Number(lat.toFixed(7))]);
  ring.push(ring[0]);
  textarea.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
  show(corners, true);
  corners = [];
});
document.getElementById("zone-clear").addEventListener("click", () => {
  corners = [];
  if (shape) map.removeLayer(shape);
  shape = null;
});
