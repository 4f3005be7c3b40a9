// Auto-pipelining (on by default, as in @upstash/redis): calls made in the
// same tick travel in one request, keep their order, and settle one by one.
// On the embedded engine and against edgestash-server over a REAL redis-server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Redis, EdgestashError } from "../src/node.js";
import { serverSkip as skip, useServer } from "./helpers.js";

const server = useServer("auto");
/** Requests sent so far (one latency sample per request). */
const requests = (redis) => redis.metrics().latency.count;

for (const [where, make, opts] of [
  // Raw replies (automaticDeserialization: false): these tests are about
  // order and per-call decoding, which JSON parsing would only blur.
  ["embedded engine", () => new Redis({ mock: true, automaticDeserialization: false }), {}],
  ["edgestash-server over Redis", () => new Redis({ url: server.url, token: server.token, automaticDeserialization: false }), { skip }],
]) {
  test(`${where}: one request per tick, in order, each call settling alone`, opts, async () => {
    const redis = make();
    const key = `auto-${Date.now()}`;
    const before = requests(redis);
    const calls = [redis.set(key, "text"), ...Array.from({ length: 20 }, () => redis.incr(`${key}:n`)), redis.incr(key), redis.get(key)];
    const settled = await Promise.allSettled(calls);
    assert.equal(requests(redis) - before, 1, "one request for the whole tick");
    assert.equal(settled[0].value, "OK");
    assert.deepEqual(settled.slice(1, 21).map((s) => s.value), Array.from({ length: 20 }, (_, i) => i + 1));
    // INCR of a string fails alone; the GET after it still answers.
    assert.equal(settled[21].status, "rejected");
    assert.ok(settled[21].reason instanceof EdgestashError);
    assert.equal(settled[21].reason.redisKind, "ERR");
    assert.equal(settled[22].value, "text");
    // Sequential calls go one by one, as plain commands.
    assert.equal(await redis.get(key), "text");
    assert.equal(await redis.incr(`${key}:n`), 21);
    assert.equal(requests(redis) - before, 3);
  });

  test(`${where}: a batch carries any string argument exactly`, opts, async () => {
    // The batch crosses into wasm as one string plus UTF-16 lengths: every
    // argument must come out whole, whatever its characters.
    const redis = make();
    const key = `auto-text-${Date.now()}`;
    const values = ["", "é", "😀 and 😀", "a\"b\\c", "tab\tnl\n", "\u0000", "日本語", "x".repeat(5000), "\ud800"];
    const before = requests(redis);
    const sets = values.map((v, i) => redis.set(`${key}:${v}:${i}`, v));
    const gets = values.map((v, i) => redis.get(`${key}:${v}:${i}`));
    assert.deepEqual(await Promise.all(sets), values.map(() => "OK"));
    const got = await Promise.all(gets);
    assert.equal(requests(redis) - before, 1, "one request for the whole tick");
    // A lone surrogate is not Unicode: it is sent as U+FFFD, as the same
    // call without auto-pipelining sends it.
    assert.deepEqual(got, [...values.slice(0, -1), "\ufffd"]);
  });

  test(`${where}: binary arguments, per-call decoding and explicit pipelines keep order`, opts, async () => {
    const redis = make();
    const key = `auto-bin-${Date.now()}`;
    const bytes = new Uint8Array([0, 255, 7]);
    const [a, b, c, d] = await Promise.all([
      redis.set(`${key}:s`, "1"),
      redis.set(`${key}:b`, bytes),
      redis.exec(["get", `${key}:b`], { encoding: "bytes" }),
      redis.get(`${key}:s`),
    ]);
    assert.deepEqual([a, b, d], ["OK", "OK", "1"]);
    assert.deepEqual(c, bytes);
    const queued = redis.incr(`${key}:n`);
    const [n] = await redis.pipeline().get(`${key}:n`).exec();
    assert.equal(n, "1", "the queued INCR left before the pipeline");
    assert.equal(await queued, 1);
  });

  test(`${where}: one tick runs in call order across binary calls, mixed decodings and 1000+ calls`, opts, async () => {
    const redis = make();
    for (let round = 0; round < 10; round++) {
      const key = `auto-order-${Date.now()}-${round}`;
      const bytes = new Uint8Array([0, 255, 1]);
      const calls = [
        redis.set(key, "text"),
        redis.set(key, bytes), // sent alone, after the SET before it
        redis.append(key, "z"), // after the binary SET
        redis.exec(["get", key], { encoding: "bytes" }),
        redis.strlen(key),
      ];
      const [, , len, got, strlen] = await Promise.all(calls);
      assert.equal(len, 4, `round ${round}: APPEND ran after the binary SET`);
      assert.deepEqual(got, new Uint8Array([0, 255, 1, 122]));
      assert.equal(strlen, 4);
    }
    for (let round = 0; round < 10; round++) {
      const key = `auto-pipe-${Date.now()}-${round}`;
      const first = redis.set(key, "1");
      const piped = redis.multi().incr(key).incr(key).exec();
      const after = redis.get(key);
      assert.deepEqual(await Promise.all([first, piped, after]), ["OK", [2, 3], "3"], `round ${round}`);
    }
    // Plain pipelines share the tick's request, in call order, each
    // answering with its own slice; a failing command stays in its pipeline.
    const before = requests(redis);
    const k = `auto-share-${Date.now()}`;
    const [s1, p1, p2, g1, p3] = await Promise.all([
      redis.set(k, "1"),
      redis.pipeline().incr(k).get(k).exec(),
      redis.pipeline().incr(k).exec({ encoding: "bytes" }),
      redis.get(k),
      redis.pipeline().set(`${k}:s`, "x").incr(`${k}:s`).exec({ keepErrors: true }),
    ]);
    assert.equal(requests(redis) - before, 1, "one request for calls and pipelines of one tick");
    assert.deepEqual([s1, p1, p2, g1], ["OK", [2, "2"], [3], "3"]);
    assert.equal(p3[0].result, "OK");
    assert.match(p3[1].error, /^ERR /); // keepErrors: Redis's text, as @upstash/redis
    await assert.rejects(Promise.all([redis.get(k), redis.pipeline().incr(`${k}:s`).exec()]), (e) => e.redisKind === "ERR");
    const key = `auto-many-${Date.now()}`;
    const n = 2500;
    const replies = await Promise.all(Array.from({ length: n }, () => redis.incr(key)));
    assert.deepEqual(replies, Array.from({ length: n }, (_, i) => i + 1), "batches of 1000 run in order");
  });

  test(`${where}: a reply that is not UTF-8 fails its own call only`, opts, async () => {
    const redis = make();
    const key = `auto-utf8-${Date.now()}`;
    await redis.set(key, new Uint8Array([0xff, 0xfe]));
    const before = requests(redis);
    const settled = await Promise.allSettled([
      redis.get(key),
      redis.incr(`${key}:n`),
      redis.exec(["get", key], { encoding: "bytes" }),
      redis.exec(["incrby", `${key}:big`, "9007199254740993"], { bigint: true }),
      redis.incrby(`${key}:big`, 1),
    ]);
    assert.equal(requests(redis) - before, 1, "mixed decodings still share one request");
    assert.equal(settled[0].status, "rejected");
    assert.match(String(settled[0].reason), /not valid UTF-8/);
    assert.equal(settled[1].value, 1);
    assert.deepEqual(settled[2].value, new Uint8Array([0xff, 0xfe]));
    assert.equal(settled[3].value, 9007199254740993n);
    assert.equal(settled[4].value, "9007199254740994", "without bigint: a decimal string");
    // Same in an explicit pipeline with keepErrors.
    const entries = await redis.pipeline().get(key).incr(`${key}:n`).exec({ keepErrors: true });
    assert.match(String(entries[0].error), /not valid UTF-8/);
    assert.equal(entries[1].result, 2);
  });

  test(`${where}: a call refused in a workspace fails alone, not its whole tick`, opts, async () => {
    const ws = make().workspace("auto");
    await ws.set("k", "v");
    const settled = await Promise.allSettled([ws.get("k"), ws.exec(["flushall"]), ws.get("k")]);
    assert.deepEqual(settled.map((s) => s.status), ["fulfilled", "rejected", "fulfilled"]);
    assert.equal(settled[1].reason.code, "forbidden");
    assert.equal(settled[2].value, "v");
    // The others still run in call order, one after another.
    for (let round = 0; round < 5; round++) {
      const k = `order-${round}`;
      const [, refused, appended, value] = await Promise.allSettled([ws.set(k, "a"), ws.exec(["flushall"]), ws.append(k, "b"), ws.get(k)]);
      assert.equal(refused.status, "rejected");
      assert.equal(appended.value, 2);
      assert.equal(value.value, "ab");
    }
  });
}

test("autoPipelining: false sends every call alone", async () => {
  for (const config of [{ autoPipelining: false }, { enableAutoPipelining: false }]) {
    const redis = new Redis({ mock: true, ...config });
    await Promise.all([redis.set("a", "1"), redis.get("a"), redis.incr("n")]);
    assert.equal(requests(redis), 3);
  }
});
