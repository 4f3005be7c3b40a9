// The gateway as an edge cache across two locations: two `wrangler dev`
// processes (two isolates, each with its own Cache API store: separate
// --persist-to folders) over one edgestash-server and one real
// redis-server, in front of the caching-header origin of
// fixtures/edge-origin.mjs. Checks the tiers (L1 Cache API, L2 Redis,
// origin), purges, Cache-Control, Vary, revalidation and the metrics summed
// over both isolates.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedis, startServer, startWorker, serverSkip } from "./helpers.js";
import { startEdgeOrigin } from "./fixtures/edge-origin.mjs";

const ADMIN = "edge-admin-" + Math.random().toString(36).slice(2);
const WS = "edge";
const L1_TTL_SECONDS = 2;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `wrangler dev` with its own Cache API store (a location of its own). */
async function startGateway(vars) {
  const persist = mkdtempSync(join(tmpdir(), "edgestash-l1-"));
  const worker = await startWorker(vars, undefined, ["--persist-to", persist]);
  return {
    ...worker,
    stop: async () => {
      await worker.stop();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

test("two isolates over one edgestash-server: tiers, purges, caching headers, summed metrics", { skip: serverSkip, timeout: 600000 }, async () => {
  const token = "edge-tok-" + Math.random().toString(36).slice(2);
  const redis = await startRedis();
  const server = await startServer(redis.url, token);
  const origin = await startEdgeOrigin();
  const vars = {
    MOCK_REDIS: "false",
    UPSTASH_REDIS_REST_URL: server.url,
    UPSTASH_REDIS_REST_TOKEN: token,
    APP_ENV: "development",
    ORIGIN_URL: origin.url,
    CACHE_PREFIXES: "/static/",
    CACHE_TTL_SECONDS: "60",
    L1_TTL_SECONDS: String(L1_TTL_SECONDS),
    RATELIMIT_LIMIT: "0",
    DEFAULT_WORKSPACE: WS,
    ADMIN_TOKEN: ADMIN,
    SESSION_SECRET: "s".repeat(40),
  };
  let a, b;
  try {
    // One after the other: each start runs the [build] command.
    a = await startGateway(vars);
    b = await startGateway(vars);
    const get = (gw, path, headers = {}) => fetch(`${gw.url}${path}`, { headers: { "Accept-Encoding": "gzip", ...headers } });
    const seen = async (gw, path, headers) => {
      const r = await get(gw, path, headers);
      return { status: r.status, cache: r.headers.get("x-cache"), tier: r.headers.get("x-cache-tier"), age: r.headers.get("age"), cc: r.headers.get("cache-control"), body: await r.text() };
    };
    const admin = (gw, path, init = {}) =>
      fetch(`${gw.url}${path}`, { ...init, headers: { Authorization: `Bearer ${ADMIN}`, ...(init.headers ?? {}) } });
    const rest = async (...command) => {
      const r = await fetch(server.url, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(command) });
      return (await r.json()).result;
    };
    const key = (target, variant) =>
      `ws:${WS}:gw:cache:origin:${createHash("sha256").update(target).digest("hex")}:${variant}`;
    // The TTL of a target's entry, whichever Accept-Encoding variant the
    // request reached the Worker with (wrangler's proxy may rewrite it).
    const pttl = async (target) => Math.max(...(await Promise.all(["br", "gzip", "identity"].map((v) => rest("PTTL", key(target, v))))));
    /** Polls `probe` every 100 ms until it is truthy, else fails after `ms`. */
    const eventually = async (ms, what, probe) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const v = await probe();
        if (v) return v;
        if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
        await sleep(100);
      }
    };

    // A MISS on one location is a HIT on the other (from Redis), then from
    // that location's own Cache API.
    const m = await seen(a, "/static/plain");
    assert.deepEqual([m.status, m.cache, m.tier], [200, "MISS", "origin"]);
    assert.equal(m.body, "/static/plain #1\n");
    const h = await seen(b, "/static/plain");
    assert.deepEqual([h.cache, h.tier, h.body], ["HIT", "L2", "/static/plain #1\n"]);
    assert.equal(h.cc, "max-age=60", "the origin's Cache-Control is passed on");
    await eventually(3000, "an L1 hit on b", async () => (await seen(b, "/static/plain")).tier === "L1");
    assert.equal(origin.count("/static/plain"), 1, "the origin was asked once");
    const ttl = await pttl("/static/plain");
    assert.ok(ttl > 55000 && ttl <= 60000, `no s-maxage: the max-age, ${ttl} ms`);

    // s-maxage wins over max-age for the TTL.
    assert.equal((await seen(a, "/static/smax")).cache, "MISS");
    const sttl = await pttl("/static/smax");
    assert.ok(sttl > 25000 && sttl <= 30000, `s-maxage=30 sets the TTL, got ${sttl} ms`);

    // no-store and private are never stored, on either location.
    for (const path of ["/static/nostore", "/static/private"]) {
      const tiers = [];
      for (const gw of [a, b, a]) tiers.push((await seen(gw, path)).cache);
      assert.deepEqual(tiers, ["MISS", "MISS", "MISS"], path);
      assert.equal(origin.count(path), 3, path);
      for (const v of ["br", "gzip", "identity"]) assert.equal(await rest("EXISTS", key(path, v)), 0, `${path} not in Redis`);
    }

    // Vary: Accept-Encoding keys the variant; Vary on anything else is not stored.
    assert.equal((await seen(a, "/static/vary", { "Accept-Encoding": "gzip" })).cache, "MISS");
    const identity = await seen(a, "/static/vary", { "Accept-Encoding": "identity" });
    assert.equal((await seen(b, "/static/vary", { "Accept-Encoding": "gzip, deflate" })).cache, "HIT");
    assert.equal(origin.count("/static/vary"), identity.cache === "MISS" ? 2 : 1, "one entry per variant");
    assert.deepEqual([(await seen(a, "/static/vary-cookie")).cache, (await seen(b, "/static/vary-cookie")).cache], ["MISS", "MISS"]);

    // Revalidation: past s-maxage=1 the origin is asked with If-None-Match
    // and its 304 refreshes the entry without a body.
    assert.equal((await seen(a, "/static/etag")).cache, "MISS");
    await sleep(1300);
    const r304 = await seen(b, "/static/etag");
    assert.deepEqual([r304.status, r304.cache, r304.tier, r304.body], [200, "HIT", "L2-revalidated", "/static/etag #1\n"]);
    assert.equal(origin.count("/static/etag", 304), 1, "one conditional request, answered 304");
    assert.equal(origin.count("/static/etag"), 1, "no second full body");
    assert.ok((await pttl("/static/etag")) > 1000, "the refreshed entry is kept for the next revalidation");

    // Stale-while-revalidate: STALE at once, refreshed in the background.
    assert.equal((await seen(a, "/static/swr")).body, "/static/swr #1\n");
    await sleep(1300);
    const stale = await seen(b, "/static/swr");
    assert.deepEqual([stale.cache, stale.tier, stale.body], ["STALE", "L2", "/static/swr #1\n"]);
    await eventually(5000, "the background refresh", async () => origin.count("/static/swr") === 2);
    await eventually(5000, "the refreshed entry", async () => (await seen(a, "/static/swr")).body === "/static/swr #2\n");

    // A purge through one location turns the next request on the other
    // into a MISS (an entry the other never copied to its L1).
    assert.equal((await seen(a, "/static/purge-me")).cache, "MISS");
    assert.equal((await admin(a, "/api/v1/admin/cache/purge", { method: "POST" })).status, 400);
    assert.equal((await fetch(`${a.url}/api/v1/admin/cache/purge`, { method: "POST", body: '{"paths":["/static/purge-me"]}' })).status, 401);
    const purged = await admin(a, "/api/v1/admin/cache/purge", { method: "POST", body: JSON.stringify({ paths: ["/static/purge-me"] }) });
    assert.equal(purged.status, 200);
    const pj = await purged.json();
    assert.equal(pj.purged, 1);
    assert.equal(pj.l1_bound_seconds, L1_TTL_SECONDS);
    const after = await seen(b, "/static/purge-me");
    assert.deepEqual([after.cache, after.body], ["MISS", "/static/purge-me #2\n"]);
    // Copies in another location's L1 are gone within L1_TTL_SECONDS.
    assert.equal((await seen(a, "/static/plain")).cache, "HIT");
    assert.equal((await admin(b, "/api/v1/admin/cache/purge", { method: "POST", body: '{"paths":["/static/plain"]}' })).status, 200);
    assert.equal((await seen(b, "/static/plain")).cache, "MISS", "the purging location's L1 is cleared at once");
    await sleep(L1_TTL_SECONDS * 1000 + 200);
    await eventually(1000, "a's L1 copy expired", async () => {
      const r = await seen(a, "/static/plain");
      return r.tier !== "L1" && r.body === "/static/plain #2\n";
    });
    // By tag (the origin's Cache-Tag), across locations.
    for (const x of ["x", "y"]) assert.equal((await seen(a, `/static/tagged/${x}`)).cache, "MISS");
    const byTag = await admin(b, "/api/v1/admin/cache/purge", { method: "POST", body: '{"tags":["group-1"]}' });
    assert.equal(byTag.status, 200);
    assert.equal((await byTag.json()).entries, 2);
    await sleep(L1_TTL_SECONDS * 1000 + 200);
    for (const x of ["x", "y"]) assert.equal((await seen(a, `/static/tagged/${x}`)).cache, "MISS", `tagged ${x}`);

    // Metrics: the totals read from either isolate include both, within 15 s.
    const marker = await seen(b, "/static/metrics-marker");
    assert.equal(marker.cache, "MISS");
    const since = Date.now();
    const read = async (gw) => (await admin(gw, "/api/v1/admin/redis-metrics")).json();
    const totals = await eventually(15000, "both isolates in the totals read from a", async () => {
      const t = await read(a);
      // Every isolate's latest report is in (each reports within ~5 s).
      const e = t.edge;
      return t.isolates >= 2 && e.miss >= 10 && e.l2_hit >= 2 && e.stale >= 1 && e.l1_hit >= 1 && e.purge >= 3 ? t : null;
    });
    assert.ok(Date.now() - since < 15000);
    assert.equal(totals.window.isolates, 2);
    assert.ok(totals.edge.revalidated >= 1, "the 304 revalidation is counted");
    assert.ok(totals.edge.stale >= 1 && totals.edge.l1_hit >= 1 && totals.edge.purge >= 3);
    assert.ok(totals.commands.GET >= 10 && totals.commands.HSET >= 1);
    assert.ok(totals.cache_hits >= 5 && totals.cache_misses >= 10);
    assert.equal(totals.responses["5xx"] ?? 0, 0);
    const names = totals.alerts.map((x) => x.name);
    for (const n of ["EdgestashRedisDown", "EdgestashRedisSlowPing", "EdgestashMockModeActive", "EdgestashNotReady", "EdgestashLowHitRate", "EdgestashHighErrorRate"]) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(totals.alerts.find((x) => x.name === "EdgestashRedisDown").firing, false);
    const fromB = await read(b);
    assert.equal(fromB.isolates, 2);
    assert.notEqual(fromB.isolate, totals.isolate, "two isolates");
    assert.ok(fromB.edge.miss >= totals.edge.miss, "b reads the same sums");
    const dash = await (await admin(a, "/metrics.json")).json();
    assert.equal(dash.window.isolates, 2);
    assert.ok(dash.requests >= totals.commands.GET, "requests summed over both");
    assert.ok(dash.cache.hits >= 5);
    const health = await (await fetch(`${b.url}/health/redis`)).json();
    assert.equal(health.status, "ok");
    assert.equal(health.alerts.filter((x) => x.firing).length, 0, JSON.stringify(health.alerts));
  } finally {
    await a?.stop();
    await b?.stop();
    await origin.stop();
    await server.stop();
    await redis.stop();
  }
});
