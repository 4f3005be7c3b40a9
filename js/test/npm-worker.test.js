// The npm package inside workerd: a plain JavaScript Worker imports
// "edgestash" and gets the `workerd` entry (the .wasm bundled as a
// WebAssembly.Module, instantiated synchronously).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startWorker } from "./helpers.js";

const CONFIG = fileURLToPath(new URL("./fixtures/npm-worker/wrangler.toml", import.meta.url));

test("the package runs in workerd through its workerd export", async () => {
  const worker = await startWorker({}, CONFIG);
  try {
    const res = await fetch(worker.url);
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual(body, {
      mode: "mock",
      pong: "PONG",
      value: "v",
      n: 1,
      scoped: "scoped",
      limits: [true, true, false],
      session: { a: 1 },
      badId: "invalid_workspace_id",
    });
  } finally {
    await worker.stop();
  }
});
