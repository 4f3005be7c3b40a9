// The npm package's `Sessions` (the Rust session store through wasm)
// against edgestash-server over a REAL redis-server: create, get (with and
// without touch), update, regenerate, destroy, idle and absolute expiry,
// signed cookies, workspace scoping, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Redis, Sessions, SessionStore, EdgestashError } from "../src/node.js";
import { serverSkip as skip, useServer } from "./helpers.js";

const server = useServer("sessions");
const client = () => new Redis({ url: server.url, token: server.token });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sha256 = (s) => createHash("sha256").update(s).digest("hex");
const SECRET = "k".repeat(32);

test("create, get, update, destroy", { skip }, async () => {
  const redis = client();
  const sessions = new Sessions({ redis });
  const before = Date.now();
  const s = await sessions.create({ user: "alice", data: { cart: [1, 2], n: 1.5, nested: { ok: true } } });
  assert.match(s.id, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(s.user, "alice");
  assert.ok(s.createdAt >= before && s.createdAt <= Date.now());
  assert.equal(s.expiresAt - s.createdAt, 12 * 3600 * 1000);
  assert.deepEqual(await sessions.get(s.id), s);
  // Stored under the id's SHA-256, never the id itself.
  const keys = await redis.exec(["keys", "session*"]);
  assert.ok(keys.includes(`session:${sha256(s.id)}`), JSON.stringify(keys));
  assert.ok(keys.every((k) => !k.includes(s.id)));
  s.data.cart.push(3);
  assert.equal(await sessions.update(s), true);
  assert.deepEqual((await sessions.get(s.id)).data.cart, [1, 2, 3]);
  assert.equal(await sessions.destroy(s), true);
  assert.equal(await sessions.get(s.id), null);
  assert.equal(await sessions.destroy(s), false);
  assert.equal(await sessions.update(s), false);
});

test("anonymous sessions, destroy by id, destroyUser, regenerate", { skip }, async () => {
  const sessions = new SessionStore({ redis: client() });
  const anon = await sessions.create();
  assert.equal(anon.user, null);
  assert.equal(anon.data, null);
  assert.equal(await sessions.destroy(anon.id), true);
  const user = `bob-${Date.now()}`;
  const [a, b] = [await sessions.create({ user, data: 1 }), await sessions.create({ user, data: 2 })];
  const fresh = await sessions.regenerate(a);
  assert.notEqual(fresh.id, a.id);
  assert.equal(fresh.expiresAt, a.expiresAt, "regenerate keeps the absolute lifetime");
  assert.equal(await sessions.get(a.id), null);
  assert.equal((await sessions.get(fresh.id)).data, 1);
  assert.equal(await sessions.destroyUser(user), 2);
  assert.equal(await sessions.get(fresh.id), null);
  assert.equal(await sessions.get(b.id), null);
});

test("idle expiry; get slides it, get without touch does not", { skip }, async () => {
  const sessions = new Sessions({ redis: client(), idleTimeout: 600, absoluteTimeout: "1 m" });
  const touched = await sessions.create({ data: "t" });
  const untouched = await sessions.create({ data: "u" });
  await sleep(350);
  assert.ok(await sessions.get(touched.id)); // slides
  assert.ok(await sessions.get(untouched.id, { touch: false })); // only reads
  await sleep(350);
  assert.ok(await sessions.get(touched.id), "touched 350 ms ago: alive");
  assert.equal(await sessions.get(untouched.id), null, "idle for 700 ms: gone");
  assert.equal(await sessions.touch(touched.id), true);
  await sleep(700);
  assert.equal(await sessions.get(touched.id), null);
  assert.equal(await sessions.touch(touched.id), false);
});

test("absolute expiry however busy", { skip }, async () => {
  const sessions = new Sessions({ redis: client(), idleTimeout: "1 m", absoluteTimeout: "700 ms" });
  const s = await sessions.create({ data: 1 });
  for (let i = 0; i < 3; i++) {
    await sleep(200);
    assert.ok(await sessions.get(s.id));
  }
  await sleep(300);
  assert.equal(await sessions.get(s.id), null);
});

test("signed cookies round-trip; forged or malformed ones are refused", { skip }, async () => {
  const sessions = new Sessions({ redis: client(), cookie: { name: "app", secret: SECRET, sameSite: "strict" } });
  const s = await sessions.create({ user: "carol", data: {} });
  const setCookie = sessions.cookie(s);
  assert.match(setCookie, /^app=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+; Max-Age=\d+; Expires=[^;]+GMT; Path=\/; Secure; HttpOnly; SameSite=Strict$/);
  const value = setCookie.split(";")[0].slice("app=".length);
  assert.equal(sessions.idFromCookie(`theme=dark; app=${value}`), s.id);
  assert.equal(sessions.idFromCookie("theme=dark"), null);
  assert.equal(sessions.idFromCookie(undefined), null);
  const forged = value.slice(0, -2) + (value.endsWith("AA") ? "BB" : "AA");
  assert.throws(() => sessions.idFromCookie(`app=${forged}`), (e) => e instanceof EdgestashError && e.code === "bad_signature" && !e.message.includes(forged));
  const unsigned = new Sessions({ redis: client() });
  assert.throws(() => unsigned.idFromCookie("sid=not-an-id"), (e) => e.code === "malformed_id");
  assert.match(sessions.clearCookie(), /^app=; Max-Age=0; /);
});

test("workspaces keep sessions apart, under ws:<id>:", { skip }, async () => {
  const root = client();
  const a = new Sessions({ redis: root.workspace("a") });
  const b = new Sessions({ redis: root.workspace("b") });
  const s = await a.create({ user: "dave", data: "secret" });
  assert.equal(await b.get(s.id), null);
  assert.equal((await a.get(s.id)).data, "secret");
  assert.equal(await root.exists(`ws:a:session:${sha256(s.id)}`), 1);
  assert.equal(await root.exists(`ws:b:session:${sha256(s.id)}`), 0);
  assert.equal(await b.destroy(s.id), false);
  assert.ok(await a.get(s.id));
});

test("bad input: typed errors, nothing echoed, nothing sent", async () => {
  const redis = new Redis({ mock: true });
  const sessions = new Sessions({ redis });
  const sent = redis.metrics().bytes_sent;
  const malformed = (e) => e instanceof EdgestashError && e.kind === "session" && e.code === "malformed_id" && !e.message.includes("SECRET");
  await assert.rejects(sessions.get("SECRET-guess"), malformed);
  await assert.rejects(sessions.get(42), malformed);
  await assert.rejects(sessions.destroy("x".repeat(43) + "SECRET"), malformed);
  await assert.rejects(sessions.update({ id: "SECRET", data: 1 }), malformed);
  assert.equal(redis.metrics().bytes_sent, sent, "nothing reached Redis");
  const config = (e) => e instanceof EdgestashError && e.kind === "config" && !e.message.includes("SECRET");
  assert.throws(() => new Sessions({ redis, idleTimeout: "5 SECRETs" }), config);
  assert.throws(() => new Sessions({ redis, idleTimeout: 0 }), config);
  assert.throws(() => new Sessions({ redis, absoluteTimeout: -1 }), config);
  assert.throws(() => new Sessions({ redis, cookie: { secret: "SECRET-short" } }), config);
  assert.throws(() => new Sessions({ redis, cookie: { name: "a;SECRET" } }), config);
  assert.throws(() => new Sessions({ redis, cookie: { sameSite: "none", secure: false } }), config);
  assert.throws(() => new Sessions({ redis: {} }), TypeError);
  await assert.rejects(sessions.create({ user: 7 }), config);
  await assert.rejects(sessions.create({ data: () => 1 }), config);
});

test("sessions on the embedded engine", async () => {
  const sessions = new Sessions({ redis: new Redis({ mock: true }) });
  const s = await sessions.create({ user: "eve", data: [1] });
  assert.deepEqual((await sessions.get(s.id)).data, [1]);
  assert.equal(await sessions.destroy(s), true);
});
