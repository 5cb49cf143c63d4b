// Choosing what one adds: presets with icons and names in the page language, a search box
// (names and synonyms in French and English, accents ignored) and "something else".

import { byId, el, say } from "./dom.js";
import { LANG, localName } from "./labels.js";

/** Lower case, accents removed: "Réverbère" and "reverbere" match. */
export function fold(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function searchText(preset) {
  const words = [preset.id, ...Object.values(preset.name || {})];
  for (const terms of Object.values(preset.terms || {})) words.push(...terms);
  words.push(...Object.entries(preset.tags || {}).map(([k, v]) => k + "=" + v));
  return fold(words.join(" "));
}

/**
 * Fill #preset-options with one radio per preset a point can have. `onChange(presetId)`
 * runs when the choice changes ("" for "something else").
 */
export function createPresetPicker({ presets, icons, onChange }) {
  const search = byId("preset-search");
  const options = byId("preset-options");
  const status = byId("preset-search-status");
  const usable = [...presets.values()]
    .filter((p) => p.geometry.includes("point") || p.geometry.includes("vertex"))
    .sort((a, b) => localName(a.name).localeCompare(localName(b.name), LANG));
  const rows = usable.map((preset, index) => {
    const id = "preset-option-" + index;
    const icon = icons[preset.id];
    const row = el("div", { class: "preset-option", "data-search": searchText(preset) }, [
      el("input", { type: "radio", name: "preset", id, value: preset.id, "data-testid": "preset-" + preset.id }),
      el("label", { for: id }, [
        icon ? el("img", { src: icon, alt: "", width: "24", height: "24", class: "preset-option__icon" }) : null,
        el("span", {}, localName(preset.name, preset.id)),
      ]),
    ]);
    return row;
  });
  const other = el("div", { class: "preset-option preset-option--other", "data-search": "" }, [
    el("input", { type: "radio", name: "preset", id: "preset-option-other", value: "", "data-testid": "preset-other" }),
    el("label", { for: "preset-option-other" }, el("span", {}, gettext("Something else: I write the tags myself"))),
  ]);
  options.replaceChildren(...rows, other);

  function filter() {
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const match = words.every((w) => row.dataset.search.includes(w));
      const checked = row.querySelector("input").checked;
      row.hidden = !match && !checked; // the current choice never disappears
      if (match) shown += 1;
    }
    say(status, words.length
      ? interpolate(ngettext("%(count)s match.", "%(count)s matches.", shown), { count: shown }, true)
      : "");
  }
  search.addEventListener("input", filter);
  search.addEventListener("keydown", (event) => {
    // Enter in the search box picks the first match instead of sending the form.
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = rows.find((row) => !row.hidden) || other;
    const radio = first.querySelector("input");
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    radio.focus();
  });
  options.addEventListener("change", () => onChange(api.value()));

  const api = {
    value() {
      const checked = options.querySelector("input[name=preset]:checked");
      return checked ? checked.value : null;
    },
    set(value) {
      for (const radio of options.querySelectorAll("input[name=preset]")) radio.checked = radio.value === value;
      filter();
    },
    reset() {
      search.value = "";
      filter();
    },
  };
  return api;
}
