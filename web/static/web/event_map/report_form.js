// "Report a nuisance": category, intensity 1–5, sources, when, optional comment.

import { byId, el } from "./dom.js";
import { localName, reportLabel } from "./labels.js";
import { setupSoundscapeForm } from "./soundscape_form.js";
import { FieldError, wireForm } from "./submit.js";

const pad = (n) => String(n).padStart(2, "0");

/** A Date as the value of a datetime-local input (local time, minutes). */
export function toLocalInput(date) {
  return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
    "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
}

/** A datetime-local value (local time) as ISO 8601 with the device's offset, e.g. +02:00. */
export function toIsoWithOffset(value) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return toLocalInput(date) + ":" + pad(date.getSeconds()) + sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
}

function renderSources(fieldset, container, category) {
  const sources = category ? Object.entries(category.sources) : [];
  container.replaceChildren(...sources.map(([id, names], index) => el("div", { class: "check" }, [
    el("input", { type: "checkbox", id: "source-" + index, name: "sources", value: id }),
    el("label", { for: "source-" + index }, localName(names, id)),
  ])));
  fieldset.hidden = sources.length === 0;
}

export function setupReportForm({ url, nearbyUrl, store, location, data, outbox, onSent, onExpired, soundscape = false }) {
  const form = byId("report-form");
  const select = byId("report-category");
  const observedAt = byId("observed-at");
  const sourcesFieldset = byId("sources-fieldset");
  const sourcesBox = byId("report-sources");
  for (const category of data.categories.values()) {
    select.append(el("option", { value: category.id }, localName(category.name, category.id)));
  }
  const soundscapePart = setupSoundscapeForm({
    container: byId("soundscape-part"), enabled: soundscape, category: () => select.value });
  const showSources = () => {
    renderSources(sourcesFieldset, sourcesBox, data.categories.get(select.value));
    soundscapePart.sync();
  };
  select.addEventListener("change", showSources);
  const now = () => {
    observedAt.value = toLocalInput(new Date());
    observedAt.max = toLocalInput(new Date(Date.now() + 60 * 60 * 1000));
  };
  now();

  wireForm({
    form,
    kind: "report",
    url,
    nearbyUrl,
    store,
    location,
    data,
    outbox,
    onSent,
    onExpired,
    fields: {
      category: "report-category",
      intensity: "intensity-1",
      sources: "sources-fieldset",
      observed_at: "observed-at",
      observed_until: "observed-at",
      comment: "report-comment",
      soundscape: "soundscape-part",
    },
    build() {
      if (!select.value) throw new FieldError(gettext("Choose the kind of nuisance."), "category");
      const intensity = form.querySelector("input[name=intensity]:checked");
      if (!intensity) throw new FieldError(gettext("Choose how strong it is, from 1 to 5."), "intensity");
      const observed = toIsoWithOffset(observedAt.value);
      if (!observed) throw new FieldError(gettext("Give the date and time when you noticed it."), "observed_at");
      const comment = byId("report-comment").value.trim();
      if (comment.length > 2000) throw new FieldError(gettext("The comment is limited to 2000 characters."), "comment");
      const answer = soundscapePart.value();
      return {
        category: select.value,
        intensity: Number(intensity.value),
        sources: [...sourcesBox.querySelectorAll("input:checked")].map((input) => input.value),
        observed_at: observed,
        comment,
        ...(answer ? { soundscape: answer } : {}),
      };
    },
    describe: (properties) => reportLabel(properties, data.categories),
    nearbyQuery: (properties) => ({ category: properties.category }),
    reset() {
      form.reset();
      soundscapePart.reset();
      showSources();
      now();
    },
  });
}
