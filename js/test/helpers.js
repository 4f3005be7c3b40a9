// Test helpers: free ports, child processes that are always stopped, and
// the real redis-server / edgestash-server / wrangler dev the tests drive.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { before, after } from "node:test";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `cmd` in its own process group; `stop()` ends that group only. */
export function start(cmd, args, options = {}) {
  const child = spawn(cmd, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...(options.env ?? {}) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!done) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
    },
  };
}

/** Polls `url` until it answers at all (any status), or fails after `ms`. */
export async function waitHttp(url, ms, proc) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) {
      throw new Error(`process exited early:\n${proc.output()}`);
    }
    try {
      await fetch(url);
      return;
    } catch {
      await sleep(250);
    }
  }
  throw new Error(`no answer from ${url} within ${ms} ms:\n${proc ? proc.output() : ""}`);
}

/** A real redis-server on a free loopback port, nothing persisted. */
export async function startRedis() {
  const port = await freePort();
  const proc = start("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]);
  const deadline = Date.now() + 10000;
  while (!proc.output().includes("Ready to accept connections")) {
    if (Date.now() > deadline || proc.child.exitCode !== null) {
      await proc.stop();
      throw new Error(`redis-server did not start:\n${proc.output()}`);
    }
    await sleep(50);
  }
  return { port, url: `redis://127.0.0.1:${port}`, stop: () => proc.stop() };
}

/** edgestash-server over `redisUrl`, when EDGESTASH_SERVER_BIN names it. */
export async function startServer(redisUrl, token) {
  const bin = process.env.EDGESTASH_SERVER_BIN;
  const port = await freePort();
  const proc = start(bin, ["--listen", `127.0.0.1:${port}`, "--redis", redisUrl, "--token", token]);
  await waitHttp(`http://127.0.0.1:${port}/`, 20000, proc);
  return { port, url: `http://127.0.0.1:${port}`, stop: () => proc.stop(), output: proc.output };
}

/** `wrangler dev` of the repo's Worker (or of the Worker whose wrangler.toml
 * is `config`) with extra `--var`s and wrangler arguments (`extra`, e.g.
 * `--persist-to <dir>`); the repo's Worker builds first. */
export async function startWorker(vars = {}, config, extra = []) {
  const port = await freePort();
  const args = ["dev", ...(config ? ["--config", config] : []), "--local", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort()), ...extra];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const bins = `${ROOT}js/node_modules/.bin`;
  // worker-build downloads wasm-bindgen and wasm-opt unless told where they
  // are (TOOLCHAIN.md trap 2); scripts/wasm-env.sh exports the same.
  const env = {
    CI: "true",
    WRANGLER_SEND_METRICS: "false",
    WASM_BINDGEN_BIN: process.env.WASM_BINDGEN_BIN ?? execFileSync("sh", ["-c", "command -v wasm-bindgen"]).toString().trim(),
    WASM_OPT_BIN: process.env.WASM_OPT_BIN ?? `${bins}/wasm-opt`,
    ESBUILD_BIN: process.env.ESBUILD_BIN ?? `${bins}/esbuild`,
  };
  const proc = start(`${bins}/wrangler`, args, { env });
  const deadline = Date.now() + 240000;
  while (!/Ready on http/.test(proc.output())) {
    if (Date.now() > deadline || proc.child.exitCode !== null) {
      await proc.stop();
      throw new Error(`wrangler dev did not start:\n${proc.output()}`);
    }
    await sleep(200);
  }
  return { port, url: `http://127.0.0.1:${port}`, stop: () => proc.stop(), output: proc.output };
}

export const serverAvailable = Boolean(process.env.EDGESTASH_SERVER_BIN);

/** Why server-backed tests skip, or false when they run. */
export const serverSkip = serverAvailable ? false : "EDGESTASH_SERVER_BIN not set (edgestash-server not built)";

/**
 * A real redis-server and edgestash-server over it for the calling test
 * file: started in `before`, stopped in `after`. Returns an object whose
 * `url` and `token` are set once started (nothing starts when skipped).
 */
export function useServer(name) {
  const state = { token: `${name}-token-${Math.random().toString(36).slice(2)}` };
  before(async () => {
    if (!serverAvailable) return;
    state.redis = await startRedis();
    state.server = await startServer(state.redis.url, state.token);
    state.url = state.server.url;
  });
  after(async () => {
    await state.server?.stop();
    await state.redis?.stop();
  });
  return state;
}

// @upstash/ratelimit 2.2.0's scripts start with `#!lua flags=allow-key-locking`,
// a flag only Upstash's own Redis knows: stock redis-server 7.0 refuses the
// script ("Unexpected flag in script shebang"). This shim drops that one
// line, and maps their EVALSHA hashes to the hashes of the scripts as sent,
// so their EVALSHA-then-EVAL flow (one round trip once loaded) is unchanged.
const SHEBANG = /^#!lua flags=allow-key-locking\n/;
const sha1 = (s) => createHash("sha1").update(s).digest("hex");
const sentHash = new Map();

/** An @upstash/redis client whose EVAL/EVALSHA work on stock redis-server. */
export function stockRedis(redis) {
  return new Proxy(redis, {
    get(target, prop) {
      if (prop === "eval") {
        return (script, keys, args) => {
          const body = script.replace(SHEBANG, "");
          sentHash.set(sha1(script), sha1(body));
          return target.eval(body, keys, args);
        };
      }
      if (prop === "evalsha") {
        return (hash, keys, args) => target.evalsha(sentHash.get(hash) ?? hash, keys, args);
      }
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
