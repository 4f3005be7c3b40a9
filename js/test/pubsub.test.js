// Pub/sub through the npm facade (`redis.subscribe` / `psubscribe` /
// `publish`): the wasm32 transport's fetch-body stream against
// edgestash-server over a REAL redis-server, and the embedded engine.
// Server-backed tests run when EDGESTASH_SERVER_BIN names the server binary
// (scripts/js-test.sh sets it); each test that stops the server starts its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Redis, EdgestashError, Subscription } from "../src/node.js";
import { serverSkip as skip, startRedis, startServer, useServer } from "./helpers.js";

const server = useServer("pubsub");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const remote = () => new Redis({ url: server.url, token: server.token });

/** Fails instead of hanging when a message never comes. */
function within(promise, ms = 10000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Publishes until nobody is subscribed any more (the server tears down asynchronously). */
async function untilNoSubscriber(redis, channel) {
  const deadline = Date.now() + 10000;
  while ((await redis.publish(channel, "late")) !== 0) {
    assert.ok(Date.now() < deadline, "still subscribed after close");
    await sleep(20);
  }
}

for (const [where, make, opts] of [
  ["embedded engine", () => new Redis({ mock: true }), {}],
  ["edgestash-server over Redis", remote, { skip }],
]) {
  test(`${where}: for await receives text and binary messages exactly`, opts, async () => {
    const redis = make();
    const publisher = make === remote ? remote() : redis;
    const sub = await redis.subscribe(["news", "sport"]);
    assert.ok(sub instanceof Subscription);
    assert.deepEqual(sub.getSubscribedChannels(), ["news", "sport"]);
    const text = "a,b\nc\r\nd: e,,\u00e9\u{1F600}";
    assert.equal(await publisher.publish("news", text), 1);
    assert.equal(await publisher.publish("sport", "goal"), 1);
    const it = sub[Symbol.asyncIterator]();
    assert.deepEqual((await within(it.next())).value, { type: "message", channel: "news", message: text });
    assert.deepEqual((await within(it.next())).value, { type: "message", channel: "sport", message: "goal" });

    const bin = await redis.subscribe("bin", { encoding: "bytes" });
    const payload = new Uint8Array([0, 255, 44, 10, 13, 58, 32, 0xc3]);
    assert.equal(await publisher.publish("bin", payload), 1);
    const got = [];
    for await (const m of bin) {
      got.push(m);
      break; // ends the subscription
    }
    assert.deepEqual(got, [{ type: "message", channel: "bin", message: payload }]);
    sub.close();
    await untilNoSubscriber(publisher, "news");
    await untilNoSubscriber(publisher, "bin");
  });

  test(`${where}: psubscribe matches patterns; on("pmessage") as in @upstash/redis`, opts, async () => {
    const redis = make();
    const publisher = make === remote ? remote() : redis;
    const heard = [];
    const scoped = [];
    const psub = redis.psubscribe(["user:*", "news.?"]);
    psub.on("pmessage", (m) => heard.push(m));
    psub.on("pmessage:user:*", (m) => scoped.push(m.channel));
    const count = new Promise((resolve) => psub.on("psubscribe", resolve));
    await psub;
    assert.equal(await count, 2);
    assert.equal(await publisher.publish("user:42", "hi"), 1);
    assert.equal(await publisher.publish("news.x", "x,y"), 1);
    assert.equal(await publisher.publish("other", "no"), 0);
    const deadline = Date.now() + 10000;
    while (heard.length < 2) {
      assert.ok(Date.now() < deadline, "pmessages not heard");
      await sleep(10);
    }
    assert.deepEqual(heard, [
      { type: "pmessage", pattern: "user:*", channel: "user:42", message: "hi" },
      { type: "pmessage", pattern: "news.?", channel: "news.x", message: "x,y" },
    ]);
    assert.deepEqual(scoped, ["user:42"]);
    await psub.unsubscribe();
    assert.deepEqual(psub.getSubscribedChannels(), []);
    await untilNoSubscriber(publisher, "user:42");
  });

  test(`${where}: workspaces see only their own channels`, opts, async () => {
    const root = make();
    const a = root.workspace("team-a");
    const b = root.workspace("team-b");
    const subA = await a.subscribe("events");
    const patA = await a.psubscribe("*");
    assert.equal(await b.publish("events", "for b"), 0, "b does not reach a's channel");
    assert.equal(await root.publish("events", "unscoped"), 0, "the root channel is another one");
    assert.equal(await a.publish("events", "for a"), 2);
    assert.deepEqual((await within(subA.next())).value, { type: "message", channel: "events", message: "for a" });
    assert.deepEqual((await within(patA.next())).value, { type: "pmessage", pattern: "*", channel: "events", message: "for a" });
    // The root client sees the prefixed name: the scoping is real, not a filter.
    const rootSub = await root.psubscribe("ws:team-a:*");
    assert.equal(await a.publish("events", "seen"), 3);
    assert.equal((await within(rootSub.next())).value.channel, "ws:team-a:events");
    for (const s of [subA, patA, rootSub]) s.close();
  });

  test(`${where}: close() while the iterator waits ends it and the request`, opts, async () => {
    const redis = make();
    const publisher = make === remote ? remote() : redis;
    const sub = await redis.subscribe("quiet");
    const waiting = sub.next();
    await sleep(50);
    sub.close();
    assert.deepEqual(await within(waiting), { done: true, value: undefined });
    assert.deepEqual(await sub.next(), { done: true, value: undefined });
    await untilNoSubscriber(publisher, "quiet");
    // Closed before the server confirmed: the request still ends.
    const early = redis.subscribe("early");
    early.close();
    assert.deepEqual(await early.next(), { done: true, value: undefined });
    await early;
    await untilNoSubscriber(publisher, "early");
  });
}

test("a message that is not UTF-8 rejects as EdgestashError unless bytes were asked", async () => {
  const redis = new Redis({ mock: true });
  const sub = await redis.subscribe("c");
  const errors = [];
  sub.on("error", (e) => errors.push(e));
  await redis.publish("c", new Uint8Array([0xff]));
  await assert.rejects(within(sub.next()), (e) => e instanceof EdgestashError && e.code === "not_utf8");
  assert.equal(errors.length, 1);
  assert.equal(await redis.publish("c", "x"), 0, "a failed subscription is closed");
});

test("the client's encoding is the default; subscribe's option overrides it", async () => {
  const redis = new Redis({ mock: true, encoding: "bytes" });
  const raw = await redis.subscribe("c");
  const text = await redis.subscribe("c", { encoding: "string" });
  assert.equal(await redis.publish("c", "hé"), 2);
  assert.deepEqual((await within(raw.next())).value.message, new TextEncoder().encode("hé"));
  assert.equal((await within(text.next())).value.message, "hé");
  raw.close();
  text.close();
});

test("bad arguments: TypeError before anything is sent, empty list rejects typed", async () => {
  const redis = new Redis({ mock: true });
  assert.throws(() => redis.subscribe([1]), TypeError);
  assert.throws(() => redis.subscribe("c").on("nonsense", () => {}), TypeError);
  await assert.rejects(redis.subscribe([]), (e) => e instanceof EdgestashError && e.kind === "invalid_request");
  const sub = await redis.subscribe(["a", "b"]);
  await assert.rejects(sub.unsubscribe(["a"]), (e) => e.kind === "invalid_request");
  assert.equal(await redis.publish("a", "still"), 1, "a refused partial unsubscribe closes nothing");
  await sub.unsubscribe(["b", "a"]);
  assert.equal(await redis.publish("a", "gone"), 0);
});

test("await using / Symbol.asyncDispose closes", { skip: typeof Symbol.asyncDispose !== "symbol" && "no Symbol.asyncDispose" }, async () => {
  const redis = new Redis({ mock: true });
  const sub = await redis.subscribe("d");
  await sub[Symbol.asyncDispose]();
  assert.equal(await redis.publish("d", "x"), 0);
});

test("edgestash-server going away rejects the iterator and emits error", { skip }, async () => {
  const redisServer = await startRedis();
  const token = "bye-" + Math.random().toString(36).slice(2);
  const edge = await startServer(redisServer.url, token);
  try {
    const redis = new Redis({ url: edge.url, token, retry: { retries: 0 }, timeoutMs: 3000 });
    const sub = await redis.subscribe("bye");
    const errors = [];
    sub.on("error", (e) => errors.push(e));
    const waiting = within(sub.next()).then(() => assert.fail("resolved"), (e) => e);
    await edge.stop();
    const e = await waiting;
    assert.ok(e instanceof EdgestashError && /subscription stream|transport/.test(e.message), String(e));
    assert.equal(errors.length, 1);
    assert.deepEqual(await sub.next(), { done: true, value: undefined });
    // Opening against a server that is gone rejects too (no stall).
    await assert.rejects(within(redis.subscribe("again"), 30000), (e) => e instanceof EdgestashError);
  } finally {
    await edge.stop();
    await redisServer.stop();
  }
});
