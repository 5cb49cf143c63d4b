// What both contribution forms share: location, token, idempotent id, errors, feedback.

import { ApiError, apiFetch, newId } from "./api.js";
import { el, formErrors, say } from "./dom.js";

/** A thrown FieldError is shown next to its field instead of being sent. */
export class FieldError extends Error {
  constructor(message, field) {
    super(message);
    this.field = field;
  }
}

function receivedMessage(feedback) {
  const link = el("a", { href: "#my-contributions" }, gettext("My contributions"));
  feedback.replaceChildren(
    gettext("Received — an organiser will review it."), " ",
    gettext("Follow it in"), " ", link, ".",
  );
  feedback.classList.remove("is-empty");
}

/**
 * Wire a contribution form. `build(location)` returns the GeoJSON properties (or throws a
 * FieldError); `reset()` clears the form after a success; `onSent()` refreshes the page data.
 * The client id is kept across retries after a network failure, so a retry stores once.
 */
export function wireForm({ form, fields, url, store, location, build, reset, onSent, onExpired }) {
  const errors = formErrors(form, { geometry: "lat", ...fields });
  const submit = form.querySelector("button[type=submit]");
  const feedback = form.querySelector("[role=status]");
  let pendingId = null;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.clear();
    say(feedback, "");
    const token = store.token;
    if (!token) {
      onExpired();
      return;
    }
    const where = location.read();
    if (!where) return;
    let properties;
    try {
      properties = build();
    } catch (error) {
      if (error instanceof FieldError) return errors.show(error.message, error.field);
      throw error;
    }
    pendingId = pendingId || newId();
    const body = {
      type: "Feature",
      id: pendingId,
      geometry: { type: "Point", coordinates: [where.lon, where.lat] },
      properties,
    };
    submit.disabled = true;
    say(feedback, gettext("Sending…"));
    try {
      await apiFetch(url, { method: "POST", body, token });
      pendingId = null;
      receivedMessage(feedback);
      reset();
      location.clear();
      onSent();
    } catch (error) {
      say(feedback, "");
      if (!(error instanceof ApiError)) throw error;
      // Refused (4xx): nothing was stored, a corrected form gets a new id. No answer or a
      // server failure: the same id is sent again, so a retry cannot store it twice.
      if (error.status >= 400 && error.status < 500) pendingId = null;
      if (error.status === 401) {
        onExpired();
        return;
      }
      errors.show(error.detail, error.field);
    } finally {
      submit.disabled = false;
    }
  });
}
