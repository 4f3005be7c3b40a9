// Turns command_shapes.js (data generated from the command catalogue's npm
// table, src/catalog/npm.rs: per method its Redis command, argument spec
// and reply shape) into the table `Redis` and `Pipeline` are built from:
// name -> { build(...args) => parts with Value marks, reply(raw, args,
// bigint) => result }. The spec grammar and the reply shapes are documented
// in src/catalog/npm.rs; reply shapes apply only with automatic
// deserialization on (off, every reply is returned as Redis sent it, as
// @upstash/redis does).

import { SHAPES } from "./command_shapes.js";
import { CHAINS, OPTIONS, Value } from "./command_options.js";
import { parseReply, parseString } from "./deserialize.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const textOf = (v) => (typeof v === "string" ? v : v instanceof Uint8Array ? utf8.decode(v) : String(v));

/** A value of a hash-like reply, as @upstash/redis's hgetall parses it. */
function hashValue(v, bigint) {
  return typeof v === "string" ? parseString(v, bigint) : v;
}

/** Flat [field, value, ...] to an object (null when empty), values parsed. */
function pairs(reply, bigint) {
  if (!Array.isArray(reply) || reply.length === 0) return null;
  const out = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[textOf(reply[i])] = hashValue(reply[i + 1], bigint);
  return out;
}

/** Flat [name, value, ...] to an object of the values as Redis sent them. */
function fields(reply) {
  const out = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[textOf(reply[i])] = reply[i + 1];
  return out;
}

/** Reply shapes by name: (raw reply, call arguments, bigint) => result. */
export const REPLIES = {
  json: (r, _a, bigint) => parseReply(r, bigint),
  /** HGETALL: an object, or null for a missing hash. */
  hash: (r, _a, bigint) => pairs(r, bigint),
  /** HMGET: `{ field: value }` for the fields asked, null when all are missing. */
  hmget: (r, args, bigint) => {
    if (!Array.isArray(r) || r.every((v) => v === null)) return null;
    const fields = args.slice(1).flat();
    const out = {};
    fields.forEach((f, i) => (out[f] = hashValue(r[i], bigint)));
    return out;
  },
  /** SCAN family: the cursor stays a string, the rest is parsed. */
  scan: (r, _a, bigint) => (Array.isArray(r) ? [textOf(r[0]), parseReply(r[1], bigint)] : r),
  /** COPY: "COPIED" or "NOT_COPIED". */
  copied: (r) => (r === 1 ? "COPIED" : "NOT_COPIED"),
  /** GEOPOS: `{ lng, lat }` numbers, missing members left out. */
  geopos: (r) =>
    (Array.isArray(r) ? r : [])
      .filter((p) => Array.isArray(p) && p[0] && p[1])
      .map((p) => ({ lng: Number.parseFloat(textOf(p[0])), lat: Number.parseFloat(textOf(p[1])) })),
  /** HGETEX: as HMGET, for the fields after the options. */
  hgetex: (r, args, bigint) => REPLIES.hmget(r, [args[0], ...args.slice(2)], bigint),
  /** HRANDFIELD: with values an object, else parsed as usual. */
  hrandfield: (r, args, bigint) => (args[2] ? (pairs(r, bigint) ?? {}) : parseReply(r, bigint)),
  /** XRANGE/XREVRANGE: `{ id: { field: value } }`, values parsed. */
  stream: (r, _a, bigint) => {
    const out = {};
    for (const e of Array.isArray(r) ? r : []) {
      for (let i = 0; i + 1 < e.length; i += 2) {
        const fields = (out[textOf(e[i])] ??= {});
        const entries = e[i + 1] ?? [];
        for (let j = 0; j + 1 < entries.length; j += 2) fields[textOf(entries[j])] = hashValue(entries[j + 1], bigint);
      }
    }
    return out;
  },
  /** GEOSEARCH: `{ member, dist?, hash?, coord? }` per match, as @upstash/redis. */
  geosearch: (r, args) => {
    const opts = args[4] ?? {};
    const member = (m) => {
      try {
        return JSON.parse(textOf(m));
      } catch {
        return textOf(m);
      }
    };
    if (!opts.withCoord && !opts.withDist && !opts.withHash) return (r ?? []).map((m) => ({ member: member(m) }));
    return (r ?? []).map((m) => {
      let at = 1;
      const out = { member: member(m[0]) };
      if (opts.withDist) out.dist = Number.parseFloat(textOf(m[at++]));
      if (opts.withHash) out.hash = String(m[at++]);
      if (opts.withCoord) out.coord = { long: Number.parseFloat(textOf(m[at][0])), lat: Number.parseFloat(textOf(m[at][1])) };
      return out;
    });
  },
  /** FUNCTION LIST: `{ libraryName, engine, functions: [{ name, description?, flags }], libraryCode? }` per library. */
  functionList: (r) =>
    (Array.isArray(r) ? r : []).map((raw) => {
      const lib = fields(raw);
      return {
        libraryName: lib.library_name,
        engine: lib.engine,
        functions: (lib.functions ?? []).map((f) => {
          const fn = fields(f);
          return { name: fn.name, description: fn.description ?? undefined, flags: fn.flags };
        }),
        libraryCode: lib.library_code,
      };
    }),
  /** FUNCTION STATS: `{ engines: { LUA: { librariesCount, functionsCount } } }`. */
  functionStats: (r) => {
    const engines = fields(fields(r).engines);
    const out = {};
    for (const [name, e] of Object.entries(engines)) {
      const counts = fields(e);
      out[name] = { librariesCount: counts.libraries_count, functionsCount: counts.functions_count };
    }
    return { engines: out };
  },
  /** Upstash arrays' index and length replies: decimal text. */
  string: (r) => String(r),
  /** ARNEXT: the next index as text, or null. */
  stringOrNull: (r) => (r === null ? null : String(r)),
  /** AROP: a number, or null. */
  numberOrNull: (r) => (r === null ? null : Number(r)),
  /** ARSCAN: `[index, value]` pairs, the index as text. */
  arScan: (r, _a, bigint) => (parseReply(r, bigint) ?? []).map(([i, v]) => [String(i), v]),
  /** ARGREP: indexes as text, or with values `[index, value]` pairs. */
  arGrep: (r, _a, bigint) =>
    (parseReply(r, bigint) ?? []).map((item) => (Array.isArray(item) ? [String(item[0]), item[1]] : String(item))),
  /** ARINFO: an object of camel-cased fields, numbers except the indexes. */
  arInfo: (r) => {
    const info = {};
    const raw = fields(r);
    for (const [field, v] of Object.entries(raw)) {
      const name = field.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
      const text = textOf(v);
      info[name] = name === "len" || name === "nextInsertIndex" ? text : Number.isNaN(Number(text)) ? text : Number(text);
    }
    return info;
  },
  /** Replies @upstash/redis never parses (TYPE, PING...). */
  text: (r) => r,
};

/** The JS-side form of one spec token. */
function tokenOf(text) {
  const t = { optional: false, data: false, kind: "one", name: text };
  let s = text;
  if (s.startsWith("=")) return { kind: "literal", word: s.slice(1) };
  if (s.startsWith(">")) {
    const chain = CHAINS[s.slice(1)];
    if (!chain) throw new Error(`command_shapes: no chain ${s}`);
    return { kind: "chain", chain };
  }
  if (s.startsWith("?")) {
    t.optional = true;
    s = s.slice(1);
  }
  if (s.startsWith("$")) {
    t.data = true;
    s = s.slice(1);
  }
  if (s.startsWith("@")) {
    t.kind = s.endsWith("...") ? "optionsRest" : "options";
    t.builder = OPTIONS[s.slice(1).replace(/\.\.\.$/, "")];
    if (!t.builder) throw new Error(`command_shapes: no option builder ${s}`);
  } else if (s.startsWith("#")) t.kind = "counted";
  else if (s.startsWith("{")) t.kind = "object";
  else if (s.endsWith("...")) t.kind = "rest";
  else if (s.endsWith("[]")) t.kind = "array";
  return t;
}

const mark = (data, v) => (data ? new Value(v) : v);

/** A builder for `words` (the Redis command) and `spec`. */
function builderOf(words, spec) {
  const tokens = spec ? spec.split(/\s+/).filter(Boolean).map(tokenOf) : [];
  return (...args) => {
    const out = words.slice();
    let i = 0;
    for (const t of tokens) {
      switch (t.kind) {
        case "literal":
          out.push(t.word);
          break;
        case "one": {
          const v = args[i++];
          if (v === undefined && t.optional) break;
          out.push(mark(t.data, v));
          break;
        }
        case "rest": {
          let rest = args.slice(i);
          i = args.length;
          if (rest.length === 1 && Array.isArray(rest[0])) rest = rest[0];
          for (const v of rest) out.push(mark(t.data, v));
          break;
        }
        case "array": {
          const v = args[i++];
          if (v === undefined && t.optional) break;
          for (const x of Array.isArray(v) ? v : [v]) out.push(mark(t.data, x));
          break;
        }
        case "counted": {
          const v = args[i++] ?? [];
          out.push(v.length, ...v);
          break;
        }
        case "object": {
          const v = args[i++];
          if (v === undefined && t.optional) break;
          if (v === null || typeof v !== "object") throw new TypeError(`edgestash: ${words.join(" ")}: expected an object of fields`);
          for (const [k, x] of Object.entries(v)) out.push(k, new Value(x));
          break;
        }
        case "options":
          out.push(...t.builder(args[i++]));
          break;
        case "chain":
          for (const op of args[i++] ?? []) out.push(...op);
          break;
        case "optionsRest":
          out.push(...t.builder(args.slice(i)));
          i = args.length;
          break;
      }
    }
    return out;
  };
}

/** name -> { build, reply } for every method of SHAPES. */
export function commandTable() {
  const table = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const [command, spec, reply = "json"] = shape;
    const replyFn = REPLIES[reply];
    if (!replyFn) throw new Error(`command_shapes: ${name}: unknown reply shape ${reply}`);
    const chain = spec.split(/\s+/).find((t) => t.startsWith(">"));
    table[name] = { build: builderOf(command.split(" "), spec), reply: replyFn, chain: chain && CHAINS[chain.slice(1)] };
  }
  return table;
}
