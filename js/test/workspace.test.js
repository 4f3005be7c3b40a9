// `redis.workspace(id)` against edgestash-server over a REAL redis-server:
// keys, pipelines and transactions are confined to `ws:<id>:`, replies
// come back unprefixed, commands that reach beyond a workspace are
// refused before anything is sent, and bad ids throw typed errors that
// never echo the id.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Redis, EdgestashError } from "../src/node.js";
import { serverSkip as skip, useServer } from "./helpers.js";

const server = useServer("ws");
// Raw replies: these tests are about key scoping, not JSON parsing.
const client = () => new Redis({ url: server.url, token: server.token, automaticDeserialization: false });

test("a key set through workspace a is invisible through b, visible unscoped as ws:a:<key>", { skip }, async () => {
  const root = client();
  const a = root.workspace("a");
  const b = root.workspace("b");
  assert.equal(a.workspaceId, "a");
  assert.equal(root.workspaceId, undefined);
  assert.equal(await a.set("greeting", "hello"), "OK");
  assert.equal(await a.get("greeting"), "hello");
  assert.equal(await b.get("greeting"), null);
  assert.equal(await root.get("greeting"), null);
  assert.equal(await root.get("ws:a:greeting"), "hello");
  assert.equal(await b.set("greeting", "other"), "OK");
  assert.equal(await a.get("greeting"), "hello");
  assert.deepEqual((await root.exec(["keys", "*greeting"])).sort(), ["ws:a:greeting", "ws:b:greeting"]);
  // Key names in replies come back without the prefix.
  assert.deepEqual(await a.exec(["keys", "*"]), ["greeting"]);
  assert.deepEqual(await a.scan(0, { match: "greet*" }), ["0", ["greeting"]]);
});

test("pipelines and transactions run in the workspace", { skip }, async () => {
  const root = client();
  const a = root.workspace("team-1");
  assert.deepEqual(await a.pipeline().set("n", 1).incr("n").mget("n", "missing").exec(), ["OK", 2, ["2", null]]);
  assert.deepEqual(await a.multi().rpush("l", "x", "y").lrange("l", 0, -1).exec(), [2, ["x", "y"]]);
  assert.equal(await root.get("ws:team-1:n"), "2");
  assert.equal(await root.llen("ws:team-1:l"), 2);
  assert.equal(await root.get("n"), null);
});

test("commands that reach beyond the workspace are refused before sending", { skip }, async () => {
  const root = client();
  await root.set("outside", "1");
  const a = root.workspace("a");
  const sent = root.metrics().bytes_sent;
  const refused = (code) => (e) => e instanceof EdgestashError && e.kind === "namespace" && e.code === code;
  await assert.rejects(a.exec(["flushall"]), refused("forbidden"));
  await assert.rejects(a.dbsize(), refused("forbidden"));
  await assert.rejects(a.eval("return redis.call('GET', 'outside')"), refused("unregistered_script"));
  await assert.rejects(a.pipeline().add(["flushdb"]).exec(), refused("forbidden"));
  assert.equal(root.metrics().bytes_sent, sent, "nothing was sent");
  assert.equal(await root.get("outside"), "1");
});

test("bad ids throw a typed error that never contains the id", () => {
  const root = new Redis({ mock: true });
  for (const bad of ["", "a:b", "a*", "ws:SECRET", "SECRET token", "x".repeat(65), "é", 42, null]) {
    assert.throws(
      () => root.workspace(bad),
      (e) =>
        e instanceof EdgestashError &&
        e instanceof Error &&
        e.name === "UpstashError" &&
        e.kind === "namespace" &&
        e.code === "invalid_workspace_id" &&
        !e.message.includes("SECRET") &&
        (typeof bad !== "string" || bad === "" || !e.message.includes(bad)),
      String(bad),
    );
  }
  assert.throws(() => root.workspace("a").workspace("b"), (e) => e.code === "already_scoped");
});

test("workspaces on the embedded engine", async () => {
  const root = new Redis({ mock: true });
  await root.workspace("a").set("k", "v");
  assert.equal(await root.get("ws:a:k"), "v");
  assert.equal(await root.workspace("b").get("k"), null);
});
