// Option builders named by `@name` in command_shapes.js: each turns one
// @upstash/redis options argument (or, for `@name...`, the remaining
// arguments) into Redis arguments, in @upstash/redis's order. An option
// this client cannot send is a TypeError, never dropped. Values marked with
// `value()` are data (automatic-deserialization encoding applies to them).

/** A data value among built arguments (see deserialize.js encodeValue). */
export class Value {
  constructor(value) {
    this.value = value;
  }
}
export const value = (v) => new Value(v);

function known(what, opts, names) {
  for (const k of Object.keys(opts)) {
    if (!names.includes(k)) throw new TypeError(`edgestash: ${what}: unknown option ${JSON.stringify(k)}`);
  }
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Exactly one expiry of `{ ex, px, exat, pxat }` or the flag `word`. */
function oneExpiry(what, opts, word) {
  const set = ["ex", "px", "exat", "pxat", word].filter((k) => opts[k] !== undefined && opts[k] !== false);
  if (set.length !== 1) throw new TypeError(`edgestash: ${what}: give exactly one of ex, px, exat, pxat, ${word}`);
  const k = set[0];
  return k === word ? [word.toUpperCase()] : [k.toUpperCase(), opts[k]];
}

export const OPTIONS = {
  /** SET's `{ nx, xx, get, ex, px, exat, pxat, keepTtl }`. */
  set(opts) {
    if (opts === undefined) return [];
    known("set", opts, ["nx", "xx", "get", "ex", "px", "exat", "pxat", "keepTtl"]);
    const out = [];
    if (opts.nx) out.push("nx");
    if (opts.xx) out.push("xx");
    if (opts.get) out.push("get");
    if (opts.ex !== undefined) out.push("ex", opts.ex);
    if (opts.px !== undefined) out.push("px", opts.px);
    if (opts.exat !== undefined) out.push("exat", opts.exat);
    if (opts.pxat !== undefined) out.push("pxat", opts.pxat);
    if (opts.keepTtl) out.push("keepttl");
    return out;
  },

  /** EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT's `"NX" | "XX" | "GT" | "LT"` (any case). */
  expireFlag(flag) {
    if (flag === undefined) return [];
    const f = typeof flag === "string" ? flag.toUpperCase() : "";
    if (!["NX", "XX", "GT", "LT"].includes(f)) throw new TypeError('edgestash: expire: the option must be "NX", "XX", "GT" or "LT"');
    return [f];
  },

  /** SCAN's `{ match, count, type }`; HSCAN/SSCAN/ZSCAN's `{ match, count }`. */
  scan(opts) {
    if (opts === undefined) return [];
    known("scan", opts, ["match", "count", "type", "withType"]);
    const out = [];
    if (opts.match !== undefined) out.push("match", opts.match);
    if (opts.count !== undefined) out.push("count", opts.count);
    if (opts.type !== undefined) out.push("type", opts.type);
    if (opts.withType) throw new TypeError("edgestash: scan: withType is not supported; pass type instead");
    return out;
  },

  /** ZADD's `key, opts?, ...{ score, member }`. */
  zadd(items) {
    const rest = items.slice();
    const first = rest[0];
    const opts = isObject(first) && !("member" in first) ? rest.shift() : {};
    known("zadd", opts, ["nx", "xx", "gt", "lt", "ch", "incr"]);
    const out = ["nx", "xx", "gt", "lt", "ch", "incr"].filter((f) => opts[f]);
    for (const item of rest) {
      if (!isObject(item) || !("member" in item)) throw new TypeError("edgestash: zadd: members are { score, member } objects");
      out.push(item.score, value(item.member));
    }
    return out;
  },

  /**
   * ZRANGE's `{ byScore, byLex, rev, offset, count, withScores }`; with
   * byScore/byLex `min`/`max` are passed as given ("(1", "-inf", "[a").
   */
  zrange(opts) {
    if (opts === undefined) return [];
    known("zrange", opts, ["byScore", "byLex", "rev", "offset", "count", "withScores"]);
    if (opts.byScore && opts.byLex) throw new TypeError("edgestash: zrange: byScore and byLex exclude each other");
    const out = [];
    if (opts.byScore) out.push("byscore");
    if (opts.byLex) out.push("bylex");
    if (opts.rev) out.push("rev");
    if ((opts.offset === undefined) !== (opts.count === undefined)) {
      throw new TypeError("edgestash: zrange: offset and count go together");
    }
    if (opts.count !== undefined) out.push("limit", opts.offset, opts.count);
    if (opts.withScores) out.push("withscores");
    return out;
  },

  /** LPOS's `{ rank, count, maxLen }`. */
  lpos(opts) {
    if (opts === undefined) return [];
    known("lpos", opts, ["rank", "count", "maxLen"]);
    const out = [];
    if (opts.rank !== undefined) out.push("rank", opts.rank);
    if (opts.count !== undefined) out.push("count", opts.count);
    if (opts.maxLen !== undefined) out.push("maxlen", opts.maxLen);
    return out;
  },

  /** GETEX's `{ ex, px, exat, pxat, persist }`. */
  getex(opts) {
    if (opts === undefined) return [];
    known("getex", opts, ["ex", "px", "exat", "pxat", "persist"]);
    const out = [];
    if (opts.ex !== undefined) out.push("ex", opts.ex);
    if (opts.px !== undefined) out.push("px", opts.px);
    if (opts.exat !== undefined) out.push("exat", opts.exat);
    if (opts.pxat !== undefined) out.push("pxat", opts.pxat);
    if (opts.persist) out.push("persist");
    return out;
  },

  /** HGETDEL/HGETEX's `...fields`: `FIELDS <n> field...`. */
  fields(items) {
    return ["FIELDS", items.length, ...items];
  },

  /** HGETEX's expiry: exactly one of `{ ex, px, exat, pxat, persist }`. */
  hgetex(opts) {
    if (!isObject(opts)) throw new TypeError("edgestash: hgetex: the options object is required");
    known("hgetex", opts, ["ex", "px", "exat", "pxat", "persist"]);
    return oneExpiry("hgetex", opts, "persist");
  },

  /** HSETEX's `{ conditional?, expiration? }, { field: value }`. */
  hsetex([opts, kv]) {
    if (!isObject(opts) || !isObject(kv)) throw new TypeError("edgestash: hsetex: takes an options object and an object of fields");
    known("hsetex", opts, ["conditional", "expiration"]);
    const out = [];
    if (opts.conditional !== undefined) {
      const c = String(opts.conditional).toUpperCase();
      if (c !== "FNX" && c !== "FXX") throw new TypeError('edgestash: hsetex: conditional must be "FNX" or "FXX"');
      out.push(c);
    }
    if (opts.expiration !== undefined) {
      if (!isObject(opts.expiration)) throw new TypeError("edgestash: hsetex: expiration must be an object");
      known("hsetex", opts.expiration, ["ex", "px", "exat", "pxat", "keepttl"]);
      if (Object.keys(opts.expiration).length) out.push(...oneExpiry("hsetex", opts.expiration, "keepttl"));
    }
    const entries = Object.entries(kv);
    out.push("FIELDS", entries.length);
    for (const [field, v] of entries) out.push(field, value(v));
    return out;
  },

  /** XACKDEL/XDELEX's reference policy: "KEEPREF", "DELREF" or "ACKED" (any case). */
  streamRef(opt) {
    if (opt === undefined) return [];
    const o = typeof opt === "string" ? opt.toUpperCase() : "";
    if (!["KEEPREF", "DELREF", "ACKED"].includes(o)) throw new TypeError('edgestash: the option must be "KEEPREF", "DELREF" or "ACKED"');
    return [o];
  },

  /** XACKDEL/XDELEX's `...ids`: `IDS <n> id...`. */
  ids(items) {
    return ["IDS", items.length, ...items];
  },

  /**
   * JSON.MSET's `[{ key, path, value }, ...]` as @upstash/redis types it,
   * or the entries spread (what its runtime actually reads).
   */
  jsonMset(args) {
    const items = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    if (items.length === 0) throw new TypeError("edgestash: json.mset: takes a non-empty array of { key, path, value }");
    const out = [];
    for (const item of items) {
      if (!isObject(item)) throw new TypeError("edgestash: json.mset: each entry is { key, path, value }");
      known("json.mset", item, ["key", "path", "value"]);
      out.push(item.key, item.path, item.value);
    }
    return out;
  },

  /** ARDELRANGE's `...[start, end]` ranges, flattened. */
  ranges(items) {
    for (const r of items) if (!Array.isArray(r) || r.length !== 2) throw new TypeError("edgestash: ardelrange: each range is [start, end]");
    return items.flat();
  },

  /** ARGREP's `{ predicates, combine?, noCase?, withValues?, limit? }`. */
  arGrep(opts) {
    if (!isObject(opts) || !Array.isArray(opts.predicates)) throw new TypeError("edgestash: argrep: takes { predicates: [...] }");
    known("argrep", opts, ["predicates", "combine", "noCase", "withValues", "limit"]);
    const out = [];
    for (const p of opts.predicates) {
      const kinds = isObject(p) ? Object.keys(p) : [];
      const kind = kinds.length === 1 ? { exact: "EXACT", match: "MATCH", glob: "GLOB", re: "RE" }[kinds[0]] : undefined;
      if (!kind) throw new TypeError("edgestash: argrep: a predicate is one of { exact }, { match }, { glob }, { re }");
      out.push(kind, p[kinds[0]]);
    }
    if (opts.combine !== undefined) {
      const c = String(opts.combine).toUpperCase();
      if (c !== "AND" && c !== "OR") throw new TypeError('edgestash: argrep: combine is "AND" or "OR"');
      out.push(c);
    }
    if (opts.noCase) out.push("NOCASE");
    if (opts.withValues) out.push("WITHVALUES");
    if (opts.limit !== undefined) out.push("LIMIT", opts.limit);
    return out;
  },

  /** ARINFO's `{ full? }`. */
  arInfo(opts) {
    if (opts === undefined) return [];
    known("arinfo", opts, ["full"]);
    return opts.full ? ["FULL"] : [];
  },

  /** ARLASTITEMS's `{ rev? }`. */
  rev(opts) {
    if (opts === undefined) return [];
    known("arlastitems", opts, ["rev"]);
    return opts.rev ? ["REV"] : [];
  },

  /** ARMSET's `{ index: value }` or `[[index, value], ...]`. */
  arMset(values) {
    if (values === null || typeof values !== "object") throw new TypeError("edgestash: armset: takes an object or [index, value] pairs");
    const pairs = Array.isArray(values) ? values : Object.entries(values);
    return pairs.flatMap(([index, v]) => [index, value(v)]);
  },

  /** AROP's operation: SUM, MIN, MAX, AND, OR, XOR, USED (any case) or `{ match }`. */
  arOp(op) {
    if (typeof op === "string") {
      const o = op.toUpperCase();
      if (!["SUM", "MIN", "MAX", "AND", "OR", "XOR", "USED"].includes(o)) throw new TypeError("edgestash: arop: unknown operation");
      return [o];
    }
    if (isObject(op) && Object.keys(op).length === 1 && "match" in op) return ["MATCH", value(op.match)];
    throw new TypeError("edgestash: arop: the operation is a keyword or { match }");
  },

  /** ARSCAN's `{ limit? }`. */
  arScan(opts) {
    if (opts === undefined) return [];
    known("arscan", opts, ["limit"]);
    return opts.limit !== undefined ? ["LIMIT", opts.limit] : [];
  },

  /** `{ withScores }` (ZRANDMEMBER count, ZRANK/ZREVRANK). */
  withScore(opts) {
    if (opts === undefined) return [];
    known("withscore", opts, ["withScore", "withScores"]);
    return opts.withScore || opts.withScores ? ["withscore"] : [];
  },

  /** ZUNIONSTORE/ZINTERSTORE/ZUNION/ZINTER: `numkeys, keys, { weights, weight, aggregate, withScores }`. */
  zcombine([numkeys, keys, opts = {}]) {
    known("zunion/zinter", opts, ["weights", "weight", "aggregate", "withScores"]);
    const list = Array.isArray(keys) ? keys : [keys];
    const out = [numkeys, ...list];
    if (opts.weights !== undefined) out.push("weights", ...opts.weights);
    else if (opts.weight !== undefined) out.push("weights", opts.weight);
    if (opts.aggregate !== undefined) out.push("aggregate", opts.aggregate);
    if (opts.withScores) out.push("withscores");
    return out;
  },

  /** FLUSHALL/FLUSHDB's `{ async }`. */
  flush(opts) {
    // flushall takes `[{ async }]` in @upstash/redis, flushdb `{ async }`.
    if (Array.isArray(opts)) opts = opts[0];
    if (opts === undefined) return [];
    known("flush", opts, ["async"]);
    return opts.async ? ["async"] : [];
  },

  /** BITCOUNT's optional `start, end`. */
  range(items) {
    const [start, end] = items;
    if (start === undefined) return [];
    if (end === undefined) throw new TypeError("edgestash: bitcount: start and end go together");
    return [start, end];
  },

  /** COPY's `{ replace }`. */
  copy(opts) {
    if (opts === undefined) return [];
    known("copy", opts, ["replace"]);
    return opts.replace ? ["REPLACE"] : [];
  },

  /** GEOADD's `key, opts?, ...{ longitude, latitude, member }`. */
  geoadd(items) {
    const rest = items.slice();
    const first = rest[0];
    const opts = isObject(first) && !("member" in first) ? rest.shift() : {};
    known("geoadd", opts, ["nx", "xx", "ch"]);
    const out = [];
    if (opts.nx) out.push("nx");
    else if (opts.xx) out.push("xx");
    if (opts.ch) out.push("ch");
    for (const m of rest) out.push(m.longitude, m.latitude, value(m.member));
    return out;
  },

  /** GEODIST's unit, "M" when omitted (as @upstash/redis sends it). */
  unit(u) {
    return [u ?? "M"];
  },

  /** `FIELDS n field...` of HTTL, HPERSIST, HEXPIRETIME... (`fields`: one or an array). */
  hfields(fields) {
    const list = Array.isArray(fields) ? fields : [fields];
    return ["FIELDS", list.length, ...list];
  },

  /** HEXPIRE family: `fields, time, option?` as `time [option] FIELDS n field...`. */
  hexpire([fields, time, option]) {
    return [time, ...OPTIONS.expireFlag(option), ...OPTIONS.hfields(fields)];
  },

  /** `COUNT n` when given (LMPOP). */
  count(n) {
    return n ? ["COUNT", n] : [];
  },

  /** SINTERCARD's `{ limit }`. */
  limit(opts) {
    if (opts === undefined) return [];
    known("sintercard", opts, ["limit"]);
    return opts.limit !== undefined ? ["LIMIT", opts.limit] : [];
  },

  /** HRANDFIELD's `count?, withValues?`. */
  hrandfield([count, withValues]) {
    const out = [];
    if (typeof count === "number") out.push(count);
    if (withValues) out.push("WITHVALUES");
    return out;
  },

  /** XADD's `id, entries, { nomkStream, trim: { type, comparison, threshold, limit } }`. */
  xadd([id, entries, opts = {}]) {
    known("xadd", opts, ["nomkStream", "trim"]);
    const out = [];
    if (opts.nomkStream) out.push("NOMKSTREAM");
    if (opts.trim) {
      out.push(opts.trim.type, opts.trim.comparison, opts.trim.threshold);
      if (opts.trim.limit !== undefined) out.push("LIMIT", opts.trim.limit);
    }
    out.push(id);
    for (const [k, v] of Object.entries(entries ?? {})) out.push(k, value(v));
    return out;
  },

  /** XTRIM's `{ strategy, threshold, exactness = "~", limit }`. */
  xtrim(opts = {}) {
    known("xtrim", opts, ["strategy", "threshold", "exactness", "limit"]);
    const { limit, strategy, threshold, exactness = "~" } = opts;
    return [strategy, exactness, threshold, ...(limit ? ["LIMIT", limit] : [])];
  },

  /** FUNCTION LOAD's `{ code, replace }`. */
  functionLoad(args = {}) {
    known("functions.load", args, ["code", "replace"]);
    return [...(args.replace ? ["replace"] : []), args.code];
  },

  /** FUNCTION LIST's `{ libraryName?, withCode? }`. */
  functionList(args = {}) {
    known("functions.list", args, ["libraryName", "withCode"]);
    return [...(args.libraryName ? ["libraryname", args.libraryName] : []), ...(args.withCode ? ["withcode"] : [])];
  },

  /** JSON.GET's `opts?, ...paths` (opts: indent, newline, space). */
  jsonGet(items) {
    const rest = items.slice();
    const out = [];
    if (isObject(rest[0])) {
      const opts = rest.shift();
      known("json.get", opts, ["indent", "newline", "space"]);
      if (opts.indent) out.push("INDENT", opts.indent);
      if (opts.newline) out.push("NEWLINE", opts.newline);
      if (opts.space) out.push("SPACE", opts.space);
    }
    return [...out, ...rest];
  },

  /** JSON.SET's `{ nx } | { xx }`. */
  nxxx(opts) {
    if (opts === undefined) return [];
    known("json.set", opts, ["nx", "xx"]);
    return opts.nx ? ["NX"] : opts.xx ? ["XX"] : [];
  },

  /** XGROUP's `key, { type, group, id?, consumer?, options? }` (the key follows the subcommand). */
  xgroup([key, opts = {}]) {
    const out = [opts.type];
    switch (opts.type) {
      case "CREATE":
      case "SETID":
        out.push(key, opts.group, opts.id);
        if (opts.type === "CREATE" && opts.options?.MKSTREAM) out.push("MKSTREAM");
        if (opts.options?.ENTRIESREAD !== undefined) out.push("ENTRIESREAD", String(opts.options.ENTRIESREAD));
        return out;
      case "CREATECONSUMER":
      case "DELCONSUMER":
        return [...out, key, opts.group, opts.consumer];
      case "DESTROY":
        return [...out, key, opts.group];
      default:
        throw new TypeError("edgestash: xgroup: type must be CREATE, CREATECONSUMER, DELCONSUMER, DESTROY or SETID");
    }
  },

  /** XREAD's `key(s), id(s), { count, blockMS }`. */
  xread(items) {
    return streamsRead("XREAD", items);
  },

  /** XREADGROUP's (after `GROUP group consumer`) `key(s), id(s), { count, blockMS, NOACK }`. */
  xreadgroup(items) {
    return streamsRead("XREADGROUP", items);
  },
};

/** XREAD/XREADGROUP's options and STREAMS; unbalanced lists throw
 * @upstash/redis's message. */
function streamsRead(name, [key, id, opts = {}]) {
  if (Array.isArray(key) && Array.isArray(id) && key.length !== id.length) {
    throw new TypeError(`ERR Unbalanced ${name} list of streams: for each stream key an ID or '$' must be specified`);
  }
  const out = [];
  if (typeof opts.count === "number") out.push("COUNT", opts.count);
  if (typeof opts.blockMS === "number") out.push("BLOCK", opts.blockMS);
  if (opts.NOACK === true) out.push("NOACK");
  return [...out, "STREAMS", ...(Array.isArray(key) ? key : [key]), ...(Array.isArray(id) ? id : [id])];
}

/** More builders, after the helpers they use. */
Object.assign(OPTIONS, {
  /** XPENDING's `start, end, count, { idleTime, consumer }`. */
  xpending([start, end, count, opts = {}]) {
    const consumers = opts.consumer === undefined ? [] : Array.isArray(opts.consumer) ? opts.consumer : [opts.consumer];
    return [...(opts.idleTime ? ["IDLE", opts.idleTime] : []), start, end, count, ...consumers];
  },

  /** XCLAIM's `id(s), { idleMS, timeMS, retryCount, force, justId, lastId }`. */
  xclaim([id, opts = {}]) {
    const out = Array.isArray(id) ? [...id] : [id];
    if (opts.idleMS) out.push("IDLE", opts.idleMS);
    if (opts.timeMS) out.push("TIME", opts.timeMS);
    if (opts.retryCount) out.push("RETRYCOUNT", opts.retryCount);
    if (opts.force) out.push("FORCE");
    if (opts.justId) out.push("JUSTID");
    if (opts.lastId) out.push("LASTID", opts.lastId);
    return out;
  },

  /** XAUTOCLAIM's `{ count, justId }`. */
  xautoclaim(opts) {
    if (opts === undefined) return [];
    const out = [];
    if (opts.count) out.push("COUNT", opts.count);
    if (opts.justId) out.push("JUSTID");
    return out;
  },

  /** XINFO's `key, { type: "GROUPS" } | { type: "CONSUMERS", group }`. */
  xinfo([key, opts = {}]) {
    return opts.type === "CONSUMERS" ? ["CONSUMERS", key, opts.group] : ["GROUPS", key];
  },

  /** GEOSEARCH's `center, shape, order, { count: { limit, any }, withCoord, withDist, withHash }`. */
  geosearch(items) {
    const [, , , opts = {}] = items;
    return [
      ...geoArea(items),
      ...(opts.withCoord ? ["WITHCOORD"] : []),
      ...(opts.withDist ? ["WITHDIST"] : []),
      ...(opts.withHash ? ["WITHHASH"] : []),
    ];
  },

  /** GEOSEARCHSTORE's `center, shape, order, { count, storeDist }`. */
  geosearchstore(items) {
    const [, , , opts = {}] = items;
    return [...geoArea(items), ...(opts.storeDist ? ["STOREDIST"] : [])];
  },
});

/** The area and order of GEOSEARCH/GEOSEARCHSTORE, in @upstash/redis's shapes. */
function geoArea([center, shape, order, opts = {}]) {
  const out = [];
  const c = String(center?.type ?? "").toUpperCase();
  if (c === "FROMMEMBER") out.push(center.type, value(center.member));
  else if (c === "FROMLONLAT") out.push(center.type, center.coordinate.lon, center.coordinate.lat);
  else throw new TypeError("edgestash: geosearch: the center is { type: FROMMEMBER, member } or { type: FROMLONLAT, coordinate }");
  const t = String(shape?.type ?? "").toUpperCase();
  if (t === "BYRADIUS") out.push(shape.type, shape.radius, shape.radiusType);
  else if (t === "BYBOX") out.push(shape.type, shape.rect.width, shape.rect.height, shape.rectType);
  else throw new TypeError("edgestash: geosearch: the shape is { type: BYRADIUS, ... } or { type: BYBOX, ... }");
  out.push(order);
  if (opts.count) out.push("COUNT", opts.count.limit, ...(opts.count.any ? ["ANY"] : []));
  return out;
}

/**
 * Chained builders named by `>name` in a spec: the method returns an object
 * with one method per subcommand (name -> how many arguments it takes) and
 * `exec()`, which runs (on `Redis`) or queues (on `Pipeline`) the command
 * with every subcommand called, in order.
 */
export const CHAINS = {
  /** BITFIELD: `redis.bitfield(key).get(type, offset).set(type, offset, v).incrby(type, offset, by).overflow(mode).exec()`. */
  bitfield: { get: 2, set: 3, incrby: 3, overflow: 1 },
};

/** The builder object of chain `spec`; `exec(ops)` receives `[[sub, ...args], ...]`. */
export function chainBuilder(what, spec, exec) {
  const ops = [];
  const builder = { exec: () => exec(ops) };
  for (const [sub, arity] of Object.entries(spec)) {
    builder[sub] = (...args) => {
      if (args.length !== arity) throw new TypeError(`edgestash: ${what}.${sub} takes ${arity} argument(s)`);
      ops.push([sub, ...args]);
      return builder;
    };
  }
  return builder;
}
