// The citizen map (MapLibre GL JS): the event's own base map, the zone, features and
// reports on top, the chosen location. Popups are built from DOM nodes (setDOMContent): the
// text of a contribution is never read as HTML. Reports are drawn at the place the API gives
// (their public, rounded place for everyone but the author and officers).

import { createBasemap, maplibregl } from "../basemap.js";
import { el } from "./dom.js";
import { featureLabel, formatDateTime, quoted, rejectionReason, reportLabel, sourceLabels, statusLabel } from "./labels.js";

const FEATURE_COLOUR = "#0b5cad";
const REPORT_COLOUR = "#5c1a7a";
const ZONE_COLOUR = "#12355b";
const EMPTY = { type: "FeatureCollection", features: [] };
// The layers a tap opens a popup on, top first.
export const ITEM_LAYERS = ["report-points", "feature-points", "feature-lines", "feature-areas"];

function popupContent(title, lines) {
  return el("div", { class: "popup" }, [
    el("p", { class: "popup__title" }, title),
    ...lines.filter(Boolean).map((line) => el("p", {}, line)),
  ]);
}

/** The popup of a mapped feature: its label, status and tags. */
export function featurePopup(feature, data) {
  const props = feature.properties;
  const tags = Object.entries(props.tags || {}).map(([k, v]) => k + "=" + v).join(", ");
  const reason = rejectionReason(props);
  return popupContent(featureLabel(props, data.presets), [
    gettext("Status:") + " " + statusLabel(props.status),
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
    gettext("Status:") + " " + statusLabel(props.status),
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

function addLayers(map) {
  for (const id of ["zone", "accuracy", "features", "reports"]) map.addSource(id, { type: "geojson", data: EMPTY });
  map.addLayer({ id: "zone-fill", type: "fill", source: "zone", paint: { "fill-color": ZONE_COLOUR, "fill-opacity": 0.06 } });
  map.addLayer({ id: "zone-line", type: "line", source: "zone", paint: { "line-color": ZONE_COLOUR, "line-width": 3, "line-dasharray": [2.5, 2] } });
  map.addLayer({ id: "accuracy", type: "fill", source: "accuracy", paint: { "fill-color": FEATURE_COLOUR, "fill-opacity": 0.1, "fill-outline-color": FEATURE_COLOUR } });
  map.addLayer({ id: "feature-areas", type: "fill", source: "features", filter: ["==", ["geometry-type"], "Polygon"],
    paint: { "fill-color": FEATURE_COLOUR, "fill-opacity": 0.25, "fill-outline-color": FEATURE_COLOUR } });
  map.addLayer({ id: "feature-lines", type: "line", source: "features", filter: ["in", ["geometry-type"], ["literal", ["LineString", "Polygon"]]],
    layout: { "line-cap": "round", "line-join": "round" }, paint: { "line-color": FEATURE_COLOUR, "line-width": 4 } });
  map.addLayer({ id: "feature-points", type: "circle", source: "features", filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-radius": 8, "circle-color": FEATURE_COLOUR, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } });
  map.addLayer({ id: "report-points", type: "circle", source: "reports",
    paint: { "circle-radius": 10, "circle-color": "#d9b3ef", "circle-opacity": 0.85, "circle-stroke-color": REPORT_COLOUR, "circle-stroke-width": 3 } });
}

/**
 * Create the map in `container`. Returns an object to draw the zone and the layers, pick a
 * location and react to moves. `styleUrl`: the event's base map (MapLibre style), or "" to
 * draw the external `tileUrl` (a setting) or a plain background.
 */
export function createMap(container, { styleUrl = "", tileUrl = "", attribution = "" } = {}) {
  const map = createBasemap(container, { styleUrl, tileUrl, attribution, maxZoom: 20 });
  // Sources and layers are added again whenever a style loads (the fallback replaces a style
  // that failed); what they show is kept here.
  const shown = { zone: EMPTY, accuracy: EMPTY, features: EMPTY, reports: EMPTY };
  map.on("style.load", () => {
    addLayers(map);
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
  const items = new Map(); // id → {item, popup builder}
  let data = null;
  let popup = null;
  let locationMarker = null;
  let dragHandler = null;

  function openPopup(id) {
    const found = items.get(id);
    if (!found) return;
    if (popup) popup.remove();
    popup = new maplibregl.Popup({ maxWidth: "18rem", focusAfterOpen: false })
      .setLngLat(centre(found.item.geometry))
      .setDOMContent(found.build(found.item, data))
      .addTo(map);
  }

  function itemAt(point) {
    const layers = ITEM_LAYERS.filter((id) => map.getLayer(id));
    if (!layers.length) return null;
    const box = [[point.x - 6, point.y - 6], [point.x + 6, point.y + 6]];
    const hit = map.queryRenderedFeatures(box, { layers })[0];
    return hit ? hit.properties.item_id : null;
  }

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
    showCollections(features, reports, labels) {
      data = labels;
      items.clear();
      for (const f of features.features || []) items.set(String(f.id), { item: f, build: featurePopup });
      for (const r of reports.features || []) items.set(String(r.id), { item: r, build: reportPopup });
      setData("features", drawn(features, "feature"));
      setData("reports", drawn(reports, "report"));
    },
    /** The ids of the contributions the map draws now (for tests and the console). */
    drawnIds() {
      const layers = ITEM_LAYERS.filter((id) => map.getLayer(id));
      return layers.length ? [...new Set(map.queryRenderedFeatures({ layers }).map((f) => f.properties.item_id))] : [];
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
        const id = itemAt(event.point);
        if (id) openPopup(id);
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
