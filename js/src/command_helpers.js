// Helpers the generated command table (commands.js) calls: argument shapes
// that take more than a template (see src/catalog/js_shape.rs).

/** One array argument counts as its items: `del(["a", "b"])` = `del("a", "b")`. */
export const flat = (items) => (items.length === 1 && Array.isArray(items[0]) ? items[0] : items);

/** An object's key/value pairs, flattened: `{ a: 1 }` -> `["a", 1]`. */
export const entries = (obj) => Object.entries(obj).flat();

/** A flat `[field, value, ...]` reply as an object (null when empty). */
export function pairsToObject(reply) {
  if (!Array.isArray(reply) || reply.length === 0) return null;
  const out = {};
  const text = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const field = reply[i];
    out[typeof field === "string" ? field : text.decode(field)] = reply[i + 1];
  }
  return out;
}

/** `zadd(key, { nx, xx, gt, lt, ch, incr }?, ...{ score, member })`, as @upstash/redis. */
export function zaddArgs(items) {
  const first = items[0];
  const opts = first !== null && typeof first === "object" && !("member" in first) ? items.shift() : {};
  const flags = ["nx", "xx", "gt", "lt", "ch", "incr"].filter((f) => opts[f]);
  return [...flags, ...items.flatMap((i) => [i.score, i.member])];
}
