// The event's own base map, for any page: MapLibre GL JS (npm "maplibre-gl", served by the
// product under /static/vendor/maplibre-gl/, never a CDN) drawing the vector tiles the
// product builds from the event's OpenStreetMap extract (/tiles/{slug}/basemap/…). Nothing
// leaves the server the page came from: style, tiles, glyphs and the map's worker are ours.
import * as maplibregl from "../vendor/maplibre-gl/maplibre-gl.mjs";

const STYLESHEET = new URL("../vendor/maplibre-gl/maplibre-gl.css", import.meta.url).href;

/** The URLs of an event's base map (TileJSON, MapLibre style). */
export function basemapUrls(slug, { root = "/" } = {}) {
  const base = `${root.replace(/\/$/, "")}/tiles/${encodeURIComponent(slug)}/basemap`;
  return { style: `${base}/style.json`, tilejson: `${base}.json` };
}

function addStylesheet(doc) {
  if (doc.querySelector(`link[href="${STYLESHEET}"]`)) return;
  const link = doc.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLESHEET;
  doc.head.append(link);
}

/**
 * Show the base map of the event `slug` in `container` and resolve with the MapLibre map
 * once its style is loaded. `bounds` ([west, south, east, north], WGS84) fits the view;
 * otherwise the TileJSON's centre is used. Attribution © OpenStreetMap contributors is
 * shown from the style's source, always (not collapsed).
 */
export async function showBasemap(container, { slug, bounds = null, root = "/", label = "" } = {}) {
  addStylesheet(container.ownerDocument);
  const urls = basemapUrls(slug, { root });
  const map = new maplibregl.Map({
    container,
    style: urls.style,
    attributionControl: { compact: false },
    maxZoom: 20,
    cooperativeGestures: false,
  });
  if (label) container.setAttribute("aria-label", label);
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  await new Promise((resolve, reject) => {
    map.once("load", resolve);
    map.once("error", (event) => reject(event.error || new Error("base map failed")));
  });
  if (bounds) {
    map.fitBounds(bounds, { padding: 16, animate: false });
  } else {
    const tilejson = await (await fetch(urls.tilejson)).json();
    const [lon, lat, zoom] = tilejson.center;
    map.jumpTo({ center: [lon, lat], zoom });
  }
  return map;
}

export { maplibregl };
