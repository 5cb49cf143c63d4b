// The list of what the map shows: the path that needs no map (screen readers, keyboards).

import { el, say } from "./dom.js";
import { featureLabel, formatDateTime, quoted, rejectionReason, reportLabel, sourceLabels, statusLabel } from "./labels.js";

export function statusBadge(status) {
  return el("span", { class: "badge badge--" + status }, statusLabel(status));
}

function tagList(tags) {
  const entries = Object.entries(tags || {});
  if (!entries.length) return null;
  return el("p", { class: "item__tags" }, entries.map(([k, v]) => k + "=" + v).join(" · "));
}

function showButton(feature, label, onReveal) {
  const button = el("button", { type: "button", class: "button button--secondary button--small" },
    [gettext("Show on the map"), el("span", { class: "visually-hidden" }, ": " + label)]);
  button.addEventListener("click", () => onReveal(feature.id));
  return button;
}

function featureItem(feature, data, onReveal) {
  const props = feature.properties;
  const label = featureLabel(props, data.presets);
  const reason = rejectionReason(props);
  return el("li", { class: "item", "data-id": feature.id }, [
    el("p", { class: "item__title" }, [label, " ", statusBadge(props.status)]),
    reason ? el("p", { class: "item__reason" }, gettext("Reason:") + " " + reason) : null,
    tagList(props.tags),
    showButton(feature, label, onReveal),
  ]);
}

function reportItem(feature, data, onReveal) {
  const props = feature.properties;
  const label = reportLabel(props, data.categories);
  const sources = sourceLabels(props, data.categories).join(", ");
  return el("li", { class: "item", "data-id": feature.id }, [
    el("p", { class: "item__title" }, [label, " ", statusBadge(props.status)]),
    sources ? el("p", {}, gettext("Sources:") + " " + sources) : null,
    el("p", { class: "item__meta" }, gettext("Noticed:") + " " + formatDateTime(props.observed_at)),
    props.comment ? el("p", { class: "item__comment" }, quoted(props.comment)) : null,
    showButton(feature, label, onReveal),
  ]);
}

/**
 * Fill the two lists and announce their sizes; `partial`: a list holds only the first page of
 * the visible area (a large event's map draws everything from its tiles, the lists cannot).
 */
export function renderLists({ featureList, reportList, summary }, features, reports, data, onReveal, { partial = false } = {}) {
  const nf = features.features.length;
  const nr = reports.features.length;
  featureList.replaceChildren(...features.features.map((f) => featureItem(f, data, onReveal)));
  reportList.replaceChildren(...reports.features.map((r) => reportItem(r, data, onReveal)));
  if (!nf) featureList.append(el("li", { class: "item item--empty" }, gettext("No feature in the visible area yet.")));
  if (!nr) reportList.append(el("li", { class: "item item--empty" }, gettext("No nuisance report in the visible area yet.")));
  say(summary, interpolate(
    ngettext("%(features)s feature", "%(features)s features", nf) + ", " +
    ngettext("%(reports)s nuisance report", "%(reports)s nuisance reports", nr) + " " +
    gettext("in the visible area of the map.") +
    (partial ? " " + gettext("The map shows them all; these lists hold only the first ones: zoom in to list every one.") : ""),
    { features: nf, reports: nr }, true));
}
