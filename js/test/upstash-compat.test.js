// The npm package as a drop-in for @upstash/redis: the same results by
// default (automatic deserialization, reply shapes, errors) without its
// defects, and its client options, against edgestash-server over a real
// redis-server. Where @upstash/redis 1.39 (js/node_modules) can be asked
// the same question, it is, on the same server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis, UpstashError, EdgestashError } from "../src/node.js";
import { serverSkip as skip, useServer, freePort } from "./helpers.js";

const srv = useServer("compat");
const client = (extra = {}) => new Redis({ url: srv.url, token: srv.token, ...extra });
const upstash = (extra = {}) => new UpstashRedis({ url: srv.url, token: srv.token, enableTelemetry: false, ...extra });
const key = (name) => `compat:${name}:${Math.random().toString(36).slice(2)}`;

test("automatic deserialization reads what @upstash/redis reads", { skip }, async () => {
  const redis = client();
  const theirs = upstash();
  const k = key("json");
  await theirs.set(k, { a: 1, b: [true, null] });
  assert.deepEqual(await redis.get(k), { a: 1, b: [true, null] });
  await redis.set(k, { x: "y" });
  assert.deepEqual(await theirs.get(k), { x: "y" });
  await redis.set(k, 8);
  assert.equal(await redis.get(k), 8);
  assert.equal(await theirs.get(k), 8);
  await redis.set(k, "OK");
  assert.equal(await redis.get(k), "OK");
  await redis.set(k, "1.0");
  assert.equal(await redis.get(k), "1.0");
  assert.equal(await theirs.get(k), "1.0");
});

test("a string that looks like JSON round-trips, for both clients", { skip }, async () => {
  const redis = client();
  const theirs = upstash();
  for (const s of ["true", "false", "null", '{"a":1}', '"quoted"', "[1,2]", " 5", "-0", "1e3"]) {
    const k = key("looks");
    await redis.set(k, s);
    assert.equal(await redis.get(k), s, `edgestash reads back ${s}`);
    assert.equal(await theirs.get(k), s, `@upstash/redis reads edgestash's ${s}`);
    await redis.lpush(`${k}:l`, s);
    assert.deepEqual(await redis.lrange(`${k}:l`, 0, -1), [s]);
    await redis.hset(`${k}:h`, { f: s });
    assert.deepEqual(await redis.hgetall(`${k}:h`), { f: s });
    await redis.sadd(`${k}:s`, s);
    assert.equal(await redis.sismember(`${k}:s`, s), 1);
  }
  // @upstash/redis's own defect, for the record: its "null" reads as null.
  const k = key("theirs");
  await theirs.set(k, "null");
  assert.equal(await theirs.get(k), null);
  // Numeric strings stay numbers Redis can count with, as with
  // @upstash/redis: "8" is stored as 8 and reads back as the number 8.
  await redis.set(k, "8");
  assert.equal(await redis.incr(k), 9);
  assert.equal(await redis.get(k), 9);
  assert.equal(await theirs.get(k), 9);
  await redis.hset(`${k}:h`, { n: "1" });
  assert.equal(await redis.hincrby(`${k}:h`, "n", 2), 3);
});

test("automaticDeserialization: false stores and returns raw strings", { skip }, async () => {
  const raw = client({ automaticDeserialization: false });
  const k = key("raw");
  await raw.set(k, "8");
  assert.equal(await raw.get(k), "8");
  assert.equal(await raw.incr(k), 9);
  await raw.hset(`${k}:h`, { a: "1", b: "x" });
  assert.deepEqual(await raw.hgetall(`${k}:h`), ["a", "1", "b", "x"]);
  assert.deepEqual(await upstash({ automaticDeserialization: false }).hgetall(`${k}:h`), ["a", "1", "b", "x"]);
});

test("integers beyond 2^53 keep every digit, inside JSON too", { skip }, async () => {
  const redis = client();
  const k = key("big");
  // Written raw (as another client would): this client's own set() of
  // that string would read back the string itself.
  await redis.exec(["SET", k, '{"id":12345678901234567890,"n":1}']);
  assert.deepEqual(await redis.get(k), { id: "12345678901234567890", n: 1 });
  const big = client({ bigint: true });
  assert.deepEqual(await big.get(k), { id: 12345678901234567890n, n: 1 });
  await redis.set(k, "9223372036854775806");
  assert.equal(await redis.get(k), "9223372036854775806");
  assert.equal(await redis.incr(k), "9223372036854775807");
  // @upstash/redis rounds the one inside the object.
  const theirs = await upstash().exec(["GET", k]);
  assert.equal(typeof theirs, "string");
});

test("binary values stay exact with encoding: bytes", { skip }, async () => {
  const bytes = client({ encoding: "bytes" });
  const k = key("bin");
  const value = new Uint8Array([0x7b, 0x22, 0xff, 0x00, 0x31]);
  await bytes.set(k, value);
  assert.deepEqual(await bytes.get(k), value);
});

test("reply shapes: zscore, incrbyfloat, time numbers; hmget an object", { skip }, async () => {
  const redis = client();
  const k = key("shapes");
  await redis.zadd(k, { score: 1.5, member: "m" });
  assert.equal(await redis.zscore(k, "m"), 1.5);
  assert.equal(await redis.incrbyfloat(`${k}:f`, 2.5), 2.5);
  const [s, us] = await redis.time();
  assert.equal(typeof s, "number");
  assert.equal(typeof us, "number");
  await redis.hset(`${k}:h`, { a: 1, b: { c: 2 } });
  assert.deepEqual(await redis.hmget(`${k}:h`, "a", "b", "z"), { a: 1, b: { c: 2 }, z: null });
  assert.equal(await redis.hmget(`${k}:none`, "a"), null);
  const [cursor] = await redis.scan(0, { match: `${k}*` });
  assert.equal(typeof cursor, "string");
});

test("errors are UpstashError instances with edgestash's kind", { skip }, async () => {
  const redis = client();
  const k = key("err");
  await redis.lpush(k, "x");
  const e = await redis.incr(k).catch((x) => x);
  assert.ok(e instanceof UpstashError && e instanceof EdgestashError);
  assert.equal(e.name, "UpstashError");
  assert.equal(e.kind, "redis");
  assert.match(e.message, /WRONGTYPE/);
  const p = redis.pipeline().set(`${k}:a`, 1).evalsha("0".repeat(40), [], []).get(`${k}:a`);
  await assert.rejects(p.exec(), (x) => x instanceof UpstashError && /^Command 2 \[ evalsha \] failed: NOSCRIPT/.test(x.message));
  const kept = await redis.pipeline().set(`${k}:a`, 1).evalsha("0".repeat(40), [], []).exec({ keepErrors: true });
  assert.equal(kept[0].error, undefined);
  assert.equal(kept[0].result, "OK");
  assert.match(kept[1].error, /^NOSCRIPT/);
});

test("fromEnv(options), Workers' env, KV_ names; bound methods", { skip }, async () => {
  const saved = { ...process.env };
  try {
    process.env.UPSTASH_REDIS_REST_URL = srv.url;
    process.env.UPSTASH_REDIS_REST_TOKEN = srv.token;
    const redis = Redis.fromEnv({ automaticDeserialization: false });
    const { set, get } = redis;
    const k = key("env");
    await set(k, "1");
    assert.equal(await get(k), "1");
  } finally {
    process.env = saved;
  }
  const fromWorker = Redis.fromEnv({ KV_REST_API_URL: srv.url, KV_REST_API_TOKEN: srv.token });
  assert.equal(await fromWorker.ping(), "PONG");
  const withOptions = Redis.fromEnv({ UPSTASH_REDIS_REST_URL: srv.url, UPSTASH_REDIS_REST_TOKEN: srv.token }, { enableAutoPipelining: false });
  assert.equal(await withOptions.echo("x"), "x");
});

test("pipelines: length(), empty rejects, bound pipeline(), multi()", { skip }, async () => {
  const redis = client();
  const { pipeline } = redis;
  const p = pipeline();
  assert.equal(p.length(), 0);
  await assert.rejects(p.exec(), /Pipeline is empty/);
  const k = key("p");
  p.set(k, 1).incr(k);
  assert.equal(p.length(), 2);
  assert.deepEqual(await p.exec(), ["OK", 2]);
  const tx = redis.multi();
  tx.incr(k).get(k);
  assert.deepEqual(await tx.exec(), [3, 3]);
});

test("expire NX/XX/GT/LT are sent, not dropped", { skip }, async () => {
  const redis = client();
  const k = key("exp");
  await redis.set(k, 1);
  assert.equal(await redis.expire(k, 100, "XX"), 0);
  assert.equal(await redis.expire(k, 100, "NX"), 1);
  assert.equal(await redis.expire(k, 50, "GT"), 0);
  assert.equal(await redis.pexpire(k, 50000, "LT"), 1);
  assert.equal(await redis.expireat(k, Math.floor(Date.now() / 1000) + 10, "nx"), 0);
  await assert.rejects(async () => redis.expire(k, 1, "SOMETIMES"), TypeError);
});

test("zrange: offset/count, byLex, byScore, rev, withScores", { skip }, async () => {
  const redis = client();
  const k = key("z");
  await redis.zadd(k, { score: 1, member: "a" }, { score: 2, member: "b" }, { score: 3, member: "c" });
  assert.deepEqual(await redis.zrange(k, "-", "+", { byLex: true, offset: 1, count: 1 }), ["b"]);
  assert.deepEqual(await redis.zrange(k, "(1", "+inf", { byScore: true, withScores: true }), ["b", 2, "c", 3]);
  assert.deepEqual(await redis.zrange(k, 0, -1, { rev: true }), ["c", "b", "a"]);
  assert.deepEqual(await redis.zrange(k, 3, 1, { byScore: true, rev: true, offset: 0, count: 2 }), ["c", "b"]);
});

test("createScript: exec loads once, readonly scripts use EVAL_RO", { skip }, async () => {
  const redis = client();
  const script = redis.createScript("return ARGV[1]");
  assert.match(script.sha1, /^[0-9a-f]{40}$/);
  assert.equal(redis.createScript("").sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  await assert.rejects(script.evalsha([], ["x"]), /NOSCRIPT/);
  assert.equal(await script.exec([], ["x"]), "x");
  assert.equal(await script.evalsha([], ["y"]), "y");
  const ro = redis.createScript("return redis.call('GET', KEYS[1])", { readonly: true });
  const k = key("ro");
  await redis.set(k, "v");
  assert.equal(await ro.exec([k], []), "v");
});

test("use(middleware) sees each request and its raw result", { skip }, async () => {
  const redis = client({ enableAutoPipelining: false });
  const seen = [];
  redis.use(async (req, next) => {
    const res = await next(req);
    seen.push([req.body[0], res.result]);
    return res;
  });
  const k = key("mw");
  await redis.set(k, 5);
  assert.equal(await redis.get(k), 5);
  assert.deepEqual(seen, [
    ["set", "OK"],
    ["get", "5"],
  ]);
});

test("signal, retry: false, latencyLogging", { skip }, async () => {
  const controller = new AbortController();
  const redis = client({ signal: controller.signal, enableAutoPipelining: false });
  controller.abort("stop");
  assert.equal(await redis.get(key("sig")), "stop");
  const timed = client({ signal: () => AbortSignal.abort(new Error("gone")) });
  await assert.rejects(timed.get(key("sig")), /gone/);

  const port = await freePort();
  const down = new Redis({ url: `http://127.0.0.1:${port}`, token: "t", retry: false });
  await assert.rejects(down.get("k"), (e) => e.kind === "transport");
  assert.equal(down.metrics().retries ?? 0, 0);
  let tries = 0;
  const backoff = new Redis({ url: `http://127.0.0.1:${port}`, token: "t", retry: { retries: 2, backoff: () => (tries++, 1) } });
  await assert.rejects(backoff.get("k"), (e) => e.kind === "transport");
  assert.equal(tries, 2);

  const logged = [];
  const original = console.log;
  console.log = (...args) => logged.push(args.join(" "));
  try {
    await client({ latencyLogging: true }).ping();
  } finally {
    console.log = original;
  }
  assert.match(logged.join("\n"), /Latency for .*PING.* ms/);
});

test("options edgestash cannot honour throw", () => {
  const base = { url: "https://example.com", token: "t" };
  assert.throws(() => new Redis({ ...base, keepAlive: false }), /keepAlive/);
  assert.throws(() => new Redis({ ...base, agent: {} }), /agent/);
  assert.throws(() => new Redis({ ...base, cache: "default" }), /cache/);
  assert.throws(() => new Redis({ ...base, enableTelemetry: true }), /enableTelemetry/);
  assert.throws(() => new Redis({ ...base, retry: { retries: -1 } }), /retry/);
  assert.throws(() => new Redis({ ...base, nonsense: 1 }), /nonsense/);
});

test("readYourWritesSyncToken moves and can be handed over", { skip }, async () => {
  const a = client();
  await a.set(key("ryw"), 1);
  const token = a.readYourWritesSyncToken;
  assert.equal(typeof token, "string");
  const b = client();
  b.readYourWritesSyncToken = token;
  assert.equal(typeof b.readYourWritesSyncToken, "string");
});

test("pub/sub messages are parsed as @upstash/redis parses them", { skip }, async () => {
  const redis = client();
  const channel = key("ch");
  const sub = await redis.subscribe(channel);
  const got = new Promise((resolve) => sub.on("message", (m) => resolve(m.message)));
  await redis.publish(channel, { hello: "world" });
  assert.deepEqual(await got, { hello: "world" });
  sub.close();
});

test("functions: list and stats shaped as @upstash/redis shapes them", { skip }, async () => {
  const redis = client();
  const theirs = upstash();
  const lib = `compat_${Math.random().toString(36).slice(2)}`;
  const code = `#!lua name=${lib}\nredis.register_function{function_name='${lib}_get', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}, description='reads'}`;
  assert.equal(await redis.functions.load({ code, replace: true }), lib);
  for (const args of [undefined, { libraryName: lib }, { libraryName: lib, withCode: true }]) {
    const ours = await redis.functions.list(args);
    assert.deepEqual(ours, await theirs.functions.list(args));
    assert.ok(ours.some((l) => l.libraryName === lib && l.functions[0].description === "reads"));
  }
  const stats = await redis.functions.stats();
  assert.deepEqual(stats, await theirs.functions.stats());
  assert.ok(stats.engines.LUA.librariesCount >= 1);
  await assert.rejects(() => redis.functions.list({ nosuch: 1 }), TypeError);
  assert.equal(await redis.functions.delete(lib), "OK");
});

/** The command each client puts on the wire for `call`, via `use` (nothing is sent). */
async function wire(make, call) {
  const redis = make({ enableAutoPipelining: false });
  let body;
  redis.use(async (req) => {
    body = req.body;
    return { result: null };
  });
  // Only the request matters: a client's own reading of the stand-in
  // result may fail.
  await Promise.resolve(call(redis)).catch(() => {});
  return body.map((part) => (typeof part === "string" ? part : JSON.stringify(part)));
}

test("Redis 8 commands (HGETDEL, HGETEX, HSETEX, XACKDEL, XDELEX) and json.mset send what @upstash/redis sends", async () => {
  const cases = [
    (r) => r.hgetdel("h", "a", 2),
    (r) => r.hgetex("h", { ex: 10 }, "a", "b"),
    (r) => r.hgetex("h", { persist: true }, "a"),
    (r) => r.hsetex("h", { conditional: "fnx", expiration: { px: 500 } }, { a: 1, b: "x" }),
    (r) => r.hsetex("h", { expiration: { keepttl: true } }, { a: { nested: true } }),
    (r) => r.hsetex("h", {}, { a: "1" }),
    (r) => r.xackdel("s", "g", "keepref", "1-0", "2-0"),
    (r) => r.xdelex("s", "acked", "1-0"),
    // @upstash/redis types json.mset as taking an array but reads its
    // entries spread (an array sends nulls); edgestash takes both.
    (r) => r.json.mset({ key: "a", path: "$", value: { x: 1 } }, { key: "b", path: "$.y", value: 2 }),
  ];
  const opts = { url: "http://127.0.0.1:9", token: "t" };
  for (const call of cases) {
    const ours = await wire((extra) => new Redis({ ...opts, ...extra }), call);
    const theirs = await wire((extra) => new UpstashRedis({ ...opts, enableTelemetry: false, ...extra }), call);
    assert.deepEqual(ours.map((p) => p.toLowerCase()), theirs.map((p) => p.toLowerCase()), call.toString());
  }
  assert.deepEqual(
    await wire((extra) => new Redis({ ...opts, ...extra }), (r) => r.json.mset([{ key: "a", path: "$", value: 1 }])),
    ["json.mset", "a", "$", "1"],
  );
  const r = new Redis(opts);
  await assert.rejects(r.hgetex("h", { ex: 1, px: 2 }, "a"), TypeError);
  await assert.rejects(r.hsetex("h", { conditional: "nx" }, { a: 1 }), TypeError);
  await assert.rejects(r.xackdel("s", "g", "sometimes", "1-0"), TypeError);
  await assert.rejects(r.json.mset([{ key: "a", path: "$", value: 1, nx: true }]), TypeError);
});

test("bitfield: chained subcommands, on Redis and on a pipeline, as @upstash/redis", { skip }, async () => {
  const redis = client();
  // @upstash/redis's bitfield() chain breaks under its auto-pipelining;
  // edgestash's works either way.
  const theirs = upstash({ enableAutoPipelining: false });
  const k = key("bf");
  const ours = await redis.bitfield(k).set("u8", 0, 200).incrby("u8", 0, 100).overflow("SAT").incrby("u8", "#1", 300).get("u8", 0).exec();
  const k2 = key("bf");
  const upstream = await theirs.bitfield(k2).set("u8", 0, 200).incrby("u8", 0, 100).overflow("SAT").incrby("u8", "#1", 300).get("u8", 0).exec();
  assert.deepEqual(ours, upstream);
  assert.deepEqual(ours, [0, 44, 255, 44]);
  const p = redis.pipeline();
  assert.equal(p.bitfield(k).get("u8", 0).exec(), p);
  p.strlen(k);
  assert.deepEqual(await p.exec(), [[44], 2]);
  assert.throws(() => redis.bitfield(k).get("u8"), TypeError);
});

/** What each client makes of `raw` as the reply to `call`, via `use` (nothing is sent). */
async function shapedBy(make, call, raw) {
  const redis = make({ enableAutoPipelining: false });
  redis.use(async () => ({ result: raw }));
  return call(redis);
}

test("Upstash arrays (ar*): the same commands on the wire and the same results as @upstash/redis", async () => {
  const opts = { url: "http://127.0.0.1:9", token: "t" };
  const ours = (extra) => new Redis({ ...opts, ...extra });
  const theirs = (extra) => new UpstashRedis({ ...opts, enableTelemetry: false, ...extra });
  const cases = [
    [(r) => r.arcount("a"), 3],
    [(r) => r.ardel("a", 1, "2"), 2],
    [(r) => r.ardelrange("a", [0, 2], [5, "7"]), 4],
    [(r) => r.arget("a", 3), '{"x":1}'],
    [(r) => r.argetrange("a", 0, 2), ["1", null, "x"]],
    [(r) => r.argrep("a", 0, -1, { predicates: [{ exact: "x" }, { glob: "a*" }, { re: "^b" }, { match: "m" }], combine: "or", noCase: true, withValues: true, limit: 5 }), [[0, "x"], [4, "ab"]]],
    [(r) => r.argrep("a", 0, -1, { predicates: [{ exact: "x" }] }), [0, 7]],
    [(r) => r.arinfo("a", { full: true }), ["len", 10, "count", "3", "slice-size", 1024, "next-insert-index", 11, "dense-slices", "1"]],
    [(r) => r.arinsert("a", "v", { o: 1 }), 7],
    [(r) => r.arlastitems("a", 2, { rev: true }), ["2", "1"]],
    [(r) => r.arlen("a"), 12],
    [(r) => r.armget("a", 1, 2), ["1", null]],
    [(r) => r.armset("a", { 1: "x", 5: { y: 2 } }), 2],
    [(r) => r.armset("a", [[1, "x"], [2, 3]]), 2],
    [(r) => r.arnext("a"), 9],
    [(r) => r.arnext("a"), null],
    [(r) => r.arop("a", 0, -1, "sum"), "42"],
    [(r) => r.arop("a", 0, -1, { match: "x" }), 2],
    [(r) => r.arring("a", 3, "x", "y"), 2],
    [(r) => r.arscan("a", 0, -1, { limit: 10 }), [[0, "1"], [3, '{"a":1}']]],
    [(r) => r.arseek("a", 4), 1],
    [(r) => r.arset("a", 0, "x", "y"), 2],
  ];
  for (const [call, raw] of cases) {
    const sent = await wire(ours, call);
    assert.deepEqual(sent.map((p) => p.toLowerCase()), (await wire(theirs, call)).map((p) => p.toLowerCase()), call.toString());
    assert.deepEqual(await shapedBy(ours, call, raw), await shapedBy(theirs, call, raw), `${call}: result`);
  }
  const r = ours({});
  await assert.rejects(r.argrep("a", 0, 1, { predicates: [{ nosuch: "x" }] }), TypeError);
  await assert.rejects(r.arop("a", 0, 1, "median"), TypeError);
  await assert.rejects(r.arinfo("a", { fast: true }), TypeError);
});
