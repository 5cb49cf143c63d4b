// The citizen map page of one carto-party. Configuration comes from data attributes of
// #event-app; strings from Django's JavaScript catalog (gettext); the map is MapLibre GL JS
// drawing the event's own base map (served by the product: it needs no other server).
// Works offline: a service worker keeps the app and the event's data, and contributions
// wait in the outbox (IndexedDB) until the server has confirmed them.

import { apiFetch, credentials } from "./event_map/api.js";
import { setupContributions } from "./event_map/contributions.js";
import { byId, debounce, say } from "./event_map/dom.js";
import { setupFeatureForm } from "./event_map/feature_form.js";
import { setupJoin } from "./event_map/join.js";
import { useTimeZone } from "./event_map/labels.js";
import { renderLists } from "./event_map/list_view.js";
import { createLocationPicker } from "./event_map/location.js";
import { createMap } from "./event_map/map_view.js";
import { registerServiceWorker, renderOutbox, storeBasemapForOffline, watchNetwork } from "./event_map/offline.js";
import { createOutbox } from "./event_map/outbox.js";
import { setupReportForm } from "./event_map/report_form.js";

const app = byId("event-app");
const config = app.dataset;
const store = credentials(config.slug);
const appError = byId("app-error");

function showAppError(message) {
  appError.hidden = false;
  say(appError, message);
}

/** Reload the features and reports of the visible area; a newer call cancels an older one. */
function layerLoader(mapView, data) {
  const lists = { featureList: byId("feature-list"), reportList: byId("report-list"), summary: byId("list-summary") };
  let controller = null;
  return async function load() {
    const bbox = mapView.bbox();
    if (!bbox) return;
    if (controller) controller.abort();
    controller = new AbortController();
    const query = "?bbox=" + encodeURIComponent(bbox);
    try {
      const [features, reports] = await Promise.all([
        apiFetch(config.featuresUrl + query, { signal: controller.signal }),
        apiFetch(config.reportsUrl + query, { signal: controller.signal }),
      ]);
      appError.hidden = true;
      mapView.showCollections(features.data, reports.data, data);
      renderLists(lists, features.data, reports.data, data, (id) => {
        mapView.reveal(id);
        byId("map").focus();
      });
    } catch (error) {
      if (error.name === "AbortError") return;
      showAppError(error.detail || String(error));
    }
  };
}

function setupKindSwitch() {
  const forms = { feature: byId("feature-form"), report: byId("report-form") };
  for (const radio of document.querySelectorAll("input[name=contribution-kind]")) {
    radio.addEventListener("change", () => {
      for (const [kind, form] of Object.entries(forms)) form.hidden = kind !== radio.value;
    });
  }
}

function readJson(id) {
  const node = byId(id);
  return node ? JSON.parse(node.textContent) : {};
}

async function main() {
  watchNetwork(byId("network-status"));
  let reload = () => null;
  registerServiceWorker([config.eventUrl, byId("jsi18n").getAttribute("src")], () => reload());
  const mapView = createMap(byId("map"), {
    styleUrl: config.basemapStyle, tileUrl: config.tileUrl, attribution: config.tileAttribution,
  });
  window.cartopartyMap = mapView; // for tests and the console
  let event;
  try {
    event = (await apiFetch(config.eventUrl)).data;
  } catch (error) {
    showAppError(error.detail || String(error));
    return;
  }
  if (event.time_zone) useTimeZone(event.time_zone);
  const data = {
    presets: new Map(event.presets.map((p) => [p.id, p])),
    categories: new Map(event.nuisance_categories.map((c) => [c.id, c])),
  };
  mapView.showZone(event.zone);
  const loadLayers = layerLoader(mapView, data);
  mapView.onMove(debounce(loadLayers, 400));
  loadLayers();

  const location = createLocationPicker({
    mapView,
    latInput: byId("lat"),
    lonInput: byId("lon"),
    button: byId("use-position"),
    status: byId("position-status"),
    error: byId("location-error"),
  });

  let join = null;
  const onExpired = () => join.expired();
  const mine = setupContributions({
    url: config.contributionsUrl, exportUrl: config.exportUrl, slug: config.slug,
    store, data, onExpired, onDeleted: () => loadLayers(),
  });
  const onSent = () => {
    loadLayers();
    mine.load();
  };
  const outboxStatus = byId("outbox-status");
  const outbox = await createOutbox({
    event: config.slug,
    store,
    onChange: (items, durable) => renderOutbox(items, durable, {
      onRemove: (id) => outbox.remove(id),
      onRetry: (id) => outbox.retry(id),
    }),
    onConfirmed: (item) => {
      say(outboxStatus, interpolate(gettext("Received by the server: %(label)s."), { label: item.label }, true));
      onSent();
    },
  });
  const common = { store, location, data, outbox, onSent, onExpired, nearbyUrl: config.nearbyUrl };
  setupFeatureForm({ url: config.featuresUrl, icons: readJson("preset-icons"), ...common });
  setupReportForm({ url: config.reportsUrl, ...common });
  setupKindSwitch();
  reload = () => {
    loadLayers();
    mine.load();
  };

  join = setupJoin({
    url: config.participantsUrl,
    store,
    onChange(joined) {
      byId("contribute-locked").hidden = joined;
      byId("contribute-forms").hidden = !joined;
      mine.load();
      if (joined) {
        outbox.flush();
        storeBasemapForOffline(config.basemapOffline, byId("offline-map-status"));
      }
    },
  });
  await outbox.refresh();
  outbox.flush();
  app.dataset.ready = "true";
}

main();
