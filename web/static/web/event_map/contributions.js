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

function item(feature, label, data, onDelete) {
  const props = feature.properties;
  const reason = rejectionReason(props);
  const remove = el("button", { type: "button", class: "button button--secondary button--small button--danger" },
    [gettext("Delete"), el("span", { class: "visually-hidden" }, ": " + label)]);
  remove.addEventListener("click", () => onDelete(feature.id, label));
  return el("li", { class: "item", "data-id": feature.id }, [
    el("p", { class: "item__title" }, [label, " ", statusBadge(props.status)]),
    el("p", { class: "item__meta" }, interpolate(gettext("Sent on %(date)s"), { date: formatDateTime(props.created_at) }, true)),
    reason ? el("p", { class: "item__reason" }, [el("strong", {}, gettext("Why it was rejected:")), " ", reason]) : null,
    ...details(props, data),
    el("details", {}, [el("summary", {}, gettext("History")), historyList(props.history)]),
    remove,
  ]);
}

function group(title, collection, label, empty, data, onDelete) {
  const items = collection.features.map((f) => item(f, label(f.properties), data, onDelete));
  return [
    el("h3", {}, title),
    items.length ? el("ul", { class: "item-list" }, items) : el("p", {}, empty),
  ];
}

/**
 * The "My contributions" section; `onLoaded({features, reports})` receives what was read
 * (null once the participant has left), which the map draws exact over its data tiles.
 */
export function setupContributions({ url, exportUrl, slug, store, data, onExpired, onDeleted, onLoaded = () => null }) {
  const section = byId("my-contributions");
  const list = byId("mine-list");
  const status = byId("mine-status");

  async function load() {
    const token = store.token;
    section.hidden = !token;
    if (!token) {
      onLoaded(null);
      return;
    }
    say(status, gettext("Loading your contributions…"));
    try {
      const { data: mine } = await apiFetch(url, { token });
      onLoaded(mine);
      list.replaceChildren(
        ...group(gettext("Features"), mine.features, (p) => featureLabel(p, data.presets), gettext("You have not added any feature yet."), data, removeOne),
        ...group(gettext("Nuisance reports"), mine.reports, (p) => reportLabel(p, data.categories), gettext("You have not reported any nuisance yet."), data, removeOne),
      );
      const total = mine.features.features.length + mine.reports.features.length;
      byId("mine-delete-all").hidden = total === 0;
      byId("mine-export").hidden = total === 0;
      say(status, interpolate(ngettext("%(count)s contribution.", "%(count)s contributions.", total), { count: total }, true));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        onExpired();
        return;
      }
      say(status, error.detail || String(error));
    }
  }

  async function guarded(action, failure) {
    const token = store.token;
    if (!token) return onExpired();
    try {
      await action(token);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return onExpired();
      say(status, error instanceof ApiError && error.status === 0
        ? gettext("This needs a network connection. Try again when you are online.")
        : failure + " " + (error.detail || String(error)));
    }
  }

  function removeOne(id, label) {
    const question = interpolate(gettext("Delete “%(label)s” for good? The organisers will no longer see it."), { label }, true);
    if (!window.confirm(question)) return;
    guarded(async (token) => {
      await apiFetch(url + encodeURIComponent(id) + "/", { method: "DELETE", token });
      say(status, interpolate(gettext("“%(label)s” was deleted."), { label }, true));
      onDeleted();
      await load();
    }, gettext("It could not be deleted."));
  }

  byId("mine-delete-all").addEventListener("click", () => {
    if (!window.confirm(gettext("Delete all your contributions to this carto-party for good?"))) return;
    guarded(async (token) => {
      const { data: answer } = await apiFetch(url, { method: "DELETE", token });
      onDeleted();
      await load();
      say(status, interpolate(ngettext("%(count)s contribution was deleted.", "%(count)s contributions were deleted.", answer.deleted), { count: answer.deleted }, true));
    }, gettext("They could not be deleted."));
  });

  byId("mine-export").addEventListener("click", () => guarded(async (token) => {
    const { data: collection } = await apiFetch(exportUrl, { token });
    const blob = new Blob([JSON.stringify(collection, null, 1)], { type: "application/geo+json" });
    const link = el("a", { href: URL.createObjectURL(blob), download: "cartoparty-" + slug + ".geojson", hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    say(status, gettext("Your contributions were downloaded as a GeoJSON file."));
  }, gettext("The download failed.")));

  byId("mine-refresh").addEventListener("click", load);
  return { load };
}
