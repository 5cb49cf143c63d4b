/* Desk maps on MapLibre GL JS with the event's own base map (web/basemap.js): the zone, GeoJSON
   layers that survive a style change, a layer switcher, and tooltips built from text nodes
   only (what a contribution holds is never read as HTML). */
import { createBasemap, maplibregl } from "../web/basemap.js";
import { island, text } from "./common.js";

const ZONE_COLOUR = "#12355b";
const EMPTY = { type: "FeatureCollection", features: [] };

/** The bounds of any GeoJSON (geometry, Feature, FeatureCollection), or null when empty. */
export function boundsOf(geojson) {
  const bounds = new maplibregl.LngLatBounds();
  const walk = (coords) => (typeof coords[0] === "number" ? bounds.extend(coords) : coords.forEach(walk));
  const visit = (g) => {
    if (!g) return;
    if (g.type === "FeatureCollection") g.features.forEach((f) => visit(f.geometry));
    else if (g.type === "Feature") visit(g.geometry);
    else if (g.type === "GeometryCollection") g.geometries.forEach(visit);
    else walk(g.coordinates);
  };
  visit(geojson);
  return bounds.isEmpty() ? null : bounds;
}

/**
 * A desk map in `element` (an id or a node) drawing the event's base map (the element's
 * data-basemap-style, else the external tiles of the settings, or of the element's own
 * data-tile-url when it has one: "" for a plain background) with the zone of the page's
 * "zone-data" island, fitted to it. `map.layer(id, spec)` adds a GeoJSON layer group.
 */
export function zoneBasemap(element) {
  const node = typeof element === "string" ? document.getElementById(element) : element;
  const settings = document.body.dataset;
  const tileUrl = node.dataset.tileUrl !== undefined ? node.dataset.tileUrl : settings.tileUrl || "";
  const map = createBasemap(node, {
    styleUrl: node.dataset.basemapStyle || "", tileUrl, attribution: settings.tileAttribution || "",
  });
  window.cartopartyDeskMap = map; // for tests and the console
  const zone = document.getElementById("zone-data") ? island("zone-data") : { type: "FeatureCollection", features: [] };
  const groups = new Map(); // id → {data, layers, visible}

  // A style layer's own filter and the group's (the page's filters), both applying.
  const filterOf = (layer, group) => {
    const parts = [layer.filter, group.filter].filter(Boolean);
    return parts.length > 1 ? ["all", ...parts] : parts[0];
  };
  function draw(id) {
    const group = groups.get(id);
    if (!map.getSource(id)) {
      map.addSource(id, group.tiles ? { type: "vector", url: group.tiles.url } : { type: "geojson", data: group.data });
    }
    for (const layer of group.layers) {
      if (!map.getLayer(layer.id)) {
        const spec = { ...layer, source: id, layout: { ...(layer.layout || {}), visibility: group.visible ? "visible" : "none" } };
        if (group.tiles) spec["source-layer"] = group.tiles.sourceLayer;
        const filter = filterOf(layer, group);
        if (filter) spec.filter = filter; else delete spec.filter;
        map.addLayer(spec);
      }
    }
  }
  // Requests for the data's tiles carry the session or not, as the page's config says (the
  // widget never sends one: it shows the public view to whoever opens it).
  const credentials = new Map(); // URL prefix → "same-origin" | "omit"
  map.setTransformRequest((url) => {
    if (!credentials.size) return { url };
    const path = new URL(url, window.location.href).pathname;
    for (const [prefix, mode] of credentials) if (path.startsWith(prefix)) return { url, credentials: mode };
    return { url };
  });
  map.on("style.load", () => {
    map.addSource("zone", { type: "geojson", data: zone });
    map.addLayer({ id: "zone-line", type: "line", source: "zone", paint: { "line-color": ZONE_COLOUR, "line-width": 2 } });
    for (const id of groups.keys()) draw(id);
  });
  const bounds = boundsOf(zone);
  if (bounds) map.fitBounds(bounds, { padding: 16, animate: false });

  /**
   * Add (or find) the layer group `id`: its style layers (without source), shown or not. Its
   * source is GeoJSON (`setData`), or the vector tiles of `tiles` ({url: TileJSON,
   * sourceLayer, credentials}), whose layers read `sourceLayer`.
   */
  map.layer = (id, { layers, visible = true, tiles = null } = {}) => {
    if (!groups.has(id)) {
      if (tiles) credentials.set(tiles.url.replace(/\.json$/, ""), tiles.credentials || "same-origin");
      groups.set(id, { data: EMPTY, layers, visible, tiles, filter: null });
      if (map.isStyleLoaded()) draw(id);
    }
    const group = groups.get(id);
    return {
      ids: group.layers.map((l) => l.id),
      setData(data) {
        group.data = data;
        const source = map.getSource(id);
        if (source) source.setData(data);
      },
      setVisible(shown) {
        group.visible = shown;
        for (const l of group.layers) if (map.getLayer(l.id)) map.setLayoutProperty(l.id, "visibility", shown ? "visible" : "none");
      },
      /** An extra MapLibre filter on every layer of the group (null: none). */
      setFilter(filter) {
        group.filter = filter;
        for (const l of group.layers) if (map.getLayer(l.id)) map.setFilter(l.id, filterOf(l, group) || null);
      },
      get visible() {
        return group.visible;
      },
      get tiles() {
        return group.tiles;
      },
    };
  };
  return map;
}

/**
 * Every item of a GeoJSON list of the API, following its `next` links (pages of
 * API_PAGE_SIZE); null when the first page cannot be read (404, offline).
 */
export async function allPages(url, credentials = "same-origin") {
  const items = [];
  let next = url;
  while (next) {
    let page = null;
    try {
      const response = await fetch(next, { credentials, headers: { Accept: "application/json" } });
      page = response.ok ? await response.json() : null;
    } catch (e) { page = null; }
    if (!page) return items.length ? { type: "FeatureCollection", features: items } : null;
    items.push(...(page.features || []));
    const link = (page.links || []).find((l) => l.rel === "next");
    next = link ? link.href : null;
  }
  return { type: "FeatureCollection", features: items };
}

/** A FeatureCollection whose items carry `_i`, their index in `items` (MapLibre flattens properties). */
export function indexed(items) {
  return {
    type: "FeatureCollection",
    features: items.filter((f) => f.geometry).map((f, i) => ({
      type: "Feature", geometry: f.geometry, properties: { ...f.properties, _i: i, tags: undefined },
    })),
  };
}

/**
 * Tooltips on the layers `layerIds`: hovering (or tapping) an item shows `describe(feature)`
 * (a string, or a promise of one) as a text node. `describe` receives the rendered feature.
 */
export function textTooltips(map, layerIds, describe) {
  const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: "desk-tooltip", offset: 10 });
  const show = (event) => {
    const layers = layerIds.filter((id) => map.getLayer(id));
    const hit = layers.length ? map.queryRenderedFeatures(event.point, { layers })[0] : null;
    if (!hit) {
      popup.remove();
      map.getCanvas().style.cursor = "";
      return;
    }
    map.getCanvas().style.cursor = "pointer";
    const said = describe(hit);
    const node = text("span", typeof said === "string" ? said : "…");
    popup.setLngLat(event.lngLat).setDOMContent(node).addTo(map);
    // A promise (details one request away): the text replaces "…" if still shown.
    if (typeof said !== "string") said.then((value) => { node.textContent = value; });
  };
  map.on("mousemove", show);
  map.on("click", show);
  map.getCanvas().addEventListener("mouseleave", () => popup.remove());
  return popup;
}

/** A layer switcher (checkboxes) in the map's corner: `entries` is [[label, layer group], …]. */
export function layerSwitcher(map, entries, label = "") {
  const control = {
    onAdd() {
      const box = document.createElement("fieldset");
      box.className = "maplibregl-ctrl maplibregl-ctrl-group desk-layers";
      if (label) box.setAttribute("aria-label", label);
      for (const [label, group] of entries) {
        const input = document.createElement("input");
        input.type = "checkbox";
        input.checked = group.visible;
        input.addEventListener("change", () => group.setVisible(input.checked));
        const row = document.createElement("label");
        row.append(input, text("span", " " + label));
        box.append(row);
      }
      return box;
    },
    onRemove() {},
  };
  map.addControl(control, "top-left");
  return control;
}

/** The step of a graticule showing about `lines` meridians across `span` degrees (1, 2 or 5 × 10ⁿ). */
export function graticuleStep(span, lines = 6) {
  const rough = Math.max(span, 1e-9) / lines;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((f) => f * power).find((step) => step >= rough);
}

/**
 * Meridians and parallels over the map's view, redrawn as it moves: where there is no base
 * map (a new event has no OpenStreetMap extract yet), panning and zooming still show.
 */
export function graticule(map) {
  const group = map.layer("graticule", { layers: [{
    id: "graticule", type: "line", paint: { "line-color": "#b8b2a5", "line-width": 1 },
  }] });
  const redraw = () => {
    const b = map.getBounds();
    const step = graticuleStep(Math.max(b.getEast() - b.getWest(), b.getNorth() - b.getSouth()));
    const lines = [];
    const round = (v) => Number(v.toFixed(9));
    for (let lon = Math.floor(b.getWest() / step) * step; lon <= b.getEast() + step; lon += step) {
      lines.push([[round(lon), b.getSouth() - step], [round(lon), b.getNorth() + step]]);
    }
    for (let lat = Math.floor(b.getSouth() / step) * step; lat <= b.getNorth() + step; lat += step) {
      lines.push([[b.getWest() - step, round(lat)], [b.getEast() + step, round(lat)]]);
    }
    group.setData({ type: "Feature", properties: {}, geometry: { type: "MultiLineString", coordinates: lines } });
  };
  map.on("moveend", redraw);
  map.once("load", redraw);
  return group;
}
