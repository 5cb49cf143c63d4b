// What both contribution forms share: location, token, client id, "is it this one?",
// sending now or keeping it in the outbox, errors and honest feedback.

import { ApiError, apiFetch, newId } from "./api.js";
import { el, formErrors, say } from "./dom.js";
import { askIsItThisOne, lookNearby } from "./nearby.js";

/** A thrown FieldError is shown next to its field instead of being sent. */
export class FieldError extends Error {
  constructor(message, field) {
    super(message);
    this.field = field;
  }
}

function linkMessage(feedback, text, target, linkText) {
  feedback.replaceChildren(text, " ", el("a", { href: target }, linkText));
  feedback.classList.remove("is-empty");
}

function isTransient(error) {
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/**
 * Wire a contribution form. `build()` returns the GeoJSON properties (or throws a
 * FieldError); `describe(properties)` names the contribution for the outbox;
 * `nearbyQuery(properties)` says what to look for nearby; `reset()` clears the form.
 * The client id is kept until the server has answered, so no retry can store it twice.
 */
export function wireForm({ form, kind, fields, url, nearbyUrl, store, location, data, outbox,
  build, describe, nearbyQuery, reset, onSent, onExpired }) {
  const errors = formErrors(form, { geometry: "lat", ...fields });
  const submit = form.querySelector("button[type=submit]");
  const feedback = form.querySelector("[role=status]");
  let pendingId = null;

  function done() {
    pendingId = null;
    reset();
    location.clear();
  }

  async function keep(body, properties) {
    await outbox.add({ id: body.id, kind, url, body, label: describe(properties) });
    done();
    linkMessage(feedback,
      gettext("Kept on this device, not sent yet: it will be sent when the network is back."),
      "#outbox", gettext("See what waits to be sent"));
  }

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
    submit.disabled = true;
    try {
      const query = nearbyQuery(properties);
      let found = null;
      if (query && navigator.onLine) {
        say(feedback, gettext("Looking for similar contributions nearby…"));
        found = await lookNearby(nearbyUrl, { lon: where.lon, lat: where.lat, ...query });
        say(feedback, "");
      }
      if (found && (found.contributions.length || found.osm.length)) {
        const answer = await askIsItThisOne(found, data, { kind });
        if (answer.action === "cancel") {
          submit.focus();
          return;
        }
        if (answer.action === "same") {
          done();
          say(feedback, gettext("Not sent: it is already known. Thank you for checking!"));
          submit.focus();
          return;
        }
        if (answer.osm) properties = { ...properties, osm: answer.osm };
      }
      const body = {
        type: "Feature",
        id: pendingId,
        geometry: { type: "Point", coordinates: [where.lon, where.lat] },
        properties,
      };
      if (!navigator.onLine) {
        await keep(body, properties);
        return;
      }
      say(feedback, gettext("Sending…"));
      let answer;
      try {
        answer = await apiFetch(url, { method: "POST", body, token });
      } catch (error) {
        say(feedback, "");
        if (!(error instanceof ApiError)) throw error;
        // No answer, or the server failed: keep it, same id, and send it later.
        if (isTransient(error)) return await keep(body, properties);
        // Refused (4xx): nothing was stored; a corrected form gets a new id.
        pendingId = null;
        if (error.status === 401) return onExpired();
        return errors.show(error.detail, error.field);
      }
      done();
      linkMessage(feedback, gettext("Received by the server — an organiser will review it. Follow it in"),
        "#my-contributions", gettext("My contributions"));
      // Stored, with notes of the tag rules (e.g. a name JOSM finds too long): say them.
      const notes = (answer.data && answer.data.warnings) || [];
      if (notes.length) feedback.append(el("ul", { class: "feedback__warnings" }, notes.map((w) => el("li", {}, w.message))));
      onSent();
    } finally {
      submit.disabled = false;
    }
  });
}
