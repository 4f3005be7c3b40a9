// `tsc --noEmit` (typescript pinned in package.json) over
// test/types/readme-usage.ts: @upstash/redis's README usage, and common
// option and method shapes, type-check against edgestash's index.d.ts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const JS = fileURLToPath(new URL("../", import.meta.url));

test("index.d.ts accepts @upstash/redis README usage (tsc --noEmit)", () => {
  let out = "";
  try {
    execFileSync(`${JS}node_modules/.bin/tsc`, ["--noEmit", "-p", "test/types"], { cwd: JS, encoding: "utf8" });
  } catch (e) {
    out = `${e.stdout}${e.stderr}`;
  }
  assert.equal(out, "", out);
});
