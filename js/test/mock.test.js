// The package against its embedded engine (mock mode): the facade, value
// forms, batches and errors, with no network. Only commands the engine on
// this branch implements are used (del ping echo time dbsize get set incr);
// the families are being added by other work, and server.test.js covers the
// wider set against real Redis.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "../src/node.js";

test("strings, counters and expiry on the engine", async () => {
  const redis = new Redis({ mock: true });
  assert.equal(redis.mode, "mock");
  assert.equal(await redis.ping(), "PONG");
  assert.equal(await redis.set("k", "v", { ex: 100 }), "OK");
  assert.equal(await redis.get("k"), "v");
  assert.equal(await redis.get("missing"), null);
  assert.equal(await redis.incr("n"), 1);
  assert.equal(await redis.incr("n"), 2);
  assert.equal(await redis.set("a", 1), "OK");
  assert.equal(await redis.del("a", "k", "nope"), 2);
  assert.equal(await redis.dbsize(), 1);
  assert.equal(await redis.echo("hi"), "hi");
});

test("values come back as strings or bytes by request, JSON parsed only when asked", async () => {
  const redis = new Redis({ mock: true });
  await redis.set("json", { a: 1 });
  assert.deepEqual(await redis.get("json"), { a: 1 });
  assert.equal(await redis.exec(["get", "json"], { automaticDeserialization: false }), '{"a":1}');
  const bytes = new Uint8Array([0, 255, 1, 128]);
  await redis.set("bin", bytes);
  assert.deepEqual(await redis.exec(["get", "bin"], { encoding: "bytes" }), bytes);
  await assert.rejects(redis.get("bin"), (e) => e instanceof TypeError && /UTF-8/.test(e.message));
  const bytes2 = new Redis({ mock: true, encoding: "bytes" });
  await bytes2.set("s", "é");
  assert.deepEqual(await bytes2.get("s"), new TextEncoder().encode("é"));
});

test("integers beyond 2^53 as strings or BigInt, never rounded", async () => {
  const redis = new Redis({ mock: true });
  await redis.set("big", "9007199254740993");
  assert.equal(await redis.incr("big"), "9007199254740994");
  const big = new Redis({ mock: true, bigint: true });
  await big.set("big", 9007199254740993n);
  assert.equal(await big.incr("big"), 9007199254740994n);
  assert.equal(await big.incr("small"), 1);
});

test("pipeline and multi keep order and per-command errors", async () => {
  const redis = new Redis({ mock: true });
  const replies = await redis.pipeline().set("p", 1).incr("p").get("p").exec();
  assert.deepEqual(replies, ["OK", 2, 2]);
  const tx = await redis.multi().set("t", "x").get("t").exec();
  assert.deepEqual(tx, ["OK", "x"]);
  const p = redis.pipeline().set("s", "text").incr("s").get("s");
  await assert.rejects(p.exec(), (e) => e.name === "UpstashError" && e.kind === "redis" && /^Command 2 \[ incr \] failed: ERR/.test(e.message));
  const kept = await redis.pipeline().set("s", "text").incr("s").get("s").exec({ keepErrors: true });
  assert.equal(kept[0].result, "OK");
  assert.match(kept[1].error, /^ERR /);
  assert.equal(kept[2].result, "text");
  // Empty: rejected, as @upstash/redis does.
  await assert.rejects(redis.pipeline().exec(), /Pipeline is empty/);
});

test("errors are typed and never echo values", async () => {
  const redis = new Redis({ mock: true });
  await redis.set("str", "x");
  await assert.rejects(redis.exec(["nosuchcommand", "secret-value"]), (e) => {
    assert.equal(e.name, "UpstashError");
    assert.equal(e.kind, "redis");
    assert.ok(!e.message.includes("secret-value"), e.message);
    return true;
  });
  await assert.rejects(redis.set("k", undefined), TypeError);
});

test("configuration follows the library's rules", () => {
  assert.throws(() => new Redis({}), (e) => e.kind === "config" && /UPSTASH_REDIS_REST_URL/.test(e.message));
  assert.throws(
    () => new Redis({ mock: true, environment: "production" }),
    (e) => e.kind === "config" && /MOCK_REDIS/.test(e.message),
  );
  assert.throws(
    () => new Redis({ url: "http://example.com", token: "t", environment: "production" }),
    (e) => e.kind === "config" && !e.message.includes("example.com"),
  );
  const fromEnv = Redis.fromEnv({ MOCK_REDIS: "true", APP_ENV: "test" });
  assert.equal(fromEnv.mode, "mock");
  const metrics = fromEnv.metrics();
  assert.equal(metrics.mock_activations, 1);
});
