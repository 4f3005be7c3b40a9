// Runs @upstash/redis's own test suite (packages/redis, with bun) against
// edgestash's `Redis` and, for the baseline, @upstash/redis's own, each
// over a fresh redis-server behind edgestash-server. See prepare.mjs for
// what changes in the suite (import lines only).
//
//   node run.mjs --checkout DIR [--target edgestash|upstash|both]
//                [--set public|commands|all] [--out DIR] [--grep PATTERN]
//
// Needs BUN (the bun binary) and EDGESTASH_SERVER_BIN; scripts/upstash-suite.sh
// provides both. Writes <out>/<target>-<set>.xml (JUnit) and prints per set:
// passed/total for each target, and the tests that pass with @upstash/redis
// but not with edgestash.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startRedis, startServer } from "../helpers.js";
import { PUBLIC_FILES, prepare } from "./prepare.mjs";

const { values: opts } = parseArgs({
  options: {
    checkout: { type: "string", default: "/work/oracle/redis-js" },
    target: { type: "string", default: "both" },
    set: { type: "string", default: "all" },
    out: { type: "string", default: "/tmp/edgestash-upstash-suite" },
    grep: { type: "string" },
  },
});

const BUN = process.env.BUN;
if (!BUN || !existsSync(BUN)) throw new Error("set BUN to the bun binary (scripts/upstash-suite.sh installs one)");
if (!process.env.EDGESTASH_SERVER_BIN) throw new Error("set EDGESTASH_SERVER_BIN (scripts/upstash-suite.sh builds it)");

const targets = opts.target === "both" ? ["upstash", "edgestash"] : [opts.target];
const sets = opts.set === "all" ? ["public", "commands"] : [opts.set];

function filesOf(set) {
  return set === "public" ? PUBLIC_FILES : ["pkg/commands", "pkg/functions.integration.test.ts"];
}

/** bun test in `dir` over `files`; resolves when it exits (any status). */
function bunTest(dir, files, env, xml) {
  const args = ["test", ...files.map((f) => `./${f}`), "--timeout", "20000", "--reporter=junit", `--reporter-outfile=${xml}`];
  if (opts.grep) args.push("--test-name-pattern", opts.grep);
  return new Promise((resolve) => {
    const child = spawn(BUN, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("exit", (code) => resolve({ code, log }));
  });
}

/** `{ "file > describe > name": "pass" | "fail" | "skip" }` from bun's JUnit. */
function results(xml) {
  const out = {};
  const text = readFileSync(xml, "utf8");
  for (const m of text.matchAll(/<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attr = (name) => (new RegExp(`${name}="([^"]*)"`).exec(m[1]) ?? [])[1] ?? "";
    const body = m[3] ?? "";
    const status = /<failure|<error/.test(body) ? "fail" : /<skipped/.test(body) ? "skip" : "pass";
    out[`${attr("file")} > ${attr("classname")} > ${attr("name")}`] = status;
  }
  return out;
}

mkdirSync(opts.out, { recursive: true });
const all = {};
for (const target of targets) {
  const dir = join(opts.out, `suite-${target}`);
  prepare(opts.checkout, dir, target);
  for (const set of sets) {
    const redis = await startRedis();
    const token = `suite-${Math.random().toString(36).slice(2)}`;
    const server = await startServer(redis.url, token);
    const env = {
      ...process.env,
      UPSTASH_REDIS_REST_URL: server.url,
      UPSTASH_REDIS_REST_TOKEN: token,
      UPSTASH_DISABLE_TELEMETRY: "1",
    };
    const xml = join(opts.out, `${target}-${set}.xml`);
    try {
      const { log } = await bunTest(dir, filesOf(set), env, xml);
      writeFileSync(join(opts.out, `${target}-${set}.log`), log);
    } finally {
      await server.stop();
      await redis.stop();
    }
    all[`${target}/${set}`] = existsSync(xml) ? results(xml) : {};
  }
}

const lines = [];
for (const set of sets) {
  const counts = targets.map((t) => {
    const r = all[`${t}/${set}`];
    const v = Object.values(r);
    return `${t} ${v.filter((s) => s === "pass").length}/${v.filter((s) => s !== "skip").length}`;
  });
  lines.push(`${set}: ${counts.join(", ")}`);
  if (targets.length === 2) {
    const [up, es] = targets.map((t) => all[`${t}/${set}`]);
    const lost = Object.keys(up).filter((k) => up[k] === "pass" && es[k] !== "pass");
    const gained = Object.keys(es).filter((k) => es[k] === "pass" && up[k] !== "pass");
    lines.push(`  pass with @upstash/redis only: ${lost.length}`);
    for (const k of lost) lines.push(`    - ${k}`);
    lines.push(`  pass with edgestash only: ${gained.length}`);
    for (const k of gained) lines.push(`    + ${k}`);
  }
}
const summary = lines.join("\n");
writeFileSync(join(opts.out, "summary.txt"), summary + "\n");
console.log(summary);
