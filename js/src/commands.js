// The command table: how each method's arguments become a Redis command,
// and how a reply is shaped afterwards (only where Redis's own shape is
// awkward in JavaScript, e.g. HGETALL's flat array becomes an object).
//
// One table serves both `Redis` (runs at once) and `Pipeline` (queues), so a
// method is defined exactly once.

const flat = (items) => (items.length === 1 && Array.isArray(items[0]) ? items[0] : items);

function setOptions(opts) {
  if (!opts) return [];
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
}

function pairsToObject(reply) {
  if (!Array.isArray(reply) || reply.length === 0) return null;
  const out = {};
  const text = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const field = reply[i];
    out[typeof field === "string" ? field : text.decode(field)] = reply[i + 1];
  }
  return out;
}

const entries = (obj) => Object.entries(obj).flat();

/** `zadd(key, { nx, xx, gt, lt, ch, incr }?, ...{ score, member })`, as @upstash/redis. */
function zaddArgs(items) {
  const first = items[0];
  const opts = first !== null && typeof first === "object" && !("member" in first) ? items.shift() : {};
  const flags = ["nx", "xx", "gt", "lt", "ch", "incr"].filter((f) => opts[f]);
  return [...flags, ...items.flatMap((i) => [i.score, i.member])];
}

/** name -> [build(...args) => command array, parse?(reply) => value] */
export const COMMANDS = {
  // connection and server
  ping: [(message) => (message === undefined ? ["ping"] : ["ping", message])],
  echo: [(message) => ["echo", message]],
  time: [() => ["time"]],
  dbsize: [() => ["dbsize"]],
  // keys
  del: [(...keys) => ["del", ...flat(keys)]],
  unlink: [(...keys) => ["unlink", ...flat(keys)]],
  exists: [(...keys) => ["exists", ...flat(keys)]],
  expire: [(key, seconds) => ["expire", key, seconds]],
  pexpire: [(key, millis) => ["pexpire", key, millis]],
  expireat: [(key, unix) => ["expireat", key, unix]],
  persist: [(key) => ["persist", key]],
  ttl: [(key) => ["ttl", key]],
  pttl: [(key) => ["pttl", key]],
  type: [(key) => ["type", key]],
  rename: [(key, to) => ["rename", key, to]],
  scan: [
    (cursor, opts = {}) => [
      "scan",
      cursor,
      ...(opts.match !== undefined ? ["match", opts.match] : []),
      ...(opts.count !== undefined ? ["count", opts.count] : []),
      ...(opts.type !== undefined ? ["type", opts.type] : []),
    ],
  ],
  // strings
  get: [(key) => ["get", key]],
  set: [(key, value, opts) => ["set", key, value, ...setOptions(opts)]],
  setnx: [(key, value) => ["setnx", key, value]],
  getdel: [(key) => ["getdel", key]],
  getrange: [(key, start, end) => ["getrange", key, start, end]],
  append: [(key, value) => ["append", key, value]],
  strlen: [(key) => ["strlen", key]],
  incr: [(key) => ["incr", key]],
  incrby: [(key, by) => ["incrby", key, by]],
  incrbyfloat: [(key, by) => ["incrbyfloat", key, by]],
  decr: [(key) => ["decr", key]],
  decrby: [(key, by) => ["decrby", key, by]],
  mget: [(...keys) => ["mget", ...flat(keys)]],
  mset: [(obj) => ["mset", ...entries(obj)]],
  // hashes
  hset: [(key, obj) => ["hset", key, ...entries(obj)]],
  hget: [(key, field) => ["hget", key, field]],
  hmget: [(key, ...fields) => ["hmget", key, ...flat(fields)]],
  hgetall: [(key) => ["hgetall", key], pairsToObject],
  hdel: [(key, ...fields) => ["hdel", key, ...flat(fields)]],
  hexists: [(key, field) => ["hexists", key, field]],
  hincrby: [(key, field, by) => ["hincrby", key, field, by]],
  hkeys: [(key) => ["hkeys", key]],
  hlen: [(key) => ["hlen", key]],
  // lists
  lpush: [(key, ...values) => ["lpush", key, ...values]],
  rpush: [(key, ...values) => ["rpush", key, ...values]],
  lpop: [(key, count) => (count === undefined ? ["lpop", key] : ["lpop", key, count])],
  rpop: [(key, count) => (count === undefined ? ["rpop", key] : ["rpop", key, count])],
  lrange: [(key, start, stop) => ["lrange", key, start, stop]],
  llen: [(key) => ["llen", key]],
  // sets
  sadd: [(key, ...members) => ["sadd", key, ...members]],
  srem: [(key, ...members) => ["srem", key, ...members]],
  smembers: [(key) => ["smembers", key]],
  sismember: [(key, member) => ["sismember", key, member]],
  scard: [(key) => ["scard", key]],
  // sorted sets
  zadd: [(key, ...items) => ["zadd", key, ...zaddArgs(items)]],
  zscore: [(key, member) => ["zscore", key, member]],
  zrem: [(key, ...members) => ["zrem", key, ...members]],
  zcard: [(key) => ["zcard", key]],
  zincrby: [(key, by, member) => ["zincrby", key, by, member]],
  zrange: [
    (key, start, stop, opts = {}) => [
      "zrange",
      key,
      start,
      stop,
      ...(opts.byScore ? ["byscore"] : []),
      ...(opts.rev ? ["rev"] : []),
      ...(opts.withScores ? ["withscores"] : []),
    ],
  ],
  // pub/sub (subscribing is `redis.subscribe`, not a command)
  publish: [(channel, message) => ["publish", channel, message]],
  // scripting
  eval: [(script, keys = [], args = []) => ["eval", script, keys.length, ...keys, ...args]],
  evalsha: [(sha, keys = [], args = []) => ["evalsha", sha, keys.length, ...keys, ...args]],
};
