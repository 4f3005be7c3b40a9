// The Upstash ecosystem's libraries, unmodified, over edgestash-server:
// @upstash/lock 0.2.1, @upstash/queue 1.0.1 and @auth/upstash-redis-adapter
// 2.11.3, each given a plain @upstash/redis 1.39.0 client (no wrapper, no
// shim) pointed at edgestash-server. Every library runs over a real
// redis-server started here, and over `edgestash-server --memory`.
//
// What each library sends, read from its dist/: the lock SET NX PX, EVAL
// (release, extend) and GET; the queue XGROUP CREATE MKSTREAM / DELCONSUMER,
// XADD, XAUTOCLAIM, XREADGROUP (with BLOCK when asked to wait: edgestash-server
// holds the request as Upstash does) and XACK; the
// adapter SET/GET/DEL of JSON documents. Assertions read the keys back with
// the same client, so a library that "succeeds" without writing fails here.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { Lock } from "@upstash/lock";
import { Queue } from "@upstash/queue";
import { UpstashRedisAdapter } from "@auth/upstash-redis-adapter";
import { freePort, start, startRedis, startServer, waitHttp, serverSkip } from "./helpers.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


const BACKENDS = [
  {
    name: "redis-server",
    async start(token) {
      const redis = await startRedis();
      const server = await startServer(redis.url, token);
      return { url: server.url, stop: async () => (await server.stop(), await redis.stop()) };
    },
  },
  {
    name: "--memory",
    async start(token) {
      const port = await freePort();
      const proc = start(process.env.EDGESTASH_SERVER_BIN, ["--listen", `127.0.0.1:${port}`, "--memory", "--token", token]);
      await waitHttp(`http://127.0.0.1:${port}/`, 20000, proc);
      return { url: `http://127.0.0.1:${port}`, stop: () => proc.stop() };
    },
  },
];

for (const backend of BACKENDS) {
  describe(`ecosystem over edgestash-server ${backend.name}`, { skip: serverSkip }, () => {
    const token = `eco-${Math.random().toString(36).slice(2)}`;
    let server;
    let redis;
    const run = Math.random().toString(36).slice(2, 8);
    const newRedis = () => new Redis({ url: server.url, token, enableTelemetry: false });

    before(async () => {
      server = await backend.start(token);
      redis = newRedis();
    });
    after(async () => server?.stop());

    describe("@upstash/lock", () => {
      test("acquire excludes a second holder; extend, release, status", async () => {
        const id = `lock:${run}:a`;
        const first = new Lock({ id, redis, lease: 5000 });
        assert.equal(await first.acquire(), true);
        const held = await redis.get(id);
        assert.match(String(held), /^[0-9a-f-]{36}$/);
        const pttl = await redis.pttl(id);
        assert.ok(pttl > 0 && pttl <= 5000, `pttl ${pttl}`);
        assert.equal(await first.getStatus(), "ACQUIRED");

        const second = new Lock({ id, redis, lease: 5000, retry: { attempts: 2, delay: 20 } });
        assert.equal(await second.acquire(), false);
        assert.equal(await second.getStatus(), "FREE");
        // Release by a non-holder runs the script and must not delete.
        assert.equal(await second.release(), false);
        assert.equal(await redis.get(id), held);

        assert.equal(await first.extend(10000), true);
        const ttl = await redis.ttl(id);
        assert.ok(ttl > 5 && ttl <= 15, `ttl after extend ${ttl}`);

        assert.equal(await first.release(), true);
        assert.equal(await redis.exists(id), 0);
        assert.equal(await first.getStatus(), "FREE");
        assert.equal(await second.acquire(), true);
        assert.equal(await second.release(), true);
      });

      test("a lease that runs out frees the lock; the late holder cannot release or extend", async () => {
        const id = `lock:${run}:b`;
        const late = new Lock({ id, redis, lease: 150 });
        assert.equal(await late.acquire(), true);
        await sleep(400);
        assert.equal(await late.getStatus(), "FREE");
        const next = new Lock({ id, redis });
        assert.equal(await next.acquire({ lease: 5000, uuid: `next-${run}` }), true);
        assert.equal(await redis.get(id), `next-${run}`);
        assert.equal(await late.release(), false);
        assert.equal(await late.extend(1000), false);
        assert.equal(await redis.get(id), `next-${run}`);
        assert.equal(await next.release(), true);
      });
    });

    describe("@upstash/queue", () => {
      test("send, receive (auto-verified), nothing left pending", async () => {
        const queueName = `q-${run}-auto`;
        const sender = new Queue({ redis, queueName });
        const payload = { hello: "world", n: 42, list: [1, "two"] };
        const id = await sender.sendMessage(payload);
        assert.match(String(id), /^\d+-\d+$/);
        assert.equal(await redis.xlen(`UpstashMQ:${queueName}`), 1);

        const received = await new Queue({ redis, queueName }).receiveMessage();
        assert.deepEqual(received, { streamId: id, body: payload });
        const pending = await redis.xpending(`UpstashMQ:${queueName}`, "Messages", "-", "+", 10);
        assert.deepEqual(pending, []);
        // Consumed: the next receive (a fresh consumer) finds nothing.
        assert.equal(await new Queue({ redis, queueName }).receiveMessage(), null);
      });

      test("unverified messages stay pending, are verified once, and are reclaimed after the visibility timeout", async () => {
        const queueName = `q-${run}-manual`;
        const opts = { redis, queueName, autoVerify: false, visibilityTimeout: 200 };
        const id = await new Queue(opts).sendMessage({ job: 1 });
        const worker = new Queue(opts);
        const got = await worker.receiveMessage();
        assert.deepEqual(got, { streamId: id, body: { job: 1 } });
        const summary = await redis.xpending(`UpstashMQ:${queueName}`, "Messages", "-", "+", 10);
        assert.equal(summary.length, 1);
        assert.equal(summary[0][0], id);

        // Not verified in time: another consumer claims it (XAUTOCLAIM).
        await sleep(400);
        const rescuer = new Queue({ ...opts, autoVerify: true });
        assert.deepEqual(await rescuer.receiveMessage(), { streamId: id, body: { job: 1 } });
        assert.deepEqual(await redis.xpending(`UpstashMQ:${queueName}`, "Messages", "-", "+", 10), []);
        assert.equal(await worker.verifyMessage(id), "NOT VERIFIED");
      });

      test("a blocking receive waits for a message sent meanwhile, and times out empty", async () => {
        const queueName = `q-${run}-block`;
        const opts = { redis, queueName };
        await new Queue(opts).sendMessage({ warmup: true }); // creates the group
        assert.deepEqual((await new Queue(opts).receiveMessage())?.body, { warmup: true });

        const t0 = Date.now();
        assert.equal(await new Queue(opts).receiveMessage(500), null);
        assert.ok(Date.now() - t0 >= 400, `empty blocking receive returned after ${Date.now() - t0} ms`);

        const waiting = new Queue({ ...opts, redis: newRedis() }).receiveMessage(5000);
        await sleep(300);
        const id = await new Queue(opts).sendMessage({ late: "arrival" });
        assert.deepEqual(await waiting, { streamId: id, body: { late: "arrival" } });
      });

      test("a delayed send lands after its delay", async () => {
        const queueName = `q-${run}-delay`;
        const queue = new Queue({ redis, queueName });
        // An immediate send first: the library's delayed send fires from a
        // timer whose failure nobody catches, so it must not be armed on a
        // backend that cannot XADD.
        assert.match(String(await queue.sendMessage({ now: 1 })), /^\d+-\d+$/);
        assert.equal(await queue.sendMessage({ later: 1 }, 300), null);
        assert.equal(await redis.xlen(`UpstashMQ:${queueName}`), 1);
        await sleep(800);
        assert.equal(await redis.xlen(`UpstashMQ:${queueName}`), 2);
        const bodies = await redis.xrange(`UpstashMQ:${queueName}`, "-", "+");
        assert.deepEqual(Object.values(bodies).map((e) => e.messageBody), [{ now: 1 }, { later: 1 }]);
      });
    });

    describe("@auth/upstash-redis-adapter", () => {
      test("users, accounts, sessions and verification tokens round-trip", async () => {
        const adapter = UpstashRedisAdapter(redis, { baseKeyPrefix: `auth:${run}:` });
        const p = `auth:${run}:`;
        const emailVerified = new Date("2026-01-02T03:04:05.678Z");
        const user = await adapter.createUser({ email: `ada-${run}@example.com`, name: "Ada", image: null, emailVerified });
        assert.match(user.id, /^[0-9a-f-]{36}$/);
        assert.equal(await redis.get(`${p}user:email:${user.email}`), user.id);

        const fetched = await adapter.getUser(user.id);
        assert.deepEqual(fetched, { ...user, emailVerified });
        assert.ok(fetched.emailVerified instanceof Date);
        assert.deepEqual(await adapter.getUserByEmail(user.email), fetched);
        assert.equal(await adapter.getUserByEmail(`nobody-${run}@example.com`), null);

        const account = { userId: user.id, type: "oauth", provider: "github", providerAccountId: `gh-${run}`, access_token: "at", expires_at: 1767225600, token_type: "bearer", scope: "read:user" };
        await adapter.linkAccount(account);
        assert.deepEqual(await adapter.getUserByAccount({ provider: "github", providerAccountId: `gh-${run}` }), fetched);

        const updated = await adapter.updateUser({ id: user.id, name: "Ada L." });
        assert.equal(updated.name, "Ada L.");
        assert.equal((await adapter.getUser(user.id)).name, "Ada L.");

        const expires = new Date(Date.now() + 86400000);
        const sessionToken = `st-${run}`;
        await adapter.createSession({ sessionToken, userId: user.id, expires });
        const both = await adapter.getSessionAndUser(sessionToken);
        assert.deepEqual(both.session, { sessionToken, userId: user.id, expires });
        assert.equal(both.user.id, user.id);
        const later = new Date(expires.getTime() + 1000);
        await adapter.updateSession({ sessionToken, expires: later });
        assert.deepEqual((await adapter.getSessionAndUser(sessionToken)).session.expires, later);
        await adapter.deleteSession(sessionToken);
        assert.equal(await adapter.getSessionAndUser(sessionToken), null);

        const vt = { identifier: user.email, token: `vt-${run}`, expires };
        await adapter.createVerificationToken(vt);
        assert.deepEqual(await adapter.useVerificationToken({ identifier: vt.identifier, token: vt.token }), vt);
        assert.equal(await adapter.useVerificationToken({ identifier: vt.identifier, token: vt.token }), null);

        await adapter.unlinkAccount({ provider: "github", providerAccountId: `gh-${run}` });
        assert.equal(await adapter.getUserByAccount({ provider: "github", providerAccountId: `gh-${run}` }), null);
        await adapter.deleteUser(user.id);
        assert.equal(await adapter.getUser(user.id), null);
        assert.equal(await redis.exists(`${p}user:email:${user.email}`), 0);
      });
    });
  });
}
