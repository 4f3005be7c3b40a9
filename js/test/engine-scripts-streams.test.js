// The libraries JavaScript developers run on Upstash, unmodified, against
// `edgestash-server --memory`: the embedded engine's Lua (EVAL/EVALSHA of
// their own scripts, shebang flags included) and streams (consumer groups).
// No real Redis here on purpose: this is the engine's own contract with them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { Lock } from "@upstash/lock";
import { Queue } from "@upstash/queue";
import { freePort, start, waitHttp, serverAvailable } from "./helpers.js";

const skip = serverAvailable ? false : "EDGESTASH_SERVER_BIN not set (edgestash-server not built)";
const TOKEN = "engine-token-" + Math.random().toString(36).slice(2);
let server;
let url;

before(async () => {
  if (skip) return;
  const port = await freePort();
  server = start(process.env.EDGESTASH_SERVER_BIN, ["--memory", "--listen", `127.0.0.1:${port}`, "--token", TOKEN]);
  url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/`, 20000, server);
});

after(async () => {
  await server?.stop();
});

const redis = () => new Redis({ url, token: TOKEN, enableAutoPipelining: false });

const LIMITERS = [
  ["fixed window", () => Ratelimit.fixedWindow(3, "1 d")],
  ["sliding window", () => Ratelimit.slidingWindow(3, "1 d")],
  ["token bucket", () => Ratelimit.tokenBucket(1, "1 d", 3)],
];

for (const [name, limiter] of LIMITERS) {
  test(`@upstash/ratelimit ${name}: limit, getRemaining, resetUsedTokens`, { skip }, async () => {
    const rl = new Ratelimit({ redis: redis(), limiter: limiter(), ephemeralCache: false, analytics: false, prefix: `rl-${name}` });
    const id = "user-" + Math.random().toString(36).slice(2);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await rl.limit(id));
    assert.deepEqual(results.map((r) => r.success), [true, true, true, false]);
    assert.deepEqual(results.map((r) => r.remaining), [2, 1, 0, 0]);
    assert.equal(results[0].limit, 3);
    const left = await rl.getRemaining(id);
    assert.equal(left.remaining, 0);
    await rl.resetUsedTokens(id);
    assert.equal((await rl.getRemaining(id)).remaining, 3);
    assert.equal((await rl.limit(id)).success, true);
  });
}

test("@upstash/ratelimit multi-region-free cached scripts: EVALSHA after SCRIPT FLUSH falls back to EVAL", { skip }, async () => {
  const r = redis();
  const rl = new Ratelimit({ redis: r, limiter: Ratelimit.slidingWindow(2, "1 d"), ephemeralCache: false, analytics: false, prefix: "rl-flush" });
  assert.equal((await rl.limit("a")).success, true);
  await r.scriptFlush();
  assert.equal((await rl.limit("a")).success, true);
  assert.equal((await rl.limit("a")).success, false);
});

test("@upstash/lock: acquire, contention, extend, release", { skip }, async () => {
  const id = "lock-" + Math.random().toString(36).slice(2);
  const a = new Lock({ id, redis: redis(), lease: 5000 });
  const b = new Lock({ id, redis: redis(), lease: 5000, retry: { attempts: 1, delay: 10 } });
  assert.equal(await a.acquire(), true);
  assert.equal(await b.acquire(), false);
  assert.equal(await a.getStatus(), "ACQUIRED");
  assert.equal(await a.extend(1000), true);
  assert.equal(await b.release(), false);
  assert.equal(await a.release(), true);
  assert.equal(await a.getStatus(), "FREE");
  assert.equal(await b.acquire(), true);
});

test("@upstash/redis createScript: eval, evalsha, exists, read-only, errors", { skip }, async () => {
  const r = redis();
  const script = r.createScript("return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1])}");
  assert.deepEqual(await script.eval(["cs"], ["x"]), ["cs", "x", 1]);
  assert.deepEqual(await script.evalsha(["cs"], ["y"]), ["cs", "y", 2]);
  assert.deepEqual(await script.exec(["cs"], ["z"]), ["cs", "z", 3]);
  assert.deepEqual(await r.scriptExists(script.sha1), [1]);
  const ro = r.createScript("#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1])", { readonly: true });
  assert.equal(await ro.exec(["cs"], []), 3);
  const writer = r.createScript("return redis.call('SET', KEYS[1], 'v')", { readonly: true });
  await assert.rejects(writer.exec(["cs"], []), /Write commands are not allowed from read-only scripts/);
  const json = r.createScript("return cjson.encode({n = tonumber(ARGV[1]), ok = true})");
  assert.deepEqual(await json.exec([], ["5"]), { n: 5, ok: true });
  await assert.rejects(r.eval("return redis.call('nosuch')", [], []), /Unknown Redis command called from script script: [0-9a-f]{40}, on @user_script:1\./);
  const pcall = r.createScript("local e = redis.pcall('INCR', KEYS[1]); return e['err']");
  await r.set("str", "abc");
  assert.equal(await pcall.exec(["str"], []), "ERR value is not an integer or out of range");
});

test("@upstash/redis functions: FUNCTION LOAD, FCALL, FCALL_RO", { skip }, async () => {
  const r = redis();
  const lib = "#!lua name=mylib\nredis.register_function{function_name='echo_key', callback=function(keys, args) return keys[1] .. args[1] end, flags={'no-writes'}}";
  assert.equal(await r.functions.load({ code: lib, replace: true }), "mylib");
  assert.equal(await r.functions.call("echo_key", ["k"], ["!"]), "k!");
  assert.equal(await r.functions.callRo("echo_key", ["k"], ["?"]), "k?");
});

test("@upstash/queue: send, receive, verify; unacknowledged messages come back", { skip }, async () => {
  const queueName = "q-" + Math.random().toString(36).slice(2);
  const producer = new Queue({ redis: redis(), queueName });
  await producer.sendMessage({ hello: "world" });
  await producer.sendMessage({ n: 2 });
  const consumer = new Queue({ redis: redis(), queueName });
  const first = await consumer.receiveMessage();
  assert.deepEqual(first.body, { hello: "world" });
  const second = await new Queue({ redis: redis(), queueName }).receiveMessage();
  assert.deepEqual(second.body, { n: 2 });
  assert.equal(await new Queue({ redis: redis(), queueName }).receiveMessage(), null);
  // Not verified: visible again after the visibility timeout.
  const manual = new Queue({ redis: redis(), queueName, autoVerify: false, visibilityTimeout: 50 });
  await producer.sendMessage({ n: 3 });
  const got = await manual.receiveMessage();
  assert.deepEqual(got.body, { n: 3 });
  await new Promise((r) => setTimeout(r, 120));
  const again = await new Queue({ redis: redis(), queueName, autoVerify: false, visibilityTimeout: 50 }).receiveMessage();
  assert.equal(again.streamId, got.streamId);
  assert.equal(await manual.verifyMessage(got.streamId), "VERIFIED");
});
