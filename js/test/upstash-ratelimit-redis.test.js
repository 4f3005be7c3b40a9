// The official @upstash/ratelimit 2.x (from npm, unmodified, no shim)
// against edgestash-server over a REAL redis-server 7.0: its scripts start
// with `#!lua flags=allow-key-locking`, which Redis before 7.4 refuses; the
// server rewrites the flag and keeps EVALSHA of the original SHA-1 working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { serverSkip as skip, useServer } from "./helpers.js";

const server = useServer("upstash-ratelimit");

const CASES = [
  ["fixed window", () => Ratelimit.fixedWindow(3, "1 d")],
  ["sliding window", () => Ratelimit.slidingWindow(3, "1 d")],
  ["token bucket", () => Ratelimit.tokenBucket(1, "1 d", 3)],
];

for (const [name, limiter] of CASES) {
  test(`@upstash/ratelimit ${name}: limit, getRemaining, resetUsedTokens`, { skip }, async () => {
    const redis = new Redis({ url: server.url, token: server.token, enableAutoPipelining: false });
    const rl = new Ratelimit({ redis, limiter: limiter(), ephemeralCache: false, analytics: false, prefix: `rl-${name}` });
    const id = `user-${Math.random().toString(36).slice(2)}`;
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const r = await rl.limit(id);
      seen.push([r.success, r.remaining]);
    }
    assert.deepEqual(seen, [
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    const left = await rl.getRemaining(id);
    assert.equal(left.remaining, 0);
    await rl.resetUsedTokens(id);
    const after = await rl.limit(id);
    assert.equal(after.success, true);
    assert.equal(after.remaining, 2);
    // A second limiter instance starts from EVALSHA of the original SHA-1
    // (its script cache is empty): the server maps it.
    const rl2 = new Ratelimit({ redis: new Redis({ url: server.url, token: server.token, enableAutoPipelining: false }), limiter: limiter(), ephemeralCache: false, analytics: false, prefix: `rl-${name}` });
    const again = await rl2.limit(id);
    assert.equal(again.success, true);
    assert.equal(again.remaining, 1);
  });
}
