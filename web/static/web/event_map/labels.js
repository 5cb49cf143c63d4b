// Words shown to people: localized names from the API data, statuses, dates.
// Every fixed string goes through gettext() (Django's JavaScript catalog).

export const LANG = (document.documentElement.lang || "fr").slice(0, 2).toLowerCase();

/** Pick the name in the page language from {en, fr} (or return a plain string). */
export function localName(names, fallback = "") {
  if (!names) return fallback;
  if (typeof names === "string") return names;
  return names[LANG] || names.en || names.fr || Object.values(names)[0] || fallback;
}

const STATUS = {
  received: gettext("Received, waiting for review"),
  accepted: gettext("Accepted"),
  merged: gettext("Merged: it was already on the map"),
  rejected: gettext("Rejected"),
  exported: gettext("Exported for OpenStreetMap"),
};

const STATUS_SHORT = {
  received: gettext("Received"),
  accepted: gettext("Accepted"),
  merged: gettext("Merged"),
  rejected: gettext("Rejected"),
  exported: gettext("Exported"),
};

/** The status as a badge says it (with what it means for the participant). */
export function statusLabel(status) {
  return STATUS[status] || status;
}

/** The status in one word, for the steps of a history. */
export function statusShort(status) {
  return STATUS_SHORT[status] || status;
}

const INTENSITY = {
  1: gettext("barely noticeable"),
  2: gettext("noticeable"),
  3: gettext("annoying"),
  4: gettext("very annoying"),
  5: gettext("unbearable"),
};

export function intensityLabel(value) {
  const word = INTENSITY[value];
  return word ? interpolate(gettext("%(value)s/5, %(word)s"), { value, word }, true) : String(value);
}

const BY = {
  participant: gettext("you"),
  moderator: gettext("an organiser"),
  mediator: gettext("a mediator"),
};

export function actorLabel(by) {
  return BY[by] || by || "";
}

// Values of the preset options (OpenStreetMap tag values); unknown ones are shown as they are.
const OPTIONS = {
  yes: gettext("yes"),
  no: gettext("no"),
  wood: gettext("wood"),
  metal: gettext("metal"),
  stone: gettext("stone"),
  concrete: gettext("concrete"),
  plastic: gettext("plastic"),
  trash: gettext("household waste"),
  dog_excrement: gettext("dog waste"),
  cigarettes: gettext("cigarettes"),
  organic: gettext("organic waste"),
  bubbler: gettext("bubbler"),
  bottle_refill: gettext("bottle refill"),
  drinking: gettext("drinking fountain"),
  designated: gettext("designed for wheelchairs"),
  limited: gettext("limited"),
  permissive: gettext("tolerated"),
  private: gettext("private"),
  customers: gettext("customers only"),
  flush: gettext("flush with the road"),
  lowered: gettext("lowered"),
  raised: gettext("raised"),
  rolled: gettext("rolled"),
  stands: gettext("stands"),
  wall_loops: gettext("wall loops"),
  shed: gettext("shed"),
  lockers: gettext("lockers"),
  building: gettext("building"),
  grass: gettext("grass"),
  sand: gettext("sand"),
  woodchips: gettext("woodchips"),
  rubber: gettext("rubber"),
  asphalt: gettext("asphalt"),
  gravel: gettext("gravel"),
  electric: gettext("electric"),
  gaslight: gettext("gas light"),
  broadleaved: gettext("broadleaved"),
  needleleaved: gettext("needleleaved"),
  leafless: gettext("leafless"),
  evergreen: gettext("evergreen"),
  deciduous: gettext("deciduous"),
  semi_evergreen: gettext("semi-evergreen"),
  semi_deciduous: gettext("semi-deciduous"),
};

export function optionLabel(value) {
  return OPTIONS[value] || String(value).split("_").join(" ");
}

let dateTime = new Intl.DateTimeFormat(LANG, { dateStyle: "medium", timeStyle: "short" });

/** Show times in the event's time zone (where the participants are), e.g. Europe/Paris. */
export function useTimeZone(timeZone) {
  try {
    dateTime = new Intl.DateTimeFormat(LANG, { dateStyle: "medium", timeStyle: "short", timeZone });
  } catch {
    // Unknown zone for this browser: keep the device's.
  }
}

export function formatDateTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso || "") : dateTime.format(date);
}

/** A participant's comment, quoted the way the page language quotes. */
export function quoted(text) {
  return interpolate(gettext("“%(text)s”"), { text }, true);
}

/** The label of a mapped feature: its preset name, else its name tag, else its first tag. */
export function featureLabel(properties, presetsById) {
  const preset = presetsById.get(properties.preset);
  const tags = properties.tags || {};
  const name = tags.name ? " (" + tags.name + ")" : "";
  if (preset) return localName(preset.name, preset.id) + name;
  if (tags.name) return tags.name;
  const first = Object.entries(tags)[0];
  return first ? first[0] + "=" + first[1] : gettext("Feature");
}

/** The label of a nuisance report: category and intensity. */
export function reportLabel(properties, categoriesById) {
  const category = categoriesById.get(properties.category);
  const name = category ? localName(category.name, category.id) : properties.category;
  return name + " — " + intensityLabel(properties.intensity);
}

/** The localized names of a report's perceived sources. */
export function sourceLabels(properties, categoriesById) {
  const category = categoriesById.get(properties.category);
  return (properties.sources || []).map((id) => localName(category && category.sources[id], id));
}

/** The reason of the latest rejection in a history, if the item stands rejected. */
export function rejectionReason(properties) {
  if (properties.status !== "rejected") return null;
  const steps = (properties.history || []).filter((step) => step.to === "rejected");
  return steps.length ? steps[steps.length - 1].reason : null;
}

const metres = new Intl.NumberFormat(LANG, { style: "unit", unit: "meter", maximumFractionDigits: 0 });

/** A distance in metres as the page language writes it ("12 m", "1 200 m"). */
export function formatMetres(value) {
  return metres.format(value);
}

/**
 * What an API refusal means, in the page language. The server already answers in the
 * language of the page (its cookie); these cover answers that are not about the input.
 */
export function translateError(error) {
  if (!error) return "";
  if (error.status === 0) return gettext("No connection to the server.");
  if (error.status === 401) return gettext("Your participation on this device is no longer valid: join again, then try again.");
  if (error.status === 413) return gettext("This contribution is too large.");
  return error.detail || gettext("The request was refused.");
}
