// Others' contributions on a large event's citizen map come from the event's public data
// tiles (/tiles/{slug}/{layer}/{z}/{x}/{y}.mvt: reports at their coarsened place), per layer,
// as the server decided (web/desk/map_sources.py, the "map-sources" island: the same rule as
// the officer view and the widget). The participant's own contributions and the outbox stay
// GeoJSON, from what the phone has (exact for their author, drawn with no network); the tiles
// leave them out by id, so nothing is drawn twice. When the change stream reports changes,
// the changed layers' tiles are read again under a new version in their URL (?v=cursor: the
// server ignores it and answers from its ETags; the service worker keeps one copy per tile).

const EMPTY = { type: "FeatureCollection", features: [] };

/** `{features: TileJSON URL, reports: …}` for the layers of `sources` read as tiles. */
export function tiledLayers(sources) {
  const found = {};
  for (const [layer, config] of Object.entries((sources && sources.layers) || {})) {
    if (config.mode === "tiles") found[layer] = config.url;
  }
  return found;
}

/** The tile URL `template` with `version` as its `v` query parameter (replacing any). */
export function versioned(template, version) {
  const [path, query = ""] = template.split("?");
  const params = new URLSearchParams(query);
  params.set("v", version);
  return path + "?" + params.toString();
}

/** The layers ("features", "reports") whose tiles a change-stream message makes stale. */
export function changedLayers(changes) {
  if (!changes.complete || !changes.features || !changes.reports) return ["features", "reports"];
  const removed = (kind) => (changes.removed || []).some((r) => r.kind === kind);
  const layers = [];
  if (changes.features.features.length || removed("feature")) layers.push("features");
  if (changes.reports.features.length || removed("report")) layers.push("reports");
  return layers;
}

/** An outbox item (waiting or sending) as a GeoJSON feature: where and what the phone keeps. */
function pendingFeature(item) {
  const { geometry, ...properties } = item.body || {};
  return { type: "Feature", id: item.id, geometry, properties: { ...properties, outbox: true } };
}

/**
 * The participant's own features and reports: `mine` (their list from the server, exact;
 * null when they have not joined) and the outbox items the server has not stored yet.
 */
export function ownCollections(mine, outboxItems) {
  const pending = (outboxItems || []).filter((i) => i.state !== "rejected" && i.body && i.body.geometry);
  const of = (kind, collection) => {
    const stored = (collection || EMPTY).features || [];
    // Confirmed, the item may be in both for a moment (the list is read again first).
    const storedIds = new Set(stored.map((f) => String(f.id)));
    return {
      type: "FeatureCollection",
      features: [
        ...stored,
        ...pending.filter((i) => i.kind === kind && !storedIds.has(String(i.id))).map(pendingFeature),
      ],
    };
  };
  return { features: of("feature", mine && mine.features), reports: of("report", mine && mine.reports) };
}

/** The properties a popup reads, from a data tile's (lists and tags travel as JSON text or a name). */
export function tileProperties(kind, props) {
  if (kind === "feature") {
    return { preset: props.preset, status: props.status, tags: props.name ? { name: props.name } : {} };
  }
  let sources = props.sources || [];
  if (typeof sources === "string") {
    try {
      sources = JSON.parse(sources);
    } catch {
      sources = [];
    }
  }
  return { ...props, sources };
}
