// Others' contributions appear on the map within seconds: the event's public change stream
// (server-sent events from /api/v1/events/{slug}/changes/stream/, one render per server
// process for every open map) is merged into what the map and the lists show. The browser's
// EventSource reconnects by itself and sends back its last cursor (Last-Event-ID), so
// nothing is missed across a weak network; offline, the map keeps what it has.

/** The [west, south, east, north] of a GeoJSON geometry, or null without coordinates. */
export function geometryBounds(geometry) {
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  const visit = (coords) => {
    if (!Array.isArray(coords)) return;
    if (typeof coords[0] === "number") {
      west = Math.min(west, coords[0]); east = Math.max(east, coords[0]);
      south = Math.min(south, coords[1]); north = Math.max(north, coords[1]);
      return;
    }
    coords.forEach(visit);
  };
  if (geometry) visit(geometry.type === "GeometryCollection" ? geometry.geometries.map((g) => g.coordinates) : geometry.coordinates);
  return west <= east ? [west, south, east, north] : null;
}

/** Whether a feature touches the "west,south,east,north" box of the map's view. */
export function touches(feature, bbox) {
  const bounds = geometryBounds(feature.geometry);
  if (!bounds || !bbox) return false;
  const [w, s, e, n] = bbox.split(",").map(Number);
  return bounds[0] <= e && bounds[2] >= w && bounds[1] <= n && bounds[3] >= s;
}

const version = (feature) => Number((feature.properties || {}).version) || 0;

/**
 * `collection` (a FeatureCollection) with the `changed` features put in place by id (those
 * outside `bbox` dropped: they left the view; an older version than the one shown ignored)
 * and the `removedIds` taken out.
 */
export function merge(collection, changed, removedIds, bbox) {
  const kept = new Map(collection.features.map((f) => [String(f.id), f]));
  for (const id of removedIds) kept.delete(String(id));
  for (const feature of changed) {
    const id = String(feature.id);
    const known = kept.get(id);
    // A change merged again over a newer read of the area never brings an older state back.
    if (known && version(known) > version(feature)) continue;
    if (touches(feature, bbox)) kept.set(id, feature);
    else kept.delete(id);
  }
  return { ...collection, features: [...kept.values()] };
}

/**
 * Follow the stream at `url`: `onChanges(body)` for each change (body: cursor, complete,
 * features, reports, removed). Returns a function that stops following.
 */
export function followChanges(url, onChanges) {
  if (!url || typeof EventSource === "undefined") return () => null;
  let source = null;
  let stopped = false;
  const open = () => {
    if (stopped) return;
    source = new EventSource(url);
    source.addEventListener("changes", (message) => {
      let body;
      try {
        body = JSON.parse(message.data);
      } catch {
        return;
      }
      onChanges(body);
    });
  };
  // Opened once the page has loaded: a stream never keeps the page "loading".
  if (document.readyState === "complete") open();
  else window.addEventListener("load", open, { once: true });
  return () => {
    stopped = true;
    if (source) source.close();
  };
}
