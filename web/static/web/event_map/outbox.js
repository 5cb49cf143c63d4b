// The outbox: contributions kept in the browser (IndexedDB) until the server confirms them.
// Each keeps the client UUID it was created with, so sending it again after a lost answer
// stores it once (the API is idempotent by id). States shown to the participant:
//   waiting  — kept on this device, not sent yet (no network, or the server is unreachable);
//   sending  — being sent now;
//   rejected — the server refused it, with its reason; nothing was stored.
// An item leaves the outbox only when the server has answered 200/201.

import { ApiError, apiFetch } from "./api.js";

const DB_NAME = "cartoparty";
const STORE = "outbox";
const RETRY_MS = 20000;

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(idbRequest.error);
  });
}

let dbPromise = null;
function database() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const opening = indexedDB.open(DB_NAME, 1);
      opening.onupgradeneeded = () => {
        const store = opening.result.createObjectStore(STORE, { keyPath: "id" });
        store.createIndex("event", "event");
      };
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
  }
  return dbPromise;
}

async function withStore(mode, fn) {
  const db = await database();
  const tx = db.transaction(STORE, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  const result = await fn(tx.objectStore(STORE));
  await done;
  return result;
}

/** Memory fallback when IndexedDB is refused (some private modes): honest, but not durable. */
function memoryStore() {
  const items = new Map();
  return {
    durable: false,
    async list(event) {
      return [...items.values()].filter((i) => i.event === event);
    },
    async put(item) {
      items.set(item.id, { ...item });
    },
    async remove(id) {
      items.delete(id);
    },
  };
}

function indexedStore() {
  return {
    durable: true,
    list: (event) => withStore("readonly", (store) => request(store.index("event").getAll(event))),
    put: (item) => withStore("readwrite", (store) => request(store.put(item))),
    remove: (id) => withStore("readwrite", (store) => request(store.delete(id))),
  };
}

async function openStore() {
  try {
    await database();
    return indexedStore();
  } catch {
    return memoryStore();
  }
}

/** Whether an error means "try again later" rather than "the server refused it". */
function isTransient(error) {
  return !(error instanceof ApiError) || error.status === 0 || error.status === 408 ||
    error.status === 429 || error.status >= 500;
}

/**
 * The outbox of one event. `onChange(items)` runs whenever the queue changes;
 * `onConfirmed(item, answer)` when the server has stored one.
 */
export async function createOutbox({ event, store: credentials, onChange, onConfirmed }) {
  const store = await openStore();
  const sending = new Set();
  let flushing = null;
  let timer = null;

  async function items() {
    const list = await store.list(event);
    list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return list.map((item) => (sending.has(item.id) ? { ...item, state: "sending" } : item));
  }

  async function changed() {
    const list = await items();
    onChange(list, store.durable);
    window.clearTimeout(timer);
    if (list.some((item) => item.state === "waiting")) timer = window.setTimeout(flush, RETRY_MS);
    return list;
  }

  async function sendOne(item) {
    sending.add(item.id);
    await changed();
    try {
      // The token of today: a participant who joined again sends with the new one.
      const token = credentials.token || item.token;
      const answer = await apiFetch(item.url, { method: "POST", body: item.body, token });
      await store.remove(item.id);
      onConfirmed(item, answer.data);
      return true;
    } catch (error) {
      if (isTransient(error)) return false;
      await store.put({
        ...item, state: "rejected",
        error: { status: error.status, detail: error.detail, field: error.field, code: error.code },
      });
      return true;
    } finally {
      sending.delete(item.id);
    }
  }

  async function flushAll() {
    if (!navigator.onLine) return; // the browser knows it has no network: do not even try
    for (const item of await store.list(event)) {
      if (item.state !== "waiting") continue;
      // No answer: the network is down again; keep the rest for the next attempt.
      if (!(await sendOne(item))) break;
    }
  }

  /** Send what waits, one at a time; one flush at a time in every tab of the browser. */
  function flush() {
    if (flushing) return flushing;
    const run = navigator.locks
      ? () => navigator.locks.request("cartoparty-outbox-" + event, flushAll)
      : flushAll;
    flushing = run().catch(() => null).finally(async () => {
      flushing = null;
      await changed();
    });
    return flushing;
  }

  window.addEventListener("online", () => flush());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });

  return {
    durable: store.durable,
    items,
    flush,
    /** Keep a contribution (with its client id) and try to send it. */
    async add({ id, kind, url, body, label }) {
      await store.put({
        id, event, kind, url, body, label, token: credentials.token,
        state: "waiting", error: null, createdAt: new Date().toISOString(),
      });
      await changed();
      flush();
    },
    async remove(id) {
      await store.remove(id);
      await changed();
    },
    /** A refused item, sent again as it is (e.g. after joining again). */
    async retry(id) {
      const item = (await store.list(event)).find((i) => i.id === id);
      if (!item) return;
      await store.put({ ...item, state: "waiting", error: null });
      await changed();
      flush();
    },
    refresh: changed,
  };
}
