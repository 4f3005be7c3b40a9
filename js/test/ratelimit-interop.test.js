// @upstash/ratelimit 2.2.0 and edgestash's rate limiter share one budget:
// both run against the same edgestash-server over a real redis-server, with
// the same prefix, identifier and limits, taking turns. edgestash's side is
// the Rust example `ratelimit_probe` (one JSON decision per line); set
// EDGESTASH_RATELIMIT_PROBE to its binary, else it is built with cargo.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { ROOT, startRedis, startServer, serverAvailable, stockRedis } from "./helpers.js";

const skip = serverAvailable ? false : "EDGESTASH_SERVER_BIN not set (edgestash-server not built)";
const TOKEN = "rl-token-" + Math.random().toString(36).slice(2);
let redisServer;
let server;
let probeBin;

before(async () => {
  if (skip) return;
  probeBin = process.env.EDGESTASH_RATELIMIT_PROBE;
  if (!probeBin) {
    execFileSync("cargo", ["build", "-q", "-p", "edgestash-integration", "--example", "ratelimit_probe"], { cwd: ROOT, stdio: "inherit" });
    probeBin = `${ROOT}target/debug/examples/ratelimit_probe`;
  }
  redisServer = await startRedis();
  server = await startServer(redisServer.url, TOKEN);
});

after(async () => {
  await server?.stop();
  await redisServer?.stop();
});

/** edgestash's decisions: `count` requests for `id` under `spec`. */
function edgestash(spec, id, count) {
  const out = execFileSync(probeBin, [server.url, TOKEN, spec, id, String(count)]).toString();
  return out.trim().split("\n").map((l) => JSON.parse(l));
}

/** @upstash/ratelimit's decisions, no ephemeral cache (every call asks Redis). */
async function upstash(limiter, id, count) {
  const rl = new Ratelimit({
    redis: stockRedis(new Redis({ url: server.url, token: TOKEN, enableAutoPipelining: false })),
    limiter,
    ephemeralCache: false,
    analytics: false,
  });
  const out = [];
  for (let i = 0; i < count; i++) {
    const r = await rl.limit(id);
    out.push({ success: r.success, limit: r.limit, remaining: r.remaining, reset: r.reset });
  }
  return { out, rl };
}

// Windows of a day: a run would have to straddle midnight UTC to cross one.
const CASES = [
  ["fixed window", Ratelimit.fixedWindow(10, "1 d"), "fixed:10:1d"],
  ["sliding window", Ratelimit.slidingWindow(10, "1 d"), "sliding:10:1d"],
  ["token bucket", Ratelimit.tokenBucket(1, "1 d", 10), "token:1:1d:10"],
];

for (const [name, limiter, spec] of CASES) {
  test(`${name}: @upstash/ratelimit and edgestash share one budget`, { skip }, async () => {
    const id = `interop-${spec.split(":")[0]}-${Date.now()}`;
    const a = await upstash(limiter, id, 4);
    assert.deepEqual(a.out.map((d) => [d.success, d.remaining]), [[true, 9], [true, 8], [true, 7], [true, 6]]);
    const b = edgestash(spec, id, 4);
    assert.deepEqual(b.map((d) => [d.success, d.remaining]), [[true, 5], [true, 4], [true, 3], [true, 2]]);
    const c = await upstash(limiter, id, 4);
    assert.deepEqual(c.out.map((d) => d.success), [true, true, false, false]);
    const d = edgestash(spec, id, 2);
    assert.deepEqual(d.map((x) => x.success), [false, false]);
    // Exactly 10 admitted across both libraries.
    const admitted = [...a.out, ...b, ...c.out, ...d].filter((x) => x.success).length;
    assert.equal(admitted, 10);
    // They agree on when it resets (fixed and sliding: the window's end).
    if (spec !== "token:1:1d:10") assert.equal(d[0].reset, c.out[3].reset);
    const rem = await c.rl.getRemaining(id);
    assert.equal(rem.remaining, 0);
  });
}
