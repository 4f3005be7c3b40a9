// The path every call of one `Redis` (and its pipelines) takes to the wasm
// client: middleware (`use`), auto-pipelining, the custom retry backoff,
// `signal` and `latencyLogging`, as @upstash/redis applies them.
//
// Owns: those per-request wrappers. Must not: encode arguments or shape
// replies (redis.js, command_table.js) or retry anything that may have
// reached the server (the Rust client's safe-retry policy decides that).

import { AutoPipeline } from "./autopipeline.js";
import { EdgestashError } from "./errors.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nameOf = (parts) => String(parts[0]).toUpperCase();

export class Core {
  /** The wasm client. */
  client;
  /** The facade options (config.js). */
  options;
  auto;
  /** (req, next) => response chain, or null. */
  #middleware = null;

  constructor(client, options) {
    this.client = client;
    this.options = options;
    this.auto = options.autoPipelining ? new AutoPipeline(client) : null;
  }

  /** A core for another wasm client (a workspace) with these options. */
  derive(client) {
    return new Core(client, this.options);
  }

  /** Adds middleware `(req, next) => Promise<{ result, error? }>`. */
  use(middleware) {
    const inner = this.#middleware;
    this.#middleware = (req, next) => middleware(req, (r) => (inner ? inner(r, next) : next(r)));
  }

  /** One command (`parts` already converted); resolves to its raw reply. */
  send(parts, flags) {
    const run = this.#middleware
      ? () => this.#viaMiddleware({ body: parts }, (req) => this.#direct(req.body, flags))
      : () => this.#direct(parts, flags);
    return this.#wrap(run, parts.length ? nameOf(parts) : "");
  }

  /** A pipeline or transaction; resolves to one entry (reply or Error) per command. */
  batch(queue, transaction, flags) {
    const direct = (commands) => {
      const send = () => this.client.batch(commands, transaction, flags);
      if (!this.auto) return send();
      if (transaction) return this.auto.enqueue(send);
      return this.auto.addPipeline(commands, flags);
    };
    const path = [transaction ? "multi-exec" : "pipeline"];
    const run = this.#middleware ? () => this.#viaMiddlewareBatch({ path, body: queue }, direct) : () => direct(queue);
    return this.#wrap(run, transaction ? "MULTI-EXEC" : "PIPELINE");
  }

  #direct(parts, flags) {
    const once = () => (this.auto ? this.auto.add(parts, flags) : this.client.exec(parts, flags));
    const { backoff, retries } = this.options;
    if (!backoff) return once();
    return (async () => {
      for (let i = 0; ; i++) {
        try {
          return await once();
        } catch (e) {
          // Only what certainly never reached the server is retried here.
          if (i >= retries || !(e instanceof EdgestashError && e.kind === "transport" && e.code === "connect")) throw e;
          await sleep(backoff(i));
        }
      }
    })();
  }

  async #viaMiddleware(req, next) {
    const res = await this.#middleware(req, async (r) => {
      try {
        return { result: await next(r) };
      } catch (e) {
        if (e?.kind === "redis") return { error: e.redisMessage ?? e.message, cause: e };
        throw e;
      }
    });
    if (res?.error !== undefined) throw res.cause ?? new EdgestashError(String(res.error), "redis", "redis");
    return res?.result;
  }

  async #viaMiddlewareBatch(req, direct) {
    const res = await this.#middleware(req, async (r) => {
      const entries = await direct(r.body);
      return {
        result: entries.map((e) => (e instanceof Error ? { error: e.redisMessage ?? e.message, cause: e } : { result: e })),
      };
    });
    return (res?.result ?? []).map((e) =>
      e.error !== undefined ? (e.cause ?? new EdgestashError(String(e.error), "redis", "redis")) : e.result,
    );
  }

  /** `signal` and `latencyLogging` around `run`. */
  #wrap(run, label) {
    const { signal, latencyLogging } = this.options;
    let promise;
    if (signal) {
      const s = typeof signal === "function" ? signal() : signal;
      // @upstash/redis: a signal function's abort rejects with its reason;
      // a fixed signal's abort resolves with its reason (or "Aborted").
      const aborted = () =>
        typeof signal === "function" ? Promise.reject(s.reason) : Promise.resolve(s.reason ?? "Aborted");
      if (s?.aborted) promise = aborted();
      else if (s) {
        promise = new Promise((resolve, reject) => {
          const onAbort = () => aborted().then(resolve, reject);
          s.addEventListener("abort", onAbort, { once: true });
          const done = (f) => (v) => {
            s.removeEventListener("abort", onAbort);
            f(v);
          };
          run().then(done(resolve), done(reject));
        });
      } else promise = run();
    } else {
      promise = run();
    }
    if (!latencyLogging) return promise;
    const start = performance.now();
    return promise.then((v) => {
      const ms = (performance.now() - start).toFixed(2);
      console.log(`Latency for \u001B[38;2;19;185;39m${label}\u001B[0m: \u001B[38;2;0;255;255m${ms} ms\u001B[0m`);
      return v;
    });
  }
}
