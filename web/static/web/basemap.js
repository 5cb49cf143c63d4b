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
 * The style a map draws under the product's layers when the event has no base map of its own
 * yet (no OpenStreetMap import): the external raster tiles of the BASEMAP_TILE_URL setting when
 * one is configured, else a plain background (the zone and the contributions stay readable).
 */
export function fallbackStyle({ tileUrl = "", attribution = "" } = {}) {
  const style = {
    version: 8,
    sources: {},
    layers: [{ id: "background", type: "background", paint: { "background-color": "#f4f1ea" } }],
  };
  if (tileUrl) {
    style.sources.external = { type: "raster", tiles: [tileUrl], tileSize: 256, maxzoom: 19, attribution };
    style.layers.push({ id: "external", type: "raster", source: "external" });
  }
  return style;
}

/**
 * A MapLibre map in `container`, returned at once (its style loads in the background): the
 * event's own base map when `styleUrl` is given, else {@link fallbackStyle}. When the style
 * cannot be loaded (offline with no stored copy), the fallback style replaces it, so the
 * product's layers are still drawn. `map.cartopartyReady` resolves once a style is loaded.
 */
export function createBasemap(container, { styleUrl = "", tileUrl = "", attribution = "", label = "", maxZoom = 20 } = {}) {
  addStylesheet(container.ownerDocument);
  const fallback = fallbackStyle({ tileUrl, attribution });
  const map = new maplibregl.Map({
    container,
    style: styleUrl || fallback,
    attributionControl: { compact: false },
    maxZoom,
    cooperativeGestures: false,
  });
  if (label) container.setAttribute("aria-label", label);
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.cartopartyReady = new Promise((resolve) => {
    map.once("load", () => resolve(map));
    if (!styleUrl) return;
    const onError = (event) => {
      map.off("error", onError);
      console.warn("base map style failed, drawing without it:", event.error && event.error.message);
      map.setStyle(fallback);
    };
    map.on("error", onError);
    map.once("style.load", () => map.off("error", onError));
  });
  return map;
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
