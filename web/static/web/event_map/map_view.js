// The Leaflet map: base tiles, the event zone, features and reports, the chosen location.
/* global L */

import { el } from "./dom.js";
import { featureLabel, formatDateTime, quoted, rejectionReason, reportLabel, sourceLabels, statusLabel } from "./labels.js";

const ZONE_STYLE = { color: "#12355b", weight: 3, dashArray: "8 6", fillColor: "#12355b", fillOpacity: 0.06, interactive: false };
const FEATURE_STYLE = { color: "#ffffff", weight: 2, fillColor: "#0b5cad", fillOpacity: 1, radius: 8, bubblingMouseEvents: false };
const REPORT_STYLE = { color: "#5c1a7a", weight: 3, fillColor: "#d9b3ef", fillOpacity: 0.85, radius: 10, bubblingMouseEvents: false };

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

/**
 * Create the map in `container`. Returns an object to draw the zone and the layers, pick a
 * location and react to moves.
 */
export function createMap(container, { tileUrl, attribution }) {
  const map = L.map(container, { keyboard: true, zoomControl: true });
  map.attributionControl.setPrefix(false);
  L.tileLayer(tileUrl, { attribution, maxZoom: 19 }).addTo(map);
  const featureLayer = L.geoJSON(null, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { ...FEATURE_STYLE, className: "map-item-" + feature.id }),
    style: (feature) => ({ color: "#0b5cad", weight: 4, className: "map-item-" + feature.id }),
  }).addTo(map);
  const reportLayer = L.geoJSON(null, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { ...REPORT_STYLE, className: "map-item-" + feature.id }),
  }).addTo(map);
  const layersById = new Map();
  let locationMarker = null;
  let accuracyCircle = null;
  let dragHandler = null;

  function fill(layer, collection, popup, data) {
    layer.clearLayers();
    layer.addData(collection);
    layer.eachLayer((item) => {
      item.bindPopup(() => popup(item.feature, data));
      layersById.set(item.feature.id, item);
    });
  }

  return {
    map,
    showZone(zone) {
      const layer = L.geoJSON(zone, { style: ZONE_STYLE }).addTo(map);
      layer.bringToBack();
      map.fitBounds(layer.getBounds(), { padding: [16, 16] });
    },
    showCollections(features, reports, data) {
      layersById.clear();
      fill(featureLayer, features, featurePopup, data);
      fill(reportLayer, reports, reportPopup, data);
    },
    /** Centre the map on one item and open its popup. */
    reveal(id) {
      const layer = layersById.get(id);
      if (!layer) return;
      const target = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
      map.setView(target, Math.max(map.getZoom(), 17));
      layer.openPopup();
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
    onPick(handler) {
      map.on("click", (event) => handler(event.latlng.lat, event.latlng.lng));
    },
    /** `handler(lat, lon)` runs when the person drags the location marker. */
    onDragLocation(handler) {
      dragHandler = handler;
    },
    /** Show (or move) the draggable marker of the chosen location; null removes it. */
    setLocation(lat, lon, { accuracy = null, pan = false } = {}) {
      if (accuracyCircle) {
        accuracyCircle.remove();
        accuracyCircle = null;
      }
      if (lat === null) {
        if (locationMarker) locationMarker.remove();
        locationMarker = null;
        return;
      }
      const latlng = L.latLng(lat, lon);
      if (!locationMarker) {
        locationMarker = L.marker(latlng, {
          draggable: true,
          keyboard: true,
          title: gettext("Chosen location (you can drag it)"),
          alt: gettext("Chosen location"),
        }).addTo(map);
        locationMarker.on("dragend", () => {
          const p = locationMarker.getLatLng();
          if (dragHandler) dragHandler(p.lat, p.lng);
        });
      } else {
        locationMarker.setLatLng(latlng);
      }
      if (accuracy) {
        accuracyCircle = L.circle(latlng, { radius: accuracy, color: "#0b5cad", weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
      }
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 17));
    },
  };
}
