// The optional soundscape part of a noise report (ISO/TS 12913-2): eight perceived
// attributes, perceived loudness and overall quality, each 1–5. Shown only when the event
// offers it and the report is about noise; folded by default so the report stays short.

import { el } from "./dom.js";
import { FieldError } from "./submit.js";

// ISO/TS 12913-2 order (PAQ1…PAQ8), then loudness and overall quality.
const ATTRIBUTES = [
  ["pleasant", () => gettext("Pleasant")],
  ["chaotic", () => gettext("Chaotic")],
  ["vibrant", () => gettext("Vibrant")],
  ["uneventful", () => gettext("Uneventful")],
  ["calm", () => gettext("Calm")],
  ["annoying", () => gettext("Annoying")],
  ["eventful", () => gettext("Eventful")],
  ["monotonous", () => gettext("Monotonous")],
];

function scale(name, legend, hintId, ends) {
  const group = el("fieldset", { class: "fieldset soundscape-scale", id: "soundscape-" + name,
                                 "aria-describedby": hintId, "data-error": "soundscape-part-error" }, [
    el("legend", {}, legend),
  ]);
  const row = el("div", { class: "soundscape-row" });
  for (let value = 1; value <= 5; value += 1) {
    const id = "soundscape-" + name + "-" + value;
    const title = value === 1 ? ends[0] : value === 5 ? ends[1] : null;
    row.append(el("div", { class: "check soundscape-choice" }, [
      el("input", { type: "radio", id, name: "soundscape-" + name, value, "data-testid": id }),
      el("label", { for: id, title }, [String(value), title ? el("span", { class: "visually-hidden" }, " — " + title) : null]),
    ]));
  }
  group.append(row);
  return group;
}

/**
 * Build the soundscape part inside `container` (an empty element of the report form).
 * `enabled`: the event offers it; `category()`: the report's chosen category.
 * Returns { value(): the `soundscape` object or null (FieldError when half answered),
 *           reset(), sync(): show or hide it for the current category }.
 */
export function setupSoundscapeForm({ container, enabled, category }) {
  if (!container || !enabled) return { value: () => null, reset() {}, sync() {} };
  const agree = [gettext("strongly disagree"), gettext("strongly agree")];
  const intro = el("p", { id: "soundscape-hint", class: "hint" },
    gettext("To what extent do you agree that the sound environment here is… (1 strongly disagree, 5 strongly agree)"));
  const details = el("details", { class: "soundscape", "data-testid": "soundscape-part" }, [
    el("summary", {}, gettext("Describe the sound environment (optional, 1 minute)")),
    intro,
    ...ATTRIBUTES.map(([name, label]) => scale(name, label(), "soundscape-hint", agree)),
    el("p", { id: "soundscape-loudness-hint", class: "hint" }, gettext("1 not at all, 5 extremely")),
    scale("loudness", gettext("How loud is it here?"), "soundscape-loudness-hint",
          [gettext("not at all"), gettext("extremely")]),
    el("p", { id: "soundscape-overall-hint", class: "hint" }, gettext("1 very bad, 5 very good")),
    scale("overall", gettext("Overall, how would you describe the sound environment here?"),
          "soundscape-overall-hint", [gettext("very bad"), gettext("very good")]),
  ]);
  const error = el("p", { id: "soundscape-part-error", class: "field-error", "aria-live": "polite" });
  container.replaceChildren(details, error);
  const checked = (name) => {
    const input = container.querySelector(`input[name="soundscape-${name}"]:checked`);
    return input ? Number(input.value) : null;
  };
  const sync = () => { container.hidden = category() !== "noise"; };
  sync();
  return {
    sync,
    value() {
      if (container.hidden) return null;
      const answer = {};
      for (const [name] of ATTRIBUTES) answer[name] = checked(name);
      const given = Object.values(answer).filter((v) => v !== null).length;
      const loudness = checked("loudness");
      const overall = checked("overall");
      if (given === 0 && loudness === null && overall === null) return null;
      if (given < ATTRIBUTES.length) {
        details.open = true;
        const missing = ATTRIBUTES.find(([name]) => answer[name] === null);
        throw new FieldError(
          interpolate(gettext("Answer the eight words, or none of them: “%(word)s” has no answer yet."),
                      { word: missing[1]() }, true),
          "soundscape");
      }
      if (loudness !== null) answer.loudness = loudness;
      if (overall !== null) answer.overall = overall;
      return answer;
    },
    reset() {
      for (const input of container.querySelectorAll("input")) input.checked = false;
      details.open = false;
      sync();
    },
  };
}
