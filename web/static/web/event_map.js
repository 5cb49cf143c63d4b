// The citizen map page of one carto-party. Configuration comes from data attributes of
// #event-app; strings from Django's JavaScript catalog (gettext); the map is MapLibre GL JS
// drawing the event's own base map (served by the product: it needs no other server).
// Works offline: a service worker keeps the app and the event's data, and contributions
// wait in the outbox (IndexedDB) until the server has confirmed them.

import { apiFetch, credentials } from "./event_map/api.js";
import { setupContributions } from "./event_map/contributions.js";
import { changedLayers, ownCollections, tiledLayers } from "./event_map/data_tiles.js";
import { byId, debounce, say } from "./event_map/dom.js";
import { setupFeatureForm } from "./event_map/feature_form.js";
import { setupJoin } from "./event_map/join.js";
import { useTimeZone } from "./event_map/labels.js";
import { renderLists } from "./event_map/list_view.js";
import { followChanges, merge } from "./event_map/live_changes.js";
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

/**
 * The features and reports of the visible area: `load()` reloads them (a newer call cancels
 * an older one), `apply(changes)` merges what others changed since (the live stream). On a
 * large event they fill the lists only, and the map's data tiles are read again on changes.
 */
// A stream message is merged again over an area read that started up to READ_BACK_MS after
// it arrived (the read may predate the change: the server re-reads 5 s, the phone's clock
// is not the server's); messages older than RECENT_MS are forgotten.
const READ_BACK_MS = 10000;
const RECENT_MS = 30000;

function layerLoader(mapView, data) {
  const lists = { featureList: byId("feature-list"), reportList: byId("report-list"), summary: byId("list-summary") };
  let controller = null;
  let shown = null;
  let recent = []; // the stream's changes of the last RECENT_MS: { at, changes }
  const hasNext = (page) => (page.links || []).some((l) => l.rel === "next");
  const show = (features, reports) => {
    shown = { features, reports };
    mapView.showCollections(features, reports, data);
    const partial = mapView.tiledLayers.length > 0 && (hasNext(features) || hasNext(reports));
    renderLists(lists, features, reports, data, (id) => {
      mapView.reveal(id);
      byId("map").focus();
    }, { partial });
  };
  async function load() {
    const bbox = mapView.bbox();
    if (!bbox) return;
    if (controller) controller.abort();
    controller = new AbortController();
    const query = "?bbox=" + encodeURIComponent(bbox);
    const started = Date.now();
    try {
      const [features, reports] = await Promise.all([
        apiFetch(config.featuresUrl + query, { signal: controller.signal }),
        apiFetch(config.reportsUrl + query, { signal: controller.signal }),
      ]);
      appError.hidden = true;
      shown = { features: features.data, reports: reports.data };
      // What the stream brought while the area was read may be missing from it: each change
      // is broadcast once, so it is merged again (merge keeps the highest version of an id).
      recent = recent.filter((r) => r.at >= Date.now() - RECENT_MS);
      const during = recent.filter((r) => r.at >= started - READ_BACK_MS).map((r) => r.changes);
      const merged = during.reduce((state, changes) => mergeInto(state, changes), shown);
      show(merged.features, merged.reports);
    } catch (error) {
      if (error.name === "AbortError") return;
      showAppError(error.detail || String(error));
    }
  }
  function mergeInto(state, changes) {
    const bbox = mapView.bbox();
    const removed = (kind) => changes.removed.filter((r) => r.kind === kind).map((r) => r.id);
    return {
      features: merge(state.features, changes.features.features, removed("feature"), bbox),
      reports: merge(state.reports, changes.reports.features, removed("report"), bbox),
    };
  }
  function apply(changes) {
    if (mapView.tiledLayers.length) mapView.refreshTiles(changedLayers(changes), changes.cursor);
    if (!changes.complete || !changes.features || !changes.reports) {
      if (shown) load(); // too much changed at once: read the area again
      return;
    }
    recent.push({ at: Date.now(), changes });
    if (!shown) return; // the first read of the area merges it when it arrives
    const merged = mergeInto(shown, changes);
    show(merged.features, merged.reports);
  }
  return { load, apply };
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
    tiled: tiledLayers(readJson("map-sources")),
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
  const layers = layerLoader(mapView, data);
  const loadLayers = layers.load;
  mapView.onMove(debounce(loadLayers, 400));
  loadLayers();
  followChanges(config.changesStreamUrl, layers.apply);

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
  // The participant's own items, exact, over tiled layers: their list and the outbox.
  const own = { mine: null, outbox: [] };
  const drawOwn = () => {
    if (mapView.tiledLayers.length) mapView.showOwn(ownCollections(own.mine, own.outbox), data);
  };
  const mine = setupContributions({
    url: config.contributionsUrl, exportUrl: config.exportUrl, slug: config.slug,
    store, data, onExpired, onDeleted: () => loadLayers(),
    onLoaded: (collections) => {
      own.mine = collections;
      drawOwn();
    },
  });
  const onSent = () => {
    loadLayers();
    mine.load();
  };
  const outboxStatus = byId("outbox-status");
  const outbox = await createOutbox({
    event: config.slug,
    store,
    onChange: (items, durable) => {
      own.outbox = items;
      drawOwn();
      renderOutbox(items, durable, {
        onRemove: (id) => outbox.remove(id),
        onRetry: (id) => outbox.retry(id),
      });
    },
    onConfirmed: (item) => {
      say(outboxStatus, interpolate(gettext("Received by the server: %(label)s."), { label: item.label }, true));
      onSent();
    },
  });
  const common = { store, location, data, outbox, onSent, onExpired, nearbyUrl: config.nearbyUrl };
  setupFeatureForm({ url: config.featuresUrl, icons: readJson("preset-icons"), ...common });
  setupReportForm({ url: config.reportsUrl, soundscape: config.soundscape === "true", ...common });
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
