// The official @upstash/redis `subscribe()` / `psubscribe()` (from npm,
// unmodified) against edgestash-server over a REAL redis-server: the SDK
// sends `Upstash-Encoding: base64` on every request and parses the stream
// as Upstash's plain text, so payloads must arrive exactly, commas included.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { serverSkip as skip, useServer } from "./helpers.js";

const server = useServer("upstash-subscribe");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `list` has `n` items, failing instead of hanging. */
async function until(list, n, ms = 10000) {
  const deadline = Date.now() + ms;
  while (list.length < n) {
    assert.ok(Date.now() < deadline, `only ${list.length} of ${n} messages arrived`);
    await sleep(20);
  }
}

/** Publishes until someone is subscribed (the stream opens asynchronously). */
async function untilSubscribed(redis, channel, warmUp = "warm-up") {
  const deadline = Date.now() + 10000;
  while ((await redis.publish(channel, warmUp)) === 0) {
    assert.ok(Date.now() < deadline, "never subscribed");
    await sleep(50);
  }
}

const PAYLOADS = ["hello", "a,b,c", "comma, space, and more, commas", "k=v;x,y", "ümlaut, €"];

test("@upstash/redis subscribe() receives exact payloads, commas included", { skip }, async () => {
  const redis = new Redis({ url: server.url, token: server.token });
  const got = [];
  const sub = redis.subscribe(["news,today", "plain"]);
  sub.on("message", (m) => got.push([m.channel, m.message]));
  await untilSubscribed(redis, "plain");
  await until(got, 1);
  got.length = 0;
  for (const p of PAYLOADS) await redis.publish("plain", p);
  await until(got, PAYLOADS.length);
  assert.deepEqual(
    got,
    PAYLOADS.map((p) => ["plain", p]),
  );
  // JSON objects round-trip through the SDK's own (de)serialisation.
  got.length = 0;
  await redis.publish("plain", { user: "a,b", n: 1 });
  await until(got, 1);
  assert.deepEqual(got[0], ["plain", { user: "a,b", n: 1 }]);
  await sub.unsubscribe();
});

test("@upstash/redis psubscribe() receives exact payloads with their channel", { skip }, async () => {
  const redis = new Redis({ url: server.url, token: server.token });
  const got = [];
  const sub = redis.psubscribe(["room:*"]);
  sub.on("pmessage", (m) => got.push([m.pattern, m.channel, m.message]));
  // The SDK JSON-parses pmessage payloads (no string fallback, unlike
  // message), so pattern payloads here are objects.
  await untilSubscribed(redis, "room:1", { warm: "up" });
  await until(got, 1);
  got.length = 0;
  await redis.publish("room:2", { text: "x, y, z", n: 1 });
  await until(got, 1);
  assert.deepEqual(got, [["room:*", "room:2", { text: "x, y, z", n: 1 }]]);
  await sub.unsubscribe();
});
