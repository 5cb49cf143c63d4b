// "Add a feature": a preset, its fields, optional free tags, consent to OpenStreetMap.

import { byId, el } from "./dom.js";
import { featureLabel, localName, optionLabel } from "./labels.js";
import { createPresetPicker } from "./preset_picker.js";
import { FieldError, wireForm } from "./submit.js";

/** One control for one preset field; its `data-key` is the OSM key it fills. */
function fieldControl(field, index) {
  const id = "preset-field-" + index;
  const label = localName(field.label, field.key);
  const common = { id, name: field.key, "data-key": field.key, "data-type": field.type };
  if (field.type === "check") {
    return el("div", { class: "field" }, el("div", { class: "check" }, [
      el("input", { ...common, type: "checkbox", value: "yes" }),
      el("label", { for: id }, label),
    ]));
  }
  let control;
  if (field.type === "combo" || field.type === "radio") {
    control = el("select", common, [
      el("option", { value: "" }, gettext("Not specified")),
      ...(field.options || []).map((option) => el("option", { value: option }, optionLabel(option))),
    ]);
  } else if (field.type === "number") {
    control = el("input", { ...common, type: "number", min: "0", step: "1", inputmode: "numeric" });
  } else if (field.type === "textarea") {
    control = el("textarea", { ...common, rows: "3" });
  } else {
    control = el("input", { ...common, type: "text" });
  }
  return el("div", { class: "field" }, [el("label", { for: id }, label), control]);
}

function renderFields(container, preset) {
  container.replaceChildren();
  if (!preset || !preset.fields.length) return;
  container.append(el("fieldset", { class: "fieldset" }, [
    el("legend", {}, interpolate(gettext("Details of the %(name)s (optional)"), { name: localName(preset.name, preset.id) }, true)),
    ...preset.fields.map(fieldControl),
  ]));
}

function fieldTags(container) {
  const tags = {};
  for (const control of container.querySelectorAll("[data-key]")) {
    if (control.type === "checkbox") {
      if (control.checked) tags[control.dataset.key] = "yes";
    } else if (control.value.trim() !== "") {
      tags[control.dataset.key] = control.value.trim();
    }
  }
  return tags;
}

/** "key=value" lines → tags; a wrong line is reported with its number. */
export function parseFreeTags(text) {
  const tags = {};
  text.split("\n").forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed) return;
    const at = trimmed.indexOf("=");
    const key = at > 0 ? trimmed.slice(0, at).trim() : "";
    const value = at > 0 ? trimmed.slice(at + 1).trim() : "";
    if (!key || !value) {
      throw new FieldError(interpolate(gettext("Line %(line)s: write key=value, for example surface=wood."), { line: index + 1 }, true), "tags");
    }
    tags[key] = value;
  });
  return tags;
}

export function setupFeatureForm({ url, nearbyUrl, store, location, data, outbox, icons, onSent, onExpired }) {
  const form = byId("feature-form");
  const container = byId("preset-fields");
  const picker = createPresetPicker({
    presets: data.presets,
    icons,
    onChange: (presetId) => renderFields(container, data.presets.get(presetId)),
  });

  wireForm({
    form,
    kind: "feature",
    url,
    nearbyUrl,
    store,
    location,
    data,
    outbox,
    onSent,
    onExpired,
    fields: { preset: "preset-fieldset", tags: "free-tags", consent_osm: "consent-osm", osm: "preset-fieldset" },
    build() {
      const preset = picker.value();
      if (preset === null) throw new FieldError(gettext("Choose what you are adding, or “Something else”."), "preset");
      const tags = { ...parseFreeTags(byId("free-tags").value), ...fieldTags(container) };
      if (!preset && !Object.keys(tags).length) {
        throw new FieldError(gettext("Write at least one tag, for example amenity=bench."), "tags");
      }
      return { preset, tags, consent_osm: byId("consent-osm").checked };
    },
    describe: (properties) => featureLabel(properties, data.presets),
    nearbyQuery: (properties) => (properties.preset ? { preset: properties.preset } : null),
    reset() {
      const preset = picker.value();
      form.reset();
      picker.set(preset); // mapping a series of benches is common: keep the choice
      picker.reset();
      renderFields(container, data.presets.get(preset));
    },
  });
}
