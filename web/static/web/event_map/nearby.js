// "Is it this one?": before sending, similar contributions nearby and existing OpenStreetMap
// elements of the same kind are shown, so the same bench is not mapped twice.

import { apiFetch } from "./api.js";
import { byId, el, say } from "./dom.js";
import { featureLabel, formatDateTime, formatMetres, localName, reportLabel, statusLabel } from "./labels.js";

const TIMEOUT_MS = 4000;

/**
 * Ask the server what is near. Resolves to {contributions: [...], osm: [...]} or null when
 * there is no network or no quick answer: suggestions never block a contribution.
 */
export async function lookNearby(url, { lon, lat, preset, category }) {
  if (!navigator.onLine) return null;
  const query = new URLSearchParams({ lon: String(lon), lat: String(lat) });
  if (preset) query.set("preset", preset);
  if (category) query.set("category", category);
  if (category) query.set("radius_m", "150"); // reports are shown rounded to ~100 m
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const { data } = await apiFetch(url + "?" + query, { signal: controller.signal });
    return { contributions: data.contributions.features, osm: data.osm };
  } catch {
    return null;
  } finally {
    window.clearTimeout(timer);
  }
}

function osmLabel(element, data) {
  const preset = [...data.presets.values()].find((p) =>
    Object.entries(p.tags || {}).every(([k, v]) => element.tags[k] === v));
  const name = element.tags.name ? " « " + element.tags.name + " »" : "";
  return (preset ? localName(preset.name, preset.id) : gettext("Object")) + name;
}

function tagLine(tags) {
  return Object.entries(tags || {}).map(([k, v]) => k + "=" + v).join(" · ");
}

/**
 * Show the suggestions and wait for the participant's answer. Resolves to
 * {action: "send"} | {action: "send", osm: {type, id, version}} | {action: "same", id} | {action: "cancel"}.
 */
export function askIsItThisOne(found, data, { kind }) {
  const panel = byId("nearby-panel");
  const list = byId("nearby-list");
  const intro = byId("nearby-intro");
  return new Promise((resolve) => {
    const finish = (answer) => {
      panel.hidden = true;
      list.replaceChildren();
      panel.removeEventListener("keydown", onKey);
      resolve(answer);
    };
    const onKey = (event) => {
      if (event.key === "Escape") finish({ action: "cancel" });
    };
    const choice = (text, hidden, answer) => {
      const button = el("button", { type: "button", class: "button button--secondary" },
        [text, hidden ? el("span", { class: "visually-hidden" }, ": " + hidden) : null]);
      button.addEventListener("click", () => finish(answer));
      return button;
    };
    const items = [];
    for (const item of found.contributions) {
      const p = item.properties;
      const label = kind === "report" ? reportLabel(p, data.categories) : featureLabel(p, data.presets);
      const distance = interpolate(kind === "report" ? gettext("about %(distance)s away") : gettext("%(distance)s away"),
        { distance: formatMetres(p.distance_m) }, true);
      items.push(el("li", { class: "item" }, [
        el("p", { class: "item__title" }, label),
        el("p", { class: "item__meta" }, [distance, " · ", statusLabel(p.status), " · ",
          interpolate(gettext("added on %(date)s"), { date: formatDateTime(p.created_at) }, true)]),
        kind === "feature" && tagLine(p.tags) ? el("p", { class: "item__tags" }, tagLine(p.tags)) : null,
        choice(kind === "report" ? gettext("Yes, it was already reported: do not send mine") : gettext("Yes, it is already on the map: do not send mine"),
          label, { action: "same", id: item.id }),
      ]));
    }
    for (const element of found.osm) {
      const label = osmLabel(element, data);
      items.push(el("li", { class: "item" }, [
        el("p", { class: "item__title" }, [label, " ", el("span", { class: "badge badge--osm" }, "OpenStreetMap")]),
        el("p", { class: "item__meta" }, interpolate(gettext("%(distance)s away, already in OpenStreetMap"), { distance: formatMetres(element.distance_m) }, true)),
        tagLine(element.tags) ? el("p", { class: "item__tags" }, tagLine(element.tags)) : null,
        choice(gettext("Yes, it is this one: add my details to it"), label,
          { action: "send", osm: { type: element.type, id: element.id, version: element.version } }),
      ]));
    }
    list.replaceChildren(...items);
    say(intro, interpolate(ngettext(
      "Something similar is already known nearby. Is it the one you are adding?",
      "%(count)s similar things are already known nearby. Is one of them the one you are adding?",
      items.length), { count: items.length }, true));
    const actions = byId("nearby-actions");
    actions.replaceChildren(
      choice(kind === "report" ? gettext("No, mine is different: send it") : gettext("No, it is a different one: send mine"), null, { action: "send" }),
      choice(gettext("Back to the form"), null, { action: "cancel" }),
    );
    actions.firstChild.classList.remove("button--secondary");
    actions.firstChild.dataset.testid = "nearby-different";
    panel.hidden = false;
    panel.addEventListener("keydown", onKey);
    byId("nearby-title").focus();
    panel.scrollIntoView({ block: "start" });
  });
}
