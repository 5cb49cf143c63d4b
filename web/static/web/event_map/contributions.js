// "My contributions": the participant's own features and reports with their history.

import { ApiError, apiFetch } from "./api.js";
import { byId, el, say } from "./dom.js";
import { actorLabel, featureLabel, formatDateTime, quoted, rejectionReason, reportLabel, sourceLabels, statusShort } from "./labels.js";
import { statusBadge } from "./list_view.js";

function historyList(history) {
  return el("ol", { class: "history" }, (history || []).map((step) => {
    const text = step.from
      ? interpolate(gettext("%(from)s → %(to)s"), { from: statusShort(step.from), to: statusShort(step.to) }, true)
      : statusShort(step.to);
    const by = actorLabel(step.by);
    return el("li", {}, [
      el("time", { datetime: step.at }, formatDateTime(step.at)), " — ", text,
      by ? " (" + interpolate(gettext("by %(who)s"), { who: by }, true) + ")" : "",
      step.reason ? el("span", { class: "history__reason" }, [" — ", gettext("Reason:"), " ", step.reason]) : null,
    ]);
  }));
}

/** What the participant sent: the tags of a feature, or the sources and comment of a report. */
function details(props, data) {
  if (props.kind === "report") {
    const sources = sourceLabels(props, data.categories).join(", ");
    return [
      sources ? el("p", {}, gettext("Sources:") + " " + sources) : null,
      props.comment ? el("p", { class: "item__comment" }, quoted(props.comment)) : null,
    ];
  }
  const tags = Object.entries(props.tags || {}).map(([k, v]) => k + "=" + v).join(" · ");
  return [tags ? el("p", { class: "item__tags" }, tags) : null];
}

function item(feature, label, data) {
  const props = feature.properties;
  const reason = rejectionReason(props);
  return el("li", { class: "item" }, [
    el("p", { class: "item__title" }, [label, " ", statusBadge(props.status)]),
    el("p", { class: "item__meta" }, interpolate(gettext("Sent on %(date)s"), { date: formatDateTime(props.created_at) }, true)),
    reason ? el("p", { class: "item__reason" }, [el("strong", {}, gettext("Why it was rejected:")), " ", reason]) : null,
    ...details(props, data),
    el("details", {}, [el("summary", {}, gettext("History")), historyList(props.history)]),
  ]);
}

function group(title, collection, label, empty, data) {
  const items = collection.features.map((f) => item(f, label(f.properties), data));
  return [
    el("h3", {}, title),
    items.length ? el("ul", { class: "item-list" }, items) : el("p", {}, empty),
  ];
}

export function setupContributions({ url, store, data, onExpired }) {
  const section = byId("my-contributions");
  const list = byId("mine-list");
  const status = byId("mine-status");

  async function load() {
    const token = store.token;
    section.hidden = !token;
    if (!token) return;
    say(status, gettext("Loading your contributions…"));
    try {
      const { data: mine } = await apiFetch(url, { token });
      list.replaceChildren(
        ...group(gettext("Features"), mine.features, (p) => featureLabel(p, data.presets), gettext("You have not added any feature yet."), data),
        ...group(gettext("Nuisance reports"), mine.reports, (p) => reportLabel(p, data.categories), gettext("You have not reported any nuisance yet."), data),
      );
      const total = mine.features.features.length + mine.reports.features.length;
      say(status, interpolate(ngettext("%(count)s contribution.", "%(count)s contributions.", total), { count: total }, true));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        onExpired();
        return;
      }
      say(status, error.detail || String(error));
    }
  }

  byId("mine-refresh").addEventListener("click", load);
  return { load };
}
