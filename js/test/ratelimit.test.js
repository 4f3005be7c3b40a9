// The npm package's `Ratelimit` (the Rust limiter through wasm) against
// edgestash-server over a REAL redis-server: every static constructor
// admits exactly its limit and then denies with the right reset, the
// helpers (getRemaining, resetUsedTokens, blockUntilReady) work, workspaces
// keep budgets apart, @upstash/ratelimit shares the same budget, and bad
// input fails with typed errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { Ratelimit as UpstashRatelimit } from "@upstash/ratelimit";
import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis, Ratelimit, EdgestashError } from "../src/node.js";
import { serverSkip as skip, useServer, stockRedis } from "./helpers.js";

const server = useServer("rl");
const client = () => new Redis({ url: server.url, token: server.token });
let seq = 0;
const uid = (name) => `${name}-${process.pid}-${++seq}-${Date.now()}`;

/** `n` sequential decisions for `id`. */
async function run(rl, id, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await rl.limit(id));
  return out;
}

// An hour: a run would have to straddle the top of an hour to cross a window.
const WINDOW = 3_600_000;
const CASES = [
  ["fixedWindow", () => Ratelimit.fixedWindow(5, "1 h"), "window"],
  ["slidingWindow", () => Ratelimit.slidingWindow(5, "1 h"), "window"],
  ["cachedFixedWindow", () => Ratelimit.cachedFixedWindow(5, "1 h"), "window"],
  ["tokenBucket", () => Ratelimit.tokenBucket(1, "1 h", 5), "refill"],
];

for (const [name, limiter, resetKind] of CASES) {
  test(`${name}: admits exactly the limit, then denies with the reset`, { skip }, async () => {
    const rl = new Ratelimit({ redis: client(), limiter: limiter(), ephemeralCache: false });
    const id = uid(name);
    const before = Date.now();
    const out = await run(rl, id, 7);
    const after = Date.now();
    assert.deepEqual(out.map((d) => d.success), [true, true, true, true, true, false, false]);
    assert.deepEqual(out.slice(0, 5).map((d) => d.remaining), [4, 3, 2, 1, 0]);
    for (const d of out) {
      assert.equal(d.limit, 5);
      assert.ok(d.pending instanceof Promise);
      // The cached window's first denial may come from Redis (when it
      // flushes locally admitted units) or from its local counter.
      if (name === "cachedFixedWindow" && !d.success) assert.ok([undefined, "cacheBlock"].includes(d.reason));
      else assert.equal(d.reason, undefined);
    }
    const denied = out[5];
    assert.equal(denied.remaining, 0);
    if (resetKind === "window") {
      // The end of the current window.
      const expected = (Math.floor(after / WINDOW) + 1) * WINDOW;
      const possible = [(Math.floor(before / WINDOW) + 1) * WINDOW, expected];
      assert.ok(possible.includes(denied.reset), `${denied.reset} not in ${possible}`);
    } else {
      // The next refill: within one interval from now.
      assert.ok(denied.reset > after && denied.reset <= after + WINDOW, String(denied.reset - after));
    }
    const left = await rl.getRemaining(id);
    assert.equal(left.remaining, 0);
    assert.equal(left.limit, 5);
  });
}

test("concurrent callers: exactly the limit is admitted", { skip }, async () => {
  const rl = new Ratelimit({ redis: client(), limiter: Ratelimit.slidingWindow(10, "1 m"), ephemeralCache: false });
  const id = uid("concurrent");
  const out = await Promise.all(Array.from({ length: 30 }, () => rl.limit(id)));
  assert.equal(out.filter((d) => d.success).length, 10);
});

test("weighted requests, resetUsedTokens and getRemaining", { skip }, async () => {
  const rl = new Ratelimit({ redis: client(), limiter: Ratelimit.fixedWindow(10, "1 m"), ephemeralCache: false });
  const id = uid("weighted");
  assert.equal((await rl.limit(id, { rate: 7 })).remaining, 3);
  assert.equal((await rl.limit(id, { rate: 4 })).success, false);
  assert.equal((await rl.getRemaining(id)).remaining, 3);
  await rl.resetUsedTokens(id);
  assert.equal((await rl.getRemaining(id)).remaining, 10);
  assert.equal((await rl.limit(id, { rate: 10 })).success, true);
});

test("the ephemeral cache answers a blocked identifier without Redis", { skip }, async () => {
  const redis = client();
  const rl = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(2, "1 m") });
  const id = uid("cache");
  await run(rl, id, 2);
  const sent = JSON.stringify(redis.metrics().commands);
  const d = await rl.limit(id);
  assert.equal(d.success, false);
  assert.equal(d.reason, "cacheBlock");
  assert.equal(JSON.stringify(redis.metrics().commands), sent, "no command was sent");
});

test("blockUntilReady waits for the next window; gives up at its timeout", { skip }, async () => {
  const rl = new Ratelimit({ redis: client(), limiter: Ratelimit.fixedWindow(1, "1 s"), ephemeralCache: false });
  const id = uid("block");
  assert.equal((await rl.limit(id)).success, true);
  const quick = Date.now();
  const refused = await rl.blockUntilReady(id, 1);
  assert.ok(Date.now() - quick < 900, "did not wait past its timeout");
  // The reset is in the future unless the window happened to end meanwhile.
  if (!refused.success) assert.ok(refused.reset > quick);
  const start = Date.now();
  const d = await rl.blockUntilReady(id, 3000);
  assert.equal(d.success, true);
  assert.ok(Date.now() - start <= 2500);
  await assert.rejects(rl.blockUntilReady(id, 0), (e) => e instanceof EdgestashError && e.kind === "config");
});

test("workspaces keep budgets apart, under ws:<id>:", { skip }, async () => {
  const root = client();
  const id = uid("ws");
  const a = new Ratelimit({ redis: root.workspace("a"), limiter: Ratelimit.fixedWindow(2, "1 m"), ephemeralCache: false });
  const b = new Ratelimit({ redis: root.workspace("b"), limiter: Ratelimit.fixedWindow(2, "1 m"), ephemeralCache: false });
  assert.deepEqual((await run(a, id, 3)).map((d) => d.success), [true, true, false]);
  assert.deepEqual((await run(b, id, 2)).map((d) => d.success), [true, true]);
  const keys = await root.exec(["keys", `*${id}*`]);
  assert.equal(keys.length, 2, JSON.stringify(keys));
  assert.ok(keys.some((k) => k.startsWith(`ws:a:@upstash/ratelimit:${id}:`)), JSON.stringify(keys));
  assert.ok(keys.some((k) => k.startsWith(`ws:b:@upstash/ratelimit:${id}:`)), JSON.stringify(keys));
});

test("@upstash/ratelimit and the npm Ratelimit share one budget", { skip }, async () => {
  const upstashRedis = stockRedis(new UpstashRedis({ url: server.url, token: server.token, enableAutoPipelining: false }));
  const prefix = "shared";
  const theirs = new UpstashRatelimit({ redis: upstashRedis, limiter: UpstashRatelimit.slidingWindow(6, "1 d"), prefix, ephemeralCache: false, analytics: false });
  const ours = new Ratelimit({ redis: client(), limiter: Ratelimit.slidingWindow(6, "1 d"), prefix, ephemeralCache: false });
  const id = uid("interop");
  const a = [await theirs.limit(id), await theirs.limit(id), await theirs.limit(id)];
  assert.deepEqual(a.map((d) => d.remaining), [5, 4, 3]);
  const b = await run(ours, id, 4);
  assert.deepEqual(b.map((d) => [d.success, d.remaining]), [[true, 2], [true, 1], [true, 0], [false, 0]]);
  assert.equal((await theirs.limit(id)).success, false);
  assert.equal(b[3].reset, a[0].reset);
});

test("a silent Redis: the timeout answers as configured", async () => {
  const sockets = [];
  const silent = createServer((s) => sockets.push(s));
  await new Promise((r) => silent.listen(0, "127.0.0.1", r));
  try {
    const redis = new Redis({ url: `http://127.0.0.1:${silent.address().port}`, token: "t", retry: { retries: 0 } });
    const open = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(1, "1 m"), timeout: 100 });
    const start = Date.now();
    const d = await open.limit("x");
    assert.deepEqual([d.success, d.reason], [true, "timeout"]);
    assert.ok(Date.now() - start < 2000);
    const closed = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(1, "1 m"), timeout: 100, onTimeout: "deny" });
    assert.deepEqual([(await closed.limit("x")).success, (await closed.limit("x")).reason], [false, "timeout"]);
  } finally {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => silent.close(r));
  }
});

test("bad input: typed errors that never echo the value", () => {
  const redis = new Redis({ mock: true });
  const isConfig = (e) => e instanceof EdgestashError && e.kind === "config" && !/SECRET/.test(e.message);
  assert.throws(() => Ratelimit.slidingWindow(0, "10 s"), isConfig);
  assert.throws(() => Ratelimit.fixedWindow(1.5, "10 s"), isConfig);
  assert.throws(() => Ratelimit.fixedWindow(-3, "10 s"), isConfig);
  assert.throws(() => Ratelimit.fixedWindow(10, "10 SECRETs"), isConfig);
  assert.throws(() => Ratelimit.fixedWindow(10, "0 s"), isConfig);
  assert.throws(() => Ratelimit.tokenBucket(1, "1 s", 0), isConfig);
  assert.throws(() => Ratelimit.fixedWindow("10", "1 s"), isConfig);
  assert.throws(() => Ratelimit.fixedWindow(10, 1000), isConfig);
  assert.throws(() => new Ratelimit({ redis: new UpstashRedis({ url: "http://127.0.0.1:1", token: "t" }), limiter: Ratelimit.fixedWindow(1, "1 s") }), TypeError);
  assert.throws(() => new Ratelimit({ redis, limiter: { limit: 1 } }), TypeError);
  assert.throws(() => new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(1, "1 s"), onTimeout: "maybe" }), isConfig);
  const rl = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(1, "1 s") });
  return Promise.all([
    assert.rejects(rl.limit(42), TypeError),
    assert.rejects(rl.limit("id", { rate: 0.5 }), isConfig),
    assert.rejects(rl.getRemaining(undefined), TypeError),
  ]);
});

test("every duration form of @upstash/ratelimit is accepted", () => {
  for (const d of ["500 ms", "500ms", "10 s", "10s", "1 m", "1m", "1 h", "1h", "1 d", "1d"]) {
    assert.doesNotThrow(() => Ratelimit.slidingWindow(1, d), d);
  }
});
