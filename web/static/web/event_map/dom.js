// Small DOM helpers. User data is only ever put in the page as text, never as HTML.

/**
 * Create an element: el("li", {class: "x", "data-id": 3}, ["text", otherElement]).
 * Attributes set to null/undefined/false are skipped; `true` sets an empty attribute.
 */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function byId(id) {
  return document.getElementById(id);
}

/** Show `message` in an element (a live region); hide the element when empty. */
export function say(node, message) {
  node.textContent = message || "";
  node.classList.toggle("is-empty", !message);
}

/**
 * Error display of one form. `fields` maps an API field name (its first segment) to the id
 * of the control; the control's live region is `<id>-error`, or the id in its data-error.
 */
export function formErrors(form, fields) {
  const formError = byId(form.id + "-error");
  const regionOf = (control) => byId(control.dataset.error || control.id + "-error");
  const controlFor = (field) => {
    if (!field) return null;
    const id = fields[field] || fields[String(field).split(".")[0]];
    return id ? byId(id) : null;
  };
  return {
    clear() {
      say(formError, "");
      for (const id of new Set(Object.values(fields))) {
        const control = byId(id);
        if (!control) continue;
        control.removeAttribute("aria-invalid");
        const region = regionOf(control);
        if (region) say(region, "");
      }
    },
    /** Show one error next to its field (or at the top of the form); focus the field. */
    show(message, field = null, { focus = true } = {}) {
      const control = controlFor(field);
      const region = control ? regionOf(control) : null;
      if (!control || !region) {
        say(formError, message);
        return;
      }
      say(region, message);
      control.setAttribute("aria-invalid", "true");
      if (focus) control.focus();
    },
  };
}

/** Call `fn` once `wait` ms have passed without a new call. */
export function debounce(fn, wait) {
  let timer = null;
  return (...args) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => fn(...args), wait);
  };
}
