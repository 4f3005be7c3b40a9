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
  ["embedded engine", () => new Redis({ mock: true }), {}],
  ["edgestash-server over Redis", () => new Redis({ url: server.url, token: server.token }), { skip }],
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

  test(`${where}: a call refused in a workspace fails alone, not its whole tick`, opts, async () => {
    const ws = make().workspace("auto");
    await ws.set("k", "v");
    const settled = await Promise.allSettled([ws.get("k"), ws.exec(["flushall"]), ws.get("k")]);
    assert.deepEqual(settled.map((s) => s.status), ["fulfilled", "rejected", "fulfilled"]);
    assert.equal(settled[1].reason.code, "forbidden");
    assert.equal(settled[2].value, "v");
  });
}

test("autoPipelining: false sends every call alone", async () => {
  for (const config of [{ autoPipelining: false }, { enableAutoPipelining: false }]) {
    const redis = new Redis({ mock: true, ...config });
    await Promise.all([redis.set("a", "1"), redis.get("a"), redis.incr("n")]);
    assert.equal(requests(redis), 3);
  }
});
