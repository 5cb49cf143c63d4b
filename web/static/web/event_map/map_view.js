// The citizen map (MapLibre GL JS): the event's own base map, the zone, features and
// reports on top, the chosen location. Popups are built from DOM nodes (setDOMContent): the
// text of a contribution is never read as HTML. Reports are drawn at the place the API gives
// (their public, rounded place for everyone but the author and officers). On a large event,
// others' contributions come from the public data tiles instead (data_tiles.js).

import { createBasemap, maplibregl } from "../basemap.js";
import { tileProperties, versioned } from "./data_tiles.js";
import { el } from "./dom.js";
import { featureLabel, formatDateTime, quoted, rejectionReason, reportLabel, sourceLabels, statusLabel } from "./labels.js";

const FEATURE_COLOUR = "#0b5cad";
const REPORT_COLOUR = "#5c1a7a";
const ZONE_COLOUR = "#12355b";
const EMPTY = { type: "FeatureCollection", features: [] };
// The layers a tap opens a popup on, top first (with their copies over the data tiles).
const GEOJSON_ITEM_LAYERS = ["report-points", "feature-points", "feature-lines", "feature-areas"];
export const ITEM_LAYERS = GEOJSON_ITEM_LAYERS.flatMap((id) => [id, id + "-tiles"]);
// The vector source of each layer read as tiles, and the kind of item it holds.
export const TILE_SOURCES = { features: "features-tiles", reports: "reports-tiles" };
const KIND_OF_SOURCE = { "features-tiles": "feature", "reports-tiles": "report" };

function popupContent(title, lines) {
  return el("div", { class: "popup" }, [
    el("p", { class: "popup__title" }, title),
    ...lines.filter(Boolean).map((line) => el("p", {}, line)),
  ]);
}

/** A contribution's status, or "not sent yet" for one still in the outbox. */
function shownStatus(props) {
  return props.outbox ? gettext("Not sent yet") : statusLabel(props.status);
}

/** The popup of a mapped feature: its label, status and tags. */
export function featurePopup(feature, data) {
  const props = feature.properties;
  const tags = Object.entries(props.tags || {}).map(([k, v]) => k + "=" + v).join(", ");
  const reason = rejectionReason(props);
  return popupContent(featureLabel(props, data.presets), [
    gettext("Status:") + " " + shownStatus(props),
    reason ? gettext("Reason:") + " " + reason : null,
    tags,
  ]);
}

/** The popup of a nuisance report: category, intensity, sources, time, status, comment. */
export function reportPopup(feature, data) {
  const props = feature.properties;
  const sources = sourceLabels(props, data.categories).join(", ");
  return popupContent(reportLabel(props, data.categories), [
    sources ? gettext("Sources:") + " " + sources : null,
    gettext("Noticed:") + " " + formatDateTime(props.observed_at),
    gettext("Status:") + " " + shownStatus(props),
    props.comment ? quoted(props.comment) : null,
  ]);
}

/** What the map draws of an API collection: only the id and kind (the popup reads the rest). */
function drawn(collection, kind) {
  return {
    type: "FeatureCollection",
    features: (collection.features || []).filter((f) => f.geometry).map((f) => ({
      type: "Feature", geometry: f.geometry, properties: { item_id: String(f.id), kind },
    })),
  };
}

/** A polygon approximating a circle of `radius` metres around (lon, lat). */
function circle(lon, lat, radius, steps = 48) {
  const dLat = radius / 111_320;
  const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 1e-6);
  const ring = [];
  for (let i = 0; i <= steps; i += 1) {
    const a = (2 * Math.PI * i) / steps;
    ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return { type: "Feature", geometry: { type: "Polygon", coordinates: [ring] }, properties: {} };
}

function centre(geometry) {
  if (geometry.type === "Point") return geometry.coordinates;
  const bounds = new maplibregl.LngLatBounds();
  const walk = (coords) => (typeof coords[0] === "number" ? bounds.extend(coords) : coords.forEach(walk));
  walk(geometry.coordinates);
  return bounds.getCenter().toArray();
}

const FEATURE_LAYERS = [
  { id: "feature-areas", type: "fill", source: "features", filter: ["==", ["geometry-type"], "Polygon"],
    paint: { "fill-color": FEATURE_COLOUR, "fill-opacity": 0.25, "fill-outline-color": FEATURE_COLOUR } },
  { id: "feature-lines", type: "line", source: "features", filter: ["in", ["geometry-type"], ["literal", ["LineString", "Polygon"]]],
    layout: { "line-cap": "round", "line-join": "round" }, paint: { "line-color": FEATURE_COLOUR, "line-width": 4 } },
  { id: "feature-points", type: "circle", source: "features", filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-radius": 8, "circle-color": FEATURE_COLOUR, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } },
];
const REPORT_LAYERS = [
  { id: "report-points", type: "circle", source: "reports",
    paint: { "circle-radius": 10, "circle-color": "#d9b3ef", "circle-opacity": 0.85, "circle-stroke-color": REPORT_COLOUR, "circle-stroke-width": 3 } },
];

/** The filter of a tile layer: its own, and none of the participant's items (drawn exact). */
function tileFilter(layer, ownIds) {
  const notOwn = ["!", ["in", ["get", "id"], ["literal", ownIds]]];
  return layer.filter ? ["all", layer.filter, notOwn] : notOwn;
}

/**
 * The zone, the location's accuracy, then per layer: the copies over the data tiles (of the
 * layers in `tiled`: {features|reports: TileJSON URL}) under the GeoJSON ones, so that the
 * participant's own exact items are drawn on top.
 */
function addLayers(map, tiled, ownIds) {
  for (const id of ["zone", "accuracy", "features", "reports"]) map.addSource(id, { type: "geojson", data: EMPTY });
  for (const [layer, url] of Object.entries(tiled)) map.addSource(TILE_SOURCES[layer], { type: "vector", url });
  map.addLayer({ id: "zone-fill", type: "fill", source: "zone", paint: { "fill-color": ZONE_COLOUR, "fill-opacity": 0.06 } });
  map.addLayer({ id: "zone-line", type: "line", source: "zone", paint: { "line-color": ZONE_COLOUR, "line-width": 3, "line-dasharray": [2.5, 2] } });
  map.addLayer({ id: "accuracy", type: "fill", source: "accuracy", paint: { "fill-color": FEATURE_COLOUR, "fill-opacity": 0.1, "fill-outline-color": FEATURE_COLOUR } });
  for (const [layer, specs] of [["features", FEATURE_LAYERS], ["reports", REPORT_LAYERS]]) {
    if (tiled[layer]) {
      for (const spec of specs) {
        map.addLayer({ ...spec, id: spec.id + "-tiles", source: TILE_SOURCES[layer], "source-layer": layer,
          filter: tileFilter(spec, ownIds[layer]) });
      }
    }
    for (const spec of specs) map.addLayer(spec);
  }
}

/**
 * Create the map in `container`. Returns an object to draw the zone and the layers, pick a
 * location and react to moves. `styleUrl`: the event's base map (MapLibre style), or "" to
 * draw the external `tileUrl` (a setting) or a plain background. `tiled`: the layers whose
 * others' contributions come from the public data tiles ({features|reports: TileJSON URL},
 * see data_tiles.js); their requests never carry the session (the public view, coarsened).
 */
export function createMap(container, { styleUrl = "", tileUrl = "", attribution = "", tiled = {} } = {}) {
  const map = createBasemap(container, { styleUrl, tileUrl, attribution, maxZoom: 20 });
  const prefixes = Object.values(tiled).map((url) => new URL(url, window.location.href).pathname.replace(/\.json$/, ""));
  if (prefixes.length) {
    map.setTransformRequest((url) => {
      const path = new URL(url, window.location.href).pathname;
      return prefixes.some((p) => path.startsWith(p)) ? { url, credentials: "omit" } : { url };
    });
  }
  // Sources and layers are added again whenever a style loads (the fallback replaces a style
  // that failed); what they show is kept here. For a tiled layer, the GeoJSON source holds
  // the participant's own items only; `others` is what the lists of the visible area hold.
  const shown = { zone: EMPTY, accuracy: EMPTY, features: EMPTY, reports: EMPTY };
  const others = { features: EMPTY, reports: EMPTY };
  const own = { features: EMPTY, reports: EMPTY };
  const ownIds = { features: [], reports: [] };
  const versions = {}; // layer → the change-stream cursor its tiles were last read at
  const templates = {}; // layer → its tile URL template (from the TileJSON), unversioned
  map.on("style.load", () => {
    addLayers(map, tiled, ownIds);
    for (const [id, data] of Object.entries(shown)) map.getSource(id).setData(data);
  });
  const setData = (id, data) => {
    shown[id] = data;
    let source = null;
    try {
      source = map.getSource(id);
    } catch {
      source = null; // no style yet: the "style.load" handler draws it
    }
    if (source) source.setData(data);
  };
  const redraw = (kind) => {
    const layer = kind + "s";
    setData(layer, drawn(tiled[layer] ? own[layer] : others[layer], kind));
  };
  const setTileFilters = (layer) => {
    const specs = layer === "features" ? FEATURE_LAYERS : REPORT_LAYERS;
    for (const spec of specs) {
      if (map.getLayer(spec.id + "-tiles")) map.setFilter(spec.id + "-tiles", tileFilter(spec, ownIds[layer]));
    }
  };
  const items = new Map(); // id → {item, popup builder}
  let data = null;
  let popup = null;
  let locationMarker = null;
  let dragHandler = null;

  function openPopup(id, hit = null) {
    let found = items.get(id);
    const kind = hit && KIND_OF_SOURCE[hit.source];
    if (!found && kind) {
      // Drawn from a data tile: the popup reads the tile's properties.
      const item = { type: "Feature", id, geometry: hit.geometry, properties: tileProperties(kind, hit.properties) };
      found = { item, build: kind === "feature" ? featurePopup : reportPopup };
    }
    if (!found) return;
    if (popup) popup.remove();
    popup = new maplibregl.Popup({ maxWidth: "18rem", focusAfterOpen: false })
      .setLngLat(centre(found.item.geometry))
      .setDOMContent(found.build(found.item, data))
      .addTo(map);
  }

  /** The item id of a rendered feature (GeoJSON layers: item_id; data tiles: id). */
  const idOf = (hit) => String(hit.properties.item_id || hit.properties.id);

  function hitAt(point) {
    const layers = ITEM_LAYERS.filter((id) => map.getLayer(id));
    if (!layers.length) return null;
    const box = [[point.x - 6, point.y - 6], [point.x + 6, point.y + 6]];
    return map.queryRenderedFeatures(box, { layers })[0] || null;
  }
  const itemAt = (point) => {
    const hit = hitAt(point);
    return hit ? idOf(hit) : null;
  };

  map.on("mousemove", (event) => {
    map.getCanvas().style.cursor = itemAt(event.point) ? "pointer" : "";
  });

  const view = {
    map,
    showZone(zone) {
      setData("zone", zone);
      const bounds = new maplibregl.LngLatBounds();
      const walk = (coords) => (typeof coords[0] === "number" ? bounds.extend(coords) : coords.forEach(walk));
      const geometries = zone.type === "FeatureCollection" ? zone.features.map((f) => f.geometry)
        : zone.type === "Feature" ? [zone.geometry] : [zone];
      geometries.filter(Boolean).forEach((g) => walk(g.coordinates));
      if (!bounds.isEmpty()) map.fitBounds(bounds, { padding: 16, animate: false });
    },
    /** The items of the visible area (the lists): drawn, unless their layer is tiled. */
    showCollections(features, reports, labels) {
      data = labels;
      others.features = features;
      others.reports = reports;
      items.clear();
      for (const f of [...features.features || [], ...own.features.features]) items.set(String(f.id), { item: f, build: featurePopup });
      for (const r of [...reports.features || [], ...own.reports.features]) items.set(String(r.id), { item: r, build: reportPopup });
      redraw("feature");
      redraw("report");
    },
    /**
     * The participant's own items (their list and the outbox, exact): drawn from GeoJSON over
     * a tiled layer, and left out of its tiles. Below the threshold the lists draw them.
     */
    showOwn(mine, labels) {
      data = labels;
      own.features = mine.features;
      own.reports = mine.reports;
      for (const f of own.features.features) items.set(String(f.id), { item: f, build: featurePopup });
      for (const r of own.reports.features) items.set(String(r.id), { item: r, build: reportPopup });
      for (const layer of Object.keys(tiled)) {
        ownIds[layer] = own[layer].features.map((f) => String(f.id));
        setTileFilters(layer);
        redraw(layer.slice(0, -1));
      }
    },
    /** The layers read from data tiles ("features", "reports"). */
    tiledLayers: Object.keys(tiled),
    /**
     * Read the tiles of `layers` again (those of them that are tiled), under `version` (the
     * change stream's cursor) in their URLs: MapLibre keeps drawing the older tiles until
     * the new ones have arrived.
     */
    refreshTiles(layers, version) {
      for (const layer of layers) {
        const source = tiled[layer] ? map.getSource(TILE_SOURCES[layer]) : null;
        if (!source || !source.tiles || !source.tiles.length) continue; // its TileJSON is being read: fresh tiles follow
        if (!templates[layer]) templates[layer] = source.tiles[0];
        versions[layer] = version;
        source.setTiles([versioned(templates[layer], version)]);
      }
    },
    /** The cursor the tiles of each tiled layer were last read at (for tests and the console). */
    tileVersions() {
      return { ...versions };
    },
    /** The ids of the contributions the map draws now (for tests and the console). */
    drawnIds() {
      const layers = ITEM_LAYERS.filter((id) => map.getLayer(id));
      return layers.length ? [...new Set(map.queryRenderedFeatures({ layers }).map(idOf))] : [];
    },
    /** Centre the map on one item and open its popup. */
    reveal(id) {
      const found = items.get(String(id));
      if (!found) return;
      map.jumpTo({ center: centre(found.item.geometry), zoom: Math.max(map.getZoom(), 17) });
      openPopup(String(id));
    },
    /** The visible area as west,south,east,north, inside the valid WGS84 range. */
    bbox() {
      const b = map.getBounds();
      const clamp = (v, lim) => Math.min(lim, Math.max(-lim, v));
      const box = [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)];
      return box[0] < box[2] && box[1] < box[3] ? box.map((v) => v.toFixed(6)).join(",") : null;
    },
    onMove(handler) {
      map.on("moveend", handler);
    },
    /** A tap on a contribution opens its popup; anywhere else, `handler(lat, lon)` picks it. */
    onPick(handler) {
      map.on("click", (event) => {
        const hit = hitAt(event.point);
        if (hit) openPopup(idOf(hit), hit);
        else handler(event.lngLat.lat, event.lngLat.lng);
      });
    },
    /** `handler(lat, lon)` runs when the person drags the location marker. */
    onDragLocation(handler) {
      dragHandler = handler;
    },
    /** Show (or move) the draggable marker of the chosen location; null removes it. */
    setLocation(lat, lon, { accuracy = null, pan = false } = {}) {
      setData("accuracy", EMPTY);
      if (lat === null) {
        if (locationMarker) locationMarker.remove();
        locationMarker = null;
        return;
      }
      if (!locationMarker) {
        locationMarker = new maplibregl.Marker({ draggable: true, color: "#c2410c" }).setLngLat([lon, lat]).addTo(map);
        const node = locationMarker.getElement();
        node.setAttribute("title", gettext("Chosen location (you can drag it)"));
        node.setAttribute("aria-label", gettext("Chosen location"));
        node.setAttribute("role", "img");
        node.classList.add("location-marker");
        locationMarker.on("dragend", () => {
          const p = locationMarker.getLngLat();
          if (dragHandler) dragHandler(p.lat, p.lng);
        });
      } else {
        locationMarker.setLngLat([lon, lat]);
      }
      if (accuracy) setData("accuracy", { type: "FeatureCollection", features: [circle(lon, lat, accuracy)] });
      if (pan) map.jumpTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 17) });
    },
  };
  return view;
}
