/* The moderation queue, built for one person during a live event:
   j/k move, a accept, r reject (reason templates 1–9), m merge, x select, A/R bulk. */
import { island, post, text } from "./common.js";
import { zoneBasemap } from "./map.js";

const config = document.getElementById("moderation-config").dataset;
const items = island("queue-data");
// Codes → words in the page's language (statuses, channels), from the server.
const names = island("queue-names");
const statusName = (code) => names.status[code] || code;
const channelName = (code) => names.channel[code] || code;
const list = document.getElementById("queue");
const detail = document.getElementById("detail");
const announce = document.getElementById("announce");
const selected = new Set();
let current = 0;
let pending = null;  // what the open dialog acts on
const map = zoneBasemap("moderation-map");
const marker = map.layer("current", { layers: [
  { id: "current-area", type: "fill", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#3388ff", "fill-opacity": 0.2 } },
  { id: "current-line", type: "line", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#3388ff", "line-width": 3 } },
  { id: "current-point", type: "circle", filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-radius": 8, "circle-color": "#3388ff", "circle-opacity": 0.4, "circle-stroke-color": "#3388ff", "circle-stroke-width": 3 } },
] });
const NOTHING = { type: "FeatureCollection", features: [] };

function render() {
  list.replaceChildren();
  items.forEach((item, index) => {
    const li = document.createElement("li");
    li.className = "desk-item desk-item--" + item.status + (index === current ? " is-current" : "") +
      (selected.has(item.id) ? " is-selected" : "");
    li.dataset.id = item.id;
    li.dataset.status = item.status;
    li.setAttribute("aria-current", index === current ? "true" : "false");
    li.append(text("strong", item.label), text("span", " " + item.detail + " "),
      text("span", item.text, "desk-item__text"),
      text("small", " — " + item.author + " · " + channelName(item.channel) + " · " + statusName(item.status), ""));
    li.addEventListener("click", () => { current = index; render(); });
    list.append(li);
  });
  document.getElementById("queue-empty").hidden = items.length > 0;
  document.getElementById("selected-count").textContent = selected.size;
  showDetail();
}

function showDetail() {
  detail.replaceChildren();
  const item = items[current];
  marker.setData(NOTHING);
  if (!item) return;
  marker.setData({ type: "Feature", geometry: item.geometry, properties: {} });
  map.jumpTo({ center: [item.lon, item.lat], zoom: Math.max(map.getZoom(), 17) });
  detail.append(text("h2", item.label), text("p", item.text || ""), text("h3", config.msgHistory));
  const history = document.createElement("ol");
  item.history.forEach((h) => history.append(text("li",
    (h.from ? statusName(h.from) : "∅") + " → " + statusName(h.to) + (h.reason ? " : " + h.reason : "") + (h.by ? " (" + config.msgBy + " " + h.by + ")" : ""))));
  detail.append(history);
  const li = list.children[current];
  if (li) li.scrollIntoView({ block: "nearest" });
}

async function decide(targets, status, extra) {
  const payload = Object.assign({ status: status, items: targets.map((t) => ({ kind: t.kind, id: t.id, version: t.version })) }, extra || {});
  const answer = await post(config.actUrl, payload);
  const results = (answer.data && answer.data.results) || [];
  const errors = [];
  results.forEach((r) => {
    const item = items.find((i) => i.id === r.id);
    if (!item) return;
    if (r.ok) {
      item.status = r.status; item.version = r.version;
      item.history.push({ from: "", to: r.status, reason: (extra && extra.reason) || "", by: "" });
      selected.delete(item.id);
    } else {
      errors.push(item.label + " : " + r.error);
    }
  });
  if (!answer.ok && !results.length) errors.push(answer.data.detail || String(answer.status));
  announce.textContent = errors.length ? errors.join(" ; ") : config["msg" + status.charAt(0).toUpperCase() + status.slice(1)];
  detail.dataset.error = errors.join(" ; ");
  render();
  if (errors.length) detail.prepend(text("p", errors.join(" ; "), "desk-error"));
}

function targetsFor(bulk) {
  if (bulk) return items.filter((i) => selected.has(i.id));
  return items[current] ? [items[current]] : [];
}

const rejectDialog = document.getElementById("reject-dialog");
const reasonInput = document.getElementById("reject-reason");
function askReject(bulk) {
  const targets = targetsFor(bulk);
  if (!targets.length) return;
  pending = targets;
  reasonInput.value = "";
  rejectDialog.showModal();
}
function reject(reason) {
  rejectDialog.close();
  if (pending && reason.trim()) decide(pending, "rejected", { reason: reason });
  pending = null;
  list.focus();
}
rejectDialog.querySelectorAll("[data-reason]").forEach((b) => b.addEventListener("click", () => reject(b.dataset.reason)));
document.getElementById("reject-form").addEventListener("submit", () => reject(reasonInput.value));
document.getElementById("reject-cancel").addEventListener("click", () => { rejectDialog.close(); list.focus(); });
rejectDialog.addEventListener("keydown", (e) => {
  if (document.activeElement === reasonInput) return;
  const button = rejectDialog.querySelectorAll("[data-reason]")[Number(e.key) - 1];
  if (button) { e.preventDefault(); reject(button.dataset.reason); }
});

const mergeDialog = document.getElementById("merge-dialog");
const mergeTarget = document.getElementById("merge-target");
function askMerge() {
  const item = items[current];
  if (!item) return;
  const candidates = items.filter((i) => i.kind === item.kind && i.id !== item.id && i.status !== "merged" && i.status !== "rejected");
  if (!candidates.length) { announce.textContent = config.msgNoTarget; return; }
  mergeTarget.replaceChildren(...candidates.map((c) => {
    const o = text("option", c.label + " — " + c.author + " (" + c.text.slice(0, 30) + ")");
    o.value = c.id; return o;
  }));
  pending = [item];
  mergeDialog.showModal();
  mergeTarget.focus();
}
document.getElementById("merge-form").addEventListener("submit", () => {
  if (pending) decide(pending, "merged", { merged_into: mergeTarget.value });
  pending = null; list.focus();
});
mergeDialog.addEventListener("keydown", (e) => {
  if (e.key === "Enter") { e.preventDefault(); document.getElementById("merge-form").requestSubmit(); }
});
document.getElementById("merge-cancel").addEventListener("click", () => { mergeDialog.close(); list.focus(); });

document.getElementById("bulk-accept").addEventListener("click", () => decide(targetsFor(true), "accepted"));
document.getElementById("bulk-reject").addEventListener("click", () => askReject(true));

document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, select, textarea, dialog") || e.ctrlKey || e.metaKey || e.altKey) return;
  const keys = {
    j: () => { current = Math.min(current + 1, items.length - 1); render(); },
    k: () => { current = Math.max(current - 1, 0); render(); },
    a: () => decide(targetsFor(false), "accepted").then(() => { current = Math.min(current + 1, items.length - 1); render(); }),
    r: () => askReject(false),
    m: () => askMerge(),
    x: () => { const i = items[current]; if (i) { selected.has(i.id) ? selected.delete(i.id) : selected.add(i.id); render(); } },
    A: () => decide(targetsFor(true), "accepted"),
    R: () => askReject(true),
  };
  const action = keys[e.key];
  if (action) { e.preventDefault(); action(); }
});
render();
list.focus();
