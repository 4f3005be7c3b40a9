// The Worker gateway under `wrangler dev` (workerd), in front of a small
// origin (scripts/origin.mjs): every route, once over edgestash-server and
// a real redis-server (when EDGESTASH_SERVER_BIN is set) and once more with
// MOCK_REDIS=true; then production's fail-fast refusals.
//
// Each case starts its own `wrangler dev`, one after another (each start
// runs the [build] command of wrangler.toml).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorker, startRedis, startServer, serverAvailable } from "./helpers.js";
import { startOrigin } from "../../scripts/origin.mjs";

const ADMIN = "admin-" + Math.random().toString(36).slice(2);
const SECRET = "session-secret-" + "s".repeat(32);
const LIMIT = 5;

const unique = () => Math.random().toString(36).slice(2);

/** The gateway's variables for a run against `origin`. */
function gatewayVars(origin) {
  return {
    ORIGIN_URL: origin.url,
    CACHE_PREFIXES: "/static/",
    CACHE_TTL_SECONDS: "60",
    RATELIMIT_LIMIT: String(LIMIT),
    RATELIMIT_WINDOW: "60s",
    DEFAULT_WORKSPACE: "",
    ADMIN_TOKEN: ADMIN,
    SESSION_SECRET: SECRET,
    LOG_LEVEL: "debug",
    APP_ENV: "development",
  };
}

/** Drives every route of a running gateway; `mode` is `redis` or `mock`. */
async function driveGateway(worker, origin, mode) {
  // A fresh API key per request unless given: the rate-limit phase is the
  // only one that should ever meet the limit.
  const gw = (path, { ws, key, ...init } = {}) =>
    fetch(`${worker.url}${path}`, {
      ...init,
      headers: { "X-Workspace": ws ?? "w-cache", "X-API-Key": key ?? unique(), ...(init.headers ?? {}) },
    });

  // Health and readiness.
  const health = await fetch(`${worker.url}/health/redis`);
  const report = await health.json();
  assert.equal(health.status, 200, JSON.stringify(report));
  assert.equal(report.mode, mode);
  assert.equal(report.status, mode === "mock" ? "degraded" : report.status);
  assert.ok(["ok", "degraded"].includes(report.status));
  assert.equal(typeof report.latency_ms, "number");
  assert.equal((await fetch(`${worker.url}/api/v1/health/redis`)).status, 200);
  const ready = await fetch(`${worker.url}/readyz`);
  assert.equal(ready.status, 200);
  assert.equal((await ready.json()).ready, true);

  // Workspaces: required (no DEFAULT_WORKSPACE here) and checked.
  const missing = await fetch(`${worker.url}/static/a`);
  assert.equal(missing.status, 400);
  assert.match((await missing.json()).error, /missing workspace/);
  const bad = await gw("/static/a", { ws: "bad!id" });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /invalid workspace id/);

  // Cache: MISS then HIT, same body, the origin asked once.
  const first = await gw("/static/a");
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("x-cache"), "MISS");
  assert.equal(await first.text(), "static /static/a #1\n");
  const second = await gw("/static/a");
  assert.equal(second.headers.get("x-cache"), "HIT");
  assert.equal(second.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await second.text(), "static /static/a #1\n");
  assert.equal(origin.count("GET", "/static/a"), 1);
  // The query is part of the entry; another workspace has its own cache.
  const query = await gw("/static/a?v=2");
  assert.equal(query.headers.get("x-cache"), "MISS");
  assert.equal(await query.text(), "static /static/a?v=2 #1\n");
  const other = await gw("/static/a", { ws: "w-other" });
  assert.equal(other.headers.get("x-cache"), "MISS");
  assert.equal(await other.text(), "static /static/a #2\n");
  // Binary-safe.
  const bytes = [await gw("/static/bytes.bin"), await gw("/static/bytes.bin")];
  assert.deepEqual(bytes.map((r) => r.headers.get("x-cache")), ["MISS", "HIT"]);
  for (const r of bytes) {
    const body = new Uint8Array(await r.arrayBuffer());
    assert.equal(body.length, 256);
    assert.ok(body.every((b, i) => b === i));
    assert.equal(r.headers.get("content-type"), "application/octet-stream");
  }
  // Not stored: private, Set-Cookie, non-2xx.
  for (const path of ["/static/private", "/static/cookie", "/static/missing"]) {
    const a = await gw(path);
    const b = await gw(path);
    assert.deepEqual([a.headers.get("x-cache"), b.headers.get("x-cache")], ["MISS", "MISS"], path);
    await a.arrayBuffer();
    await b.arrayBuffer();
    assert.equal(origin.count("GET", path), 2, path);
  }
  assert.equal((await gw("/static/missing")).status, 404);
  // Outside the prefixes, and non-GET: proxied, uncached.
  for (let i = 1; i <= 2; i++) {
    const r = await gw("/api/items?x=1");
    assert.equal(r.headers.get("x-cache"), "BYPASS");
    assert.equal((await r.json()).count, i);
  }
  const post = await gw("/static/a", { method: "POST", body: "payload" });
  assert.equal(post.headers.get("x-cache"), "BYPASS");
  assert.deepEqual(await post.json(), { method: "POST", path: "/static/a", count: 1, body: "payload" });

  // Rate limit per API key, then per client IP; headers on every answer.
  const key = "key-" + unique();
  for (let i = 1; i <= LIMIT; i++) {
    const r = await gw("/api/limited", { ws: "w-rl", key });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("ratelimit-limit"), String(LIMIT));
    assert.equal(r.headers.get("ratelimit-remaining"), String(LIMIT - i));
    assert.equal(r.headers.get("x-ratelimit-limit"), String(LIMIT));
    await r.arrayBuffer();
  }
  const refused = await gw("/api/limited", { ws: "w-rl", key });
  assert.equal(refused.status, 429);
  const retry = Number(refused.headers.get("retry-after"));
  assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
  assert.equal(refused.headers.get("ratelimit-remaining"), "0");
  assert.equal(refused.headers.get("ratelimit-reset"), String(retry));
  assert.ok(Number(refused.headers.get("x-ratelimit-reset")) * 1000 > Date.now());
  const body = await refused.json();
  assert.equal(body.error, "rate limited");
  assert.equal(body.limit, LIMIT);
  assert.equal(origin.count("GET", "/api/limited"), LIMIT, "a refused request never reaches the origin");
  assert.equal((await gw("/api/limited", { ws: "w-rl" })).status, 200, "another key has its own budget");
  assert.equal((await gw("/api/limited", { ws: "w-rl-2", key })).status, 200, "per workspace");
  const byIp = (path) => fetch(`${worker.url}${path}`, { headers: { "X-Workspace": "w-rl-ip" } });
  for (let i = 0; i < LIMIT; i++) assert.equal((await byIp("/api/ip")).status, 200);
  assert.equal((await byIp("/api/ip")).status, 429, "no key: limited by client IP");

  // Sessions.
  const s = (path, init = {}) => gw(path, { ws: "w-sess", ...init });
  assert.equal((await s("/session/me")).status, 401);
  assert.equal((await s("/session/login", { method: "POST", body: "{}" })).status, 400);
  assert.equal((await s("/session/login", { method: "GET" })).status, 405);
  const login = await s("/session/login", { method: "POST", body: JSON.stringify({ user: "alice" }) });
  assert.equal(login.status, 200);
  assert.equal((await login.json()).user, "alice");
  const setCookie = login.headers.get("set-cookie");
  for (const attr of ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"]) assert.ok(setCookie.includes(attr), setCookie);
  const cookie = setCookie.split(";")[0];
  assert.match(cookie, /^sid=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "signed value");
  const me = await s("/session/me", { headers: { Cookie: cookie } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).user, "alice");
  const tampered = cookie.slice(0, -2) + (cookie.endsWith("AA") ? "BB" : "AA");
  assert.equal((await s("/session/me", { headers: { Cookie: tampered } })).status, 401);
  assert.equal((await gw("/session/me", { ws: "w-cache", headers: { Cookie: cookie } })).status, 401, "sessions are per workspace");
  const logout = await s("/session/logout", { method: "POST", headers: { Cookie: cookie } });
  assert.equal(logout.status, 200);
  assert.equal((await logout.json()).destroyed, true);
  assert.match(logout.headers.get("set-cookie"), /^sid=; Max-Age=0/);
  assert.equal((await s("/session/me", { headers: { Cookie: cookie } })).status, 401, "me after logout");

  // Admin: metrics and the dashboard's data, refused without the token
  // (the page itself holds none: it asks for it).
  for (const path of ["/api/v1/admin/redis-metrics", "/metrics.json"]) {
    assert.equal((await fetch(`${worker.url}${path}`)).status, 401, path);
    const wrong = await fetch(`${worker.url}${path}`, { headers: { Authorization: "Bearer nope" } });
    assert.equal(wrong.status, 401, path);
    assert.ok(!(await wrong.text()).includes(ADMIN));
  }
  const metrics = await fetch(`${worker.url}/api/v1/admin/redis-metrics`, { headers: { Authorization: `Bearer ${ADMIN}` } });
  assert.equal(metrics.status, 200);
  const m = await metrics.json();
  assert.equal(m.mock_activations, mode === "mock" ? 1 : 0);
  assert.ok(m.commands.PING >= 1 && m.commands.GET >= 1);
  assert.ok(m.cache_hits >= 2 && m.cache_misses >= 2);
  assert.ok(m.ratelimit.allowed >= LIMIT && m.ratelimit.denied >= 2);
  assert.ok(m.sessions_created >= 1 && m.sessions_destroyed >= 1);
  // The page needs no token (it asks for one) and carries a strict CSP;
  // the data takes the token as a bearer only, never from the URL.
  const page = await fetch(`${worker.url}/dashboard`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type"), /^text\/html/);
  assert.match(page.headers.get("content-security-policy"), /^default-src 'none'; script-src 'sha256-/);
  assert.equal(page.headers.get("referrer-policy"), "no-referrer");
  const html = await page.text();
  assert.ok(html.includes("uPlot") && html.includes("metrics.json") && !html.includes("{{JS}}"));
  assert.equal((await fetch(`${worker.url}/metrics.json?token=${encodeURIComponent(ADMIN)}`)).status, 401);
  const data = await fetch(`${worker.url}/metrics.json`, { headers: { Authorization: `Bearer ${ADMIN}` } });
  assert.equal(data.status, 200);
  const d = await data.json();
  assert.equal(d.source, "worker");
  assert.equal(d.backend, mode);
  assert.ok(d.requests > 0);
  assert.equal(d.latency.buckets.length, d.latency.bounds_us.length + 1);
  assert.ok(d.cache.hits >= 2);

  assert.equal((await fetch(`${worker.url}/readyz`, { method: "POST" })).status, 405);

  // Console logs: command name and timing, never a value, key or secret.
  const out = worker.output();
  assert.match(out, /edgestash DEBUG edgestash request command=GET status=200 micros=\d+ ok=true/);
  assert.equal(/edgestash WARN mock mode/.test(out), mode === "mock", "one mock warning, in mock mode only");
  for (const secret of [ADMIN, SECRET, key, cookie.slice(4, 30), "static /static/a"]) {
    assert.ok(!out.includes(secret), "a secret or value reached the console");
  }
}

test("mock mode: every gateway route", async () => {
  const origin = await startOrigin();
  const worker = await startWorker({ ...gatewayVars(origin), MOCK_REDIS: "true" });
  try {
    await driveGateway(worker, origin, "mock");
    assert.equal(worker.output().match(/edgestash WARN mock mode/g).length, 1);
  } finally {
    await worker.stop();
    await origin.stop();
  }
});

test("redis mode: every gateway route over edgestash-server and a real redis-server", {
  skip: serverAvailable ? false : "EDGESTASH_SERVER_BIN not set (edgestash-server not built)",
}, async () => {
  const token = "tok-" + unique();
  const redis = await startRedis();
  const server = await startServer(redis.url, token);
  const origin = await startOrigin();
  let worker;
  try {
    worker = await startWorker({
      ...gatewayVars(origin),
      MOCK_REDIS: "false",
      UPSTASH_REDIS_REST_URL: server.url,
      UPSTASH_REDIS_REST_TOKEN: token,
    });
    await driveGateway(worker, origin, "redis");
    // With DEFAULT_WORKSPACE, requests without X-Workspace are served.
    await worker.stop();
    worker = await startWorker({
      ...gatewayVars(origin),
      DEFAULT_WORKSPACE: "public",
      MOCK_REDIS: "false",
      UPSTASH_REDIS_REST_URL: server.url,
      UPSTASH_REDIS_REST_TOKEN: "wrong-token",
    });
    const bad = await fetch(`${worker.url}/health/redis`);
    const report = await bad.json();
    assert.equal(bad.status, 503);
    assert.equal(report.status, "unhealthy");
    assert.equal(report.reason, "auth");
    assert.equal((await fetch(`${worker.url}/readyz`)).status, 503);
    const denied = await fetch(`${worker.url}/static/a`);
    assert.equal(denied.status, 502, "a gateway route without Redis says so");
    assert.equal((await denied.json()).kind, "auth");
  } finally {
    await worker?.stop();
    await origin.stop();
    await server.stop();
    await redis.stop();
  }
});

test("production refuses mock mode, a missing token, a missing SESSION_SECRET and bad gateway vars, naming them", async () => {
  const origin = await startOrigin();
  let worker = await startWorker({
    ...gatewayVars(origin),
    MOCK_REDIS: "true",
    APP_ENV: "production",
    SESSION_SECRET: "",
    CACHE_TTL_SECONDS: "soon",
    RATELIMIT_WINDOW: "1 fortnight",
    ORIGIN_URL: "ftp://origin.invalid",
  });
  try {
    for (const path of ["/health/redis", "/readyz", "/static/a", "/session/me", "/api/v1/admin/redis-metrics", "/dashboard"]) {
      const res = await fetch(`${worker.url}${path}`);
      const body = await res.json();
      assert.equal(res.status, 503, path);
      assert.equal(body.status, "unhealthy");
      const names = ["MOCK_REDIS", "UPSTASH_REDIS_REST_URL", "SESSION_SECRET", "CACHE_TTL_SECONDS", "RATELIMIT_WINDOW", "ORIGIN_URL"];
      for (const name of names) {
        assert.ok(body.variables.includes(name), `${name} in ${JSON.stringify(body)}`);
      }
      assert.ok(!JSON.stringify(body).includes(ADMIN));
      assert.ok(!JSON.stringify(body).includes("fortnight"), "a value never comes back");
    }
    await worker.stop();
    worker = await startWorker({
      ...gatewayVars(origin),
      MOCK_REDIS: "false",
      APP_ENV: "production",
      UPSTASH_REDIS_REST_URL: "https://example.invalid",
      UPSTASH_REDIS_REST_TOKEN: "",
    });
    const res = await fetch(`${worker.url}/readyz`);
    const body = await res.json();
    assert.equal(res.status, 503);
    assert.deepEqual(body.variables, ["UPSTASH_REDIS_REST_TOKEN"], JSON.stringify(body));
    assert.ok(!JSON.stringify(body).includes(SECRET));
  } finally {
    await worker.stop();
    await origin.stop();
  }
});
