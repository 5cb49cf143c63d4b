// Working outdoors: the service worker, the network banner and the visible outbox.

import { byId, el, say } from "./dom.js";
import { LANG, formatDateTime, translateError } from "./labels.js";

/**
 * Register /sw.js and ask it to keep what this page has already loaded. `onControlled()`
 * runs when the worker takes control of a page that loaded without it, so that the page
 * can load its data again through it (and the worker keeps a copy).
 */
export async function registerServiceWorker(warmUrls, onControlled) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return null;
  try {
    if (!navigator.serviceWorker.controller) {
      navigator.serviceWorker.addEventListener("controllerchange", () => onControlled(), { once: true });
    }
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const registration = await navigator.serviceWorker.ready;
    if (registration.active) {
      registration.active.postMessage({ type: "cache", urls: [window.location.pathname, ...warmUrls] });
    }
    return registration;
  } catch {
    return null; // The page still works online; only the offline copy is missing.
  }
}

function formatBytes(bytes) {
  const [unit, size] = bytes >= 1e6 ? ["megabyte", bytes / 1e6] : ["kilobyte", Math.max(bytes / 1e3, 1)];
  return new Intl.NumberFormat(LANG, { style: "unit", unit, maximumFractionDigits: 1 }).format(size);
}

/**
 * Ask the service worker to keep the event's base map (the bounded list at `listUrl`) so
 * that the map still draws with no network, and say in `status` how much was stored.
 */
export async function storeBasemapForOffline(listUrl, status) {
  if (!listUrl || !("serviceWorker" in navigator) || !window.isSecureContext) return null;
  let answer;
  try {
    const registration = await navigator.serviceWorker.ready;
    if (!registration.active) return null;
    say(status, gettext("Keeping the map of the zone on this device for offline use…"));
    answer = await new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      registration.active.postMessage({ type: "basemap", url: listUrl }, [channel.port2]);
    });
  } catch (error) {
    answer = { ok: false, error: String(error) };
  }
  if (!answer.ok) {
    say(status, navigator.onLine
      ? gettext("The map could not be kept on this device: it needs the network to be drawn.")
      : "");
    return answer;
  }
  let text = interpolate(
    gettext("Map kept on this device for offline use: %(tiles)s tiles (%(size)s), zoom levels %(min)s to %(max)s."),
    { tiles: answer.stored_tiles, size: formatBytes(answer.bytes), min: answer.min_zoom, max: answer.max_zoom }, true);
  if (!answer.all_zooms) text += " " + gettext("Closer views enlarge the finest level kept.");
  if (answer.failed) {
    text += " " + interpolate(ngettext("%(count)s file could not be stored: it will be fetched again next time.",
      "%(count)s files could not be stored: they will be fetched again next time.", answer.failed), { count: answer.failed }, true);
  }
  say(status, text);
  status.dataset.stored = String(answer.stored_tiles);
  return answer;
}

/** Ask the service worker to drop its copies of private data ("leave on this device"). */
export function forgetCachedPrivateData() {
  if (navigator.serviceWorker && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage({ type: "forget" });
  }
}

/** The banner that says whether we are online, and what that means for contributions. */
export function watchNetwork(banner) {
  const show = () => {
    const offline = !navigator.onLine;
    banner.hidden = !offline;
    say(banner, offline
      ? gettext("You are offline. You can keep contributing: what you add stays on this device and is sent when the network is back.")
      : "");
    document.documentElement.classList.toggle("is-offline", offline);
  };
  window.addEventListener("online", show);
  window.addEventListener("offline", show);
  show();
}

function stateText(item) {
  if (item.state === "sending") return gettext("Sending…");
  if (item.state === "rejected") {
    return interpolate(gettext("Refused by the server, not stored: %(reason)s"), { reason: translateError(item.error) }, true);
  }
  return gettext("Kept on this device, not sent yet. It will be sent when the network is back.");
}

function outboxItem(item, { onRemove, onRetry }) {
  const actions = [];
  if (item.state === "rejected") {
    const retry = el("button", { type: "button", class: "button button--secondary button--small" },
      [gettext("Try again"), el("span", { class: "visually-hidden" }, ": " + item.label)]);
    retry.addEventListener("click", () => onRetry(item.id));
    actions.push(retry);
  }
  if (item.state !== "sending") {
    const remove = el("button", { type: "button", class: "button button--secondary button--small" },
      [gettext("Remove from this device"), el("span", { class: "visually-hidden" }, ": " + item.label)]);
    remove.addEventListener("click", () => {
      if (window.confirm(gettext("Remove this contribution from this device? It has not been stored by the server and will be lost."))) {
        onRemove(item.id);
      }
    });
    actions.push(remove);
  }
  return el("li", { class: "item outbox-item outbox-item--" + item.state, "data-state": item.state, "data-id": item.id }, [
    el("p", { class: "item__title" }, [item.label, " ",
      el("span", { class: "badge badge--" + item.state }, {
        waiting: gettext("Not sent yet"), sending: gettext("Sending"), rejected: gettext("Refused"),
      }[item.state] || item.state)]),
    el("p", { class: item.state === "rejected" ? "item__reason" : "item__meta" }, stateText(item)),
    el("p", { class: "item__meta" }, interpolate(gettext("Added on %(date)s"), { date: formatDateTime(item.createdAt) }, true)),
    actions.length ? el("p", { class: "actions" }, actions) : null,
  ]);
}

/** Show the outbox: what is not stored by the server yet, and why. */
export function renderOutbox(items, durable, actions) {
  const section = byId("outbox");
  const list = byId("outbox-list");
  const summary = byId("outbox-summary");
  section.hidden = items.length === 0;
  list.replaceChildren(...items.map((item) => outboxItem(item, actions)));
  const waiting = items.filter((i) => i.state !== "rejected").length;
  const refused = items.length - waiting;
  let text = "";
  if (waiting) text += interpolate(ngettext("%(count)s contribution waits to be sent.", "%(count)s contributions wait to be sent.", waiting), { count: waiting }, true);
  if (refused) text += (text ? " " : "") + interpolate(ngettext("%(count)s was refused.", "%(count)s were refused.", refused), { count: refused }, true);
  if (items.length && !durable) text += " " + gettext("This browser does not keep them if the page is closed: stay on this page until they are sent.");
  say(summary, text);
}
