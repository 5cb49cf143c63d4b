// HTTP calls to the Cartoparty API, the participant's saved credentials, client ids.

/** An API answer that is not 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(status, detail, field = null, code = null) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.field = field;
    this.code = code;
  }
}

function cookie(name) {
  const prefix = name + "=";
  for (const part of document.cookie.split(";")) {
    const item = part.trim();
    if (item.startsWith(prefix)) return decodeURIComponent(item.slice(prefix.length));
  }
  return null;
}

function fallbackDetail(status) {
  if (status === 429) return gettext("Too many attempts. Please wait a moment and try again.");
  if (status >= 500) return gettext("The server had a problem. Please try again in a moment.");
  return gettext("The request was refused.");
}

/**
 * Call the API with JSON in and out. Resolves to {status, data}; rejects with ApiError
 * (or an AbortError when `signal` aborts).
 */
export async function apiFetch(url, { method = "GET", body, token, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = "Bearer " + token;
  const csrf = cookie("csrftoken");
  if (method !== "GET" && csrf) headers["X-CSRFToken"] = csrf;
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: "same-origin",
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, gettext("No connection to the server. Check your network and try again: nothing is lost."), null, "network");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = (data && data.detail) || fallbackDetail(response.status);
    throw new ApiError(response.status, detail, (data && data.field) || null, (data && data.code) || null);
  }
  return { status: response.status, data };
}

/** A random UUID, also on plain-http pages where crypto.randomUUID is missing. */
export function newId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

/**
 * The participant's token, follow link and pseudonym, kept in localStorage per event
 * (in memory only when the browser refuses storage, e.g. some private modes).
 */
export function credentials(slug) {
  const memory = {};
  const key = (name) => "cartoparty:" + slug + ":" + name;
  const read = (name) => {
    try {
      const value = window.localStorage.getItem(key(name));
      if (value !== null) return value;
    } catch {
      // Storage is unavailable: fall back to memory.
    }
    return memory[name] || null;
  };
  const write = (name, value) => {
    memory[name] = value;
    try {
      window.localStorage.setItem(key(name), value);
      return true;
    } catch {
      return false;
    }
  };
  return {
    get token() {
      return read("token");
    },
    get followUrl() {
      return read("follow_url");
    },
    get pseudonym() {
      return read("pseudonym");
    },
    /** Returns false when the browser would not keep them after the page is closed. */
    save({ token, follow_url: followUrl, pseudonym }) {
      const kept = [write("token", token), write("follow_url", followUrl || ""), write("pseudonym", pseudonym || "")];
      return kept.every(Boolean);
    },
    clear() {
      for (const name of ["token", "follow_url", "pseudonym"]) {
        delete memory[name];
        try {
          window.localStorage.removeItem(key(name));
        } catch {
          // Storage is unavailable: only memory held them.
        }
      }
    },
  };
}
