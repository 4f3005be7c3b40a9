// The Worker under `wrangler dev` (workerd): health, readiness, admin
// metrics, the demo KV route, the production refusal, and (when
// EDGESTASH_SERVER_BIN is set) the Worker's worker::Fetch transport against
// edgestash-server over a real redis-server.
//
// Each case starts its own `wrangler dev`, one after another (each start
// runs the [build] command of wrangler.toml).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorker, startRedis, startServer, serverAvailable } from "./helpers.js";

const ADMIN = "admin-" + Math.random().toString(36).slice(2);

async function json(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

test("mock mode: health, readiness, admin metrics, KV round trip", async () => {
  const worker = await startWorker({ MOCK_REDIS: "true", APP_ENV: "development", ADMIN_TOKEN: ADMIN });
  try {
    const health = await json(`${worker.url}/health/redis`);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, "degraded");
    assert.equal(health.body.mode, "mock");
    assert.equal(typeof health.body.latency_ms, "number");
    assert.equal((await json(`${worker.url}/api/v1/health/redis`)).status, 200);

    const ready = await json(`${worker.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.ready, true);

    const refused = await fetch(`${worker.url}/api/v1/admin/redis-metrics`);
    assert.equal(refused.status, 401);
    const wrong = await fetch(`${worker.url}/api/v1/admin/redis-metrics`, {
      headers: { Authorization: "Bearer not-the-token" },
    });
    assert.equal(wrong.status, 401);

    const put = await fetch(`${worker.url}/kv/greeting`, { method: "PUT", headers: { ws: "team-1" }, body: "hello" });
    assert.equal(put.status, 200);
    const got = await fetch(`${worker.url}/kv/greeting?ws=team-1`);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), "hello");
    assert.equal((await fetch(`${worker.url}/kv/greeting?ws=team-2`)).status, 404, "workspaces are apart");
    assert.equal((await fetch(`${worker.url}/kv/greeting?ws=bad!id`)).status, 400);
    assert.equal((await fetch(`${worker.url}/kv/greeting`)).status, 400, "a workspace is required");

    const metrics = await json(`${worker.url}/api/v1/admin/redis-metrics`, {
      headers: { Authorization: `Bearer ${ADMIN}` },
    });
    assert.equal(metrics.status, 200);
    assert.equal(metrics.body.mock_activations, 1);
    assert.ok(metrics.body.commands.PING >= 1);
    assert.ok(metrics.body.commands.SET >= 1, "one engine across requests of the isolate");
    assert.equal((await fetch(`${worker.url}/no/such/route`)).status, 404);
  } finally {
    await worker.stop();
  }
});

test("production refuses mock mode on every route, naming MOCK_REDIS", async () => {
  const worker = await startWorker({ MOCK_REDIS: "true", APP_ENV: "production", ADMIN_TOKEN: ADMIN });
  try {
    for (const path of ["/health/redis", "/readyz", "/kv/x?ws=a", "/api/v1/admin/redis-metrics"]) {
      const res = await json(`${worker.url}${path}`);
      assert.equal(res.status, 503, path);
      assert.equal(res.body.status, "unhealthy");
      assert.ok(res.body.variables.includes("MOCK_REDIS"), JSON.stringify(res.body));
      assert.ok(res.body.variables.includes("UPSTASH_REDIS_REST_URL"), JSON.stringify(res.body));
      assert.ok(!JSON.stringify(res.body).includes(ADMIN));
    }
  } finally {
    await worker.stop();
  }
});

test("redis mode over worker::Fetch to edgestash-server and real Redis", {
  skip: serverAvailable ? false : "EDGESTASH_SERVER_BIN not set (edgestash-server not built)",
}, async () => {
  const token = "tok-" + Math.random().toString(36).slice(2);
  const redis = await startRedis();
  const server = await startServer(redis.url, token);
  let worker;
  try {
    worker = await startWorker({
      MOCK_REDIS: "false",
      APP_ENV: "development",
      UPSTASH_REDIS_REST_URL: server.url,
      UPSTASH_REDIS_REST_TOKEN: token,
      ADMIN_TOKEN: ADMIN,
    });
    const health = await json(`${worker.url}/health/redis`);
    assert.equal(health.status, 200, JSON.stringify(health.body));
    assert.equal(health.body.mode, "redis");
    assert.ok(["ok", "degraded"].includes(health.body.status));
    assert.equal((await json(`${worker.url}/readyz`)).status, 200);
    const put = await fetch(`${worker.url}/kv/k1`, { method: "PUT", headers: { ws: "w1" }, body: "v1" });
    assert.equal(put.status, 200);
    const got = await fetch(`${worker.url}/kv/k1`, { headers: { ws: "w1" } });
    assert.equal(await got.text(), "v1");
    await worker.stop();

    worker = await startWorker({
      MOCK_REDIS: "false",
      UPSTASH_REDIS_REST_URL: server.url,
      UPSTASH_REDIS_REST_TOKEN: "wrong-token",
    });
    const bad = await json(`${worker.url}/health/redis`);
    assert.equal(bad.status, 503);
    assert.equal(bad.body.status, "unhealthy");
    assert.equal(bad.body.reason, "auth");
    assert.equal((await json(`${worker.url}/readyz`)).status, 503);
  } finally {
    await worker?.stop();
    await server.stop();
    await redis.stop();
  }
});
