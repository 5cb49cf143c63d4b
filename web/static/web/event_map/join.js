// Joining the event (code + pseudonym + consent) and the "you take part as…" panel.

import { apiFetch } from "./api.js";
import { byId, formErrors, say } from "./dom.js";
import { forgetCachedPrivateData } from "./offline.js";
import { profileAnswers } from "./profile.js";

const FIELDS = { join_code: "join-code", pseudonym: "pseudonym", consent: "join-consent", profile: "profile-step" };

// The refusals a participant meets most, in the page language (the API answers in English).
const KNOWN_ERRORS = {
  "notAllowed:join_code": gettext("This is not the code of this carto-party: check it with the organisers."),
  "conflict:pseudonym": gettext("This pseudonym is already used in this carto-party: choose another one."),
};

/**
 * The join code carried by a scanned QR code (…/events/<slug>/#code=ABC, or ?code=ABC);
 * removed from the address bar so it does not stay in bookmarks.
 */
function codeFromAddress() {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const query = new URLSearchParams(window.location.search);
  const code = hash.get("code") || query.get("code");
  if (code) {
    query.delete("code");
    const rest = query.toString();
    window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : ""));
  }
  return code;
}

/**
 * Wire the join form. `onChange(joined)` runs at start and whenever the participant joins
 * or leaves on this device.
 */
export function setupJoin({ url, store, onChange }) {
  const form = byId("join-form");
  const panel = byId("joined-panel");
  const errors = formErrors(form, FIELDS);
  const submit = byId("join-submit");
  const followLink = byId("follow-link");
  const copyButton = byId("copy-follow");
  const joinedStatus = byId("joined-status");

  function render() {
    const joined = Boolean(store.token);
    form.hidden = joined;
    panel.hidden = !joined;
    if (joined) {
      byId("joined-pseudonym").textContent = store.pseudonym || "";
      const follow = store.followUrl;
      byId("follow-block").hidden = !follow;
      if (follow) followLink.href = follow;
      copyButton.hidden = !(navigator.clipboard && window.isSecureContext);
    }
    onChange(joined);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.clear();
    const joinCode = byId("join-code").value.trim();
    const pseudonym = byId("pseudonym").value.trim();
    if (!joinCode) return errors.show(gettext("Enter the join code given by the organisers."), "join_code");
    if (pseudonym.length < 2 || pseudonym.length > 40) {
      return errors.show(gettext("Choose a pseudonym of 2 to 40 characters."), "pseudonym");
    }
    if (!byId("join-consent").checked) {
      return errors.show(gettext("Please read the terms and tick the box to take part."), "consent");
    }
    submit.disabled = true;
    try {
      const body = { join_code: joinCode, pseudonym };
      const profile = profileAnswers(form);
      if (profile) body.profile = profile;
      const { data } = await apiFetch(url, { method: "POST", body });
      const kept = store.save(data);
      form.reset();
      render();
      say(joinedStatus, kept
        ? gettext("Welcome! You can now add features and report nuisances.")
        : gettext("Welcome! This browser will forget you when the page is closed: keep your follow link."));
      byId("participation-title").focus();
    } catch (error) {
      errors.show(KNOWN_ERRORS[error.code + ":" + error.field] || error.detail || String(error), error.field);
    } finally {
      submit.disabled = false;
    }
  });

  byId("forget-me").addEventListener("click", () => {
    const ok = window.confirm(gettext("Leave on this device? You will need your private follow link to see your contributions, and to join again to add more."));
    if (!ok) return;
    store.clear();
    forgetCachedPrivateData();
    render();
    byId("join-code").focus();
  });

  copyButton.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(store.followUrl);
      say(joinedStatus, gettext("Link copied."));
    } catch {
      say(joinedStatus, gettext("The link could not be copied: press it for a while or bookmark it."));
    }
  });

  const scanned = codeFromAddress();
  if (scanned) {
    byId("join-code").value = scanned;
    say(byId("join-code-hint"), gettext("The code comes from the QR code you scanned."));
  }

  render();
  return {
    /** The saved token was refused by the server: forget it and ask to join again. */
    expired() {
      store.clear();
      render();
      say(byId("join-form-error"), gettext("Your participation on this device is no longer valid. Please join again."));
    },
  };
}
