// Pub/sub through the npm package's wasm: the fetch-body stream (the
// wasm32 transport's ReadableStream reader) against edgestash-server over
// a REAL redis-server, and the mock transport. Uses the raw wasm exports
// (WasmClient.subscribe / psubscribe -> WasmSubscription) so it does not
// depend on the facade's shape. Server-backed tests run when
// EDGESTASH_SERVER_BIN names the server binary (scripts/js-test.sh sets it).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import "../src/node.js"; // instantiates the wasm module
import { WasmClient } from "../pkg/edgestash.js";
import { startRedis, startServer, serverAvailable } from "./helpers.js";

const skip = serverAvailable ? false : "EDGESTASH_SERVER_BIN not set (edgestash-server not built)";
const TOKEN = "pubsub-token-" + Math.random().toString(36).slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let redisServer;
let server;

before(async () => {
  if (skip) return;
  redisServer = await startRedis();
  server = await startServer(redisServer.url, TOKEN);
});

after(async () => {
  await server?.stop();
  await redisServer?.stop();
});

/** Fails instead of hanging when a message never comes. */
function within(promise, ms = 10000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

test("mock mode: subscribe and publish in process", async () => {
  const c = WasmClient.fromSettings({ MOCK_REDIS: "true" });
  const sub = await c.subscribe(["news"]);
  assert.equal(await c.exec(["PUBLISH", "news", "a,b\nc"], 0), 1);
  const m = await within(sub.next());
  assert.equal(m.channel, "news");
  assert.equal(m.pattern, null);
  assert.equal(new TextDecoder().decode(m.payload), "a,b\nc");
  sub.close();
  assert.equal(await c.exec(["PUBLISH", "news", "x"], 0), 0);
});

test("fetch stream: exact bytes, patterns, close ends the request", { skip }, async () => {
  const c = WasmClient.fromSettings({
    UPSTASH_REDIS_REST_URL: server.url,
    UPSTASH_REDIS_REST_TOKEN: TOKEN,
  });
  const sub = await c.subscribe(["news"]);
  const psub = await c.psubscribe(["n*"]);
  const payload = new Uint8Array([0, 255, 44, 10, 13, 58, 32]);
  assert.equal(await c.exec(["PUBLISH", "news", payload], 0), 2);
  const m = await within(sub.next());
  assert.equal(m.channel, "news");
  assert.deepEqual(m.payload, payload);
  const p = await within(psub.next());
  assert.equal(p.pattern, "n*");
  assert.deepEqual(p.payload, payload);
  sub.close();
  psub.close();
  // close() aborts the fetch: the server drops the Redis subscriptions.
  const deadline = Date.now() + 10000;
  while ((await c.exec(["PUBLISH", "news", "late"], 0)) !== 0) {
    assert.ok(Date.now() < deadline, "still subscribed after close()");
    await sleep(20);
  }
});

test("fetch stream: the server going away rejects next()", { skip }, async () => {
  const c = WasmClient.fromSettings({
    UPSTASH_REDIS_REST_URL: server.url,
    UPSTASH_REDIS_REST_TOKEN: TOKEN,
  });
  const sub = await c.subscribe(["bye"]);
  await server.stop();
  await assert.rejects(within(sub.next()), /subscription stream|transport/);
  assert.equal(await sub.next(), null);
});
