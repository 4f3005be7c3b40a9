// The package's fetch transport against edgestash-server over a REAL
// redis-server. Runs when EDGESTASH_SERVER_BIN names the server binary
// (scripts/js-test.sh sets it once the server's CLI is built); skipped
// otherwise, with the reason printed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "../src/node.js";
import { createServer } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { once } from "node:events";
import { startRedis, startServer, serverAvailable, freePort } from "./helpers.js";

const skip = serverAvailable ? false : "EDGESTASH_SERVER_BIN not set (edgestash-server not built)";
const TOKEN = "test-token-" + Math.random().toString(36).slice(2);
let redisServer;
let server;
let redis;

before(async () => {
  if (skip) return;
  redisServer = await startRedis();
  server = await startServer(redisServer.url, TOKEN);
  redis = new Redis({ url: server.url, token: TOKEN });
});

after(async () => {
  await server?.stop();
  await redisServer?.stop();
});

test("commands over HTTP to real Redis", { skip }, async () => {
  assert.equal(redis.mode, "redis");
  assert.equal(await redis.ping(), "PONG");
  assert.equal(await redis.set("k", "v", { ex: 100 }), "OK");
  assert.equal(await redis.get("k"), "v");
  const ttl = await redis.ttl("k");
  assert.ok(ttl > 0 && ttl <= 100, String(ttl));
  assert.equal(await redis.incrby("n", 41), 41);
  assert.equal(await redis.mset({ a: "1", b: 2 }), "OK");
  // Parsed as @upstash/redis parses: numeric text reads back as numbers.
  assert.deepEqual(await redis.mget("a", "b", "c"), [1, 2, null]);
  assert.equal(await redis.hset("h", { f1: "a", f2: 2 }), 2);
  assert.equal(await redis.hget("h", "f1"), "a");
  assert.deepEqual(await redis.hgetall("h"), { f1: "a", f2: 2 });
  assert.equal(await redis.expire("h", 50), 1);
  assert.equal(await redis.rpush("l", "x", "y"), 2);
  assert.deepEqual(await redis.lrange("l", 0, -1), ["x", "y"]);
  assert.equal(await redis.del("a", "b", "l"), 3);
});

test("binary values and big integers survive the wire", { skip }, async () => {
  const bytes = new Uint8Array([0, 255, 1, 128, 10]);
  assert.equal(await redis.set("bin", bytes), "OK");
  assert.deepEqual(await redis.exec(["get", "bin"], { encoding: "bytes" }), bytes);
  await redis.set("big", "9223372036854775806");
  assert.equal(await redis.incr("big"), "9223372036854775807");
  const big = new Redis({ url: server.url, token: TOKEN, bigint: true });
  assert.equal(await big.get("big"), 9223372036854775807n);
  assert.equal(await big.incrby("big", -1), 9223372036854775806n);
});

test("pipeline and multi over HTTP", { skip }, async () => {
  assert.deepEqual(await redis.pipeline().set("p", 1).incr("p").get("p").exec(), ["OK", 2, 2]);
  assert.deepEqual(await redis.multi().set("t", "x").get("t").exec(), ["OK", "x"]);
  const kept = await redis.pipeline().set("s", "text").incr("s").exec({ keepErrors: true });
  // @upstash/redis's shape: `error` is Redis's text.
  assert.match(kept[1].error, /^ERR /);
});

test("wrong token is an auth error; unreachable endpoint a transport error", { skip }, async () => {
  const wrong = new Redis({ url: server.url, token: "wrong-token" });
  await assert.rejects(wrong.get("k"), (e) => {
    assert.equal(e.kind, "auth");
    assert.ok(!e.message.includes("wrong-token"));
    return true;
  });
  const port = await freePort();
  const gone = new Redis({ url: `http://127.0.0.1:${port}`, token: TOKEN, retry: { retries: 1 } });
  await assert.rejects(gone.get("k"), (e) => e.kind === "transport" && /could not connect/.test(e.message));
  assert.equal(gone.metrics().retries, 1);
});

test("a silent endpoint times out through the AbortSignal deadline", { timeout: 5000 }, async () => {
  // Accepts connections and never answers: only the deadline can end the
  // request. The connection that carried it is watched.
  const sockets = [];
  let carrier;
  const silent = createServer((s) => {
    sockets.push(s);
    s.once("data", () => (carrier = s));
  });
  await new Promise((r) => silent.listen(0, "127.0.0.1", r));
  try {
    const { port } = silent.address();
    const redis = new Redis({ url: `http://127.0.0.1:${port}`, token: "t", timeoutMs: 200, retry: { retries: 0 } });
    await assert.rejects(redis.get("k"), (e) => e.kind === "transport" && e.code === "timeout");
    // Aborted, not just abandoned: the client closes that connection.
    assert.ok(carrier, "the request reached the endpoint");
    if (!carrier.destroyed) await once(carrier, "close");
  } finally {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => silent.close(r));
  }
});

test("a redirect is reported, not followed, and not retried", async () => {
  let requests = 0;
  const moved = createHttpServer((req, res) => {
    requests++;
    res.writeHead(308, { Location: "http://127.0.0.1:1/elsewhere" }).end();
  });
  await new Promise((r) => moved.listen(0, "127.0.0.1", r));
  try {
    const { port } = moved.address();
    const redis = new Redis({ url: `http://127.0.0.1:${port}`, token: "t", retry: { retries: 2 } });
    await assert.rejects(redis.get("k"), (e) => {
      assert.equal(e.kind, "transport");
      assert.equal(e.code, "redirect");
      assert.match(e.message, /redirect/);
      return true;
    });
    assert.equal(requests, 1);
  } finally {
    await new Promise((r) => moved.close(r));
  }
});

for (const [where, make, opts] of [
  ["embedded engine", () => new Redis({ mock: true }), {}],
  ["edgestash-server over Redis", () => new Redis({ url: server.url, token: TOKEN }), { skip }],
]) {
  test(`${where}: zadd takes @upstash/redis's options object first`, opts, async () => {
    const redis = make();
    const key = `z-${Date.now()}`;
    assert.equal(await redis.zadd(key, { score: 1, member: "a" }, { score: 2, member: "b" }), 2);
    assert.equal(await redis.zadd(key, { nx: true }, { score: 5, member: "a" }, { score: 3, member: "c" }), 1);
    assert.equal(await redis.zscore(key, "a"), 1, "nx kept a's score");
    assert.equal(await redis.zadd(key, { xx: true, ch: true }, { score: 9, member: "b" }, { score: 4, member: "d" }), 1);
    assert.equal(await redis.zadd(key, { gt: true, ch: true }, { score: 0, member: "b" }), 0);
    assert.equal(await redis.zadd(key, { incr: true }, { score: 2, member: "c" }), 5);
    assert.deepEqual(await redis.zrange(key, 0, -1), ["a", "c", "b"]);
  });
}
