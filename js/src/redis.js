// The `edgestash` facade: a `Redis` class shaped like @upstash/redis over
// the wasm client. Thin on purpose: configuration, encoding, retries and
// decoding happen in Rust (src/wasm.rs and the library). This file only
// turns JavaScript arguments into strings or bytes and picks the reply form.

import { WasmClient } from "../pkg/edgestash.js";
import { COMMANDS } from "./commands.js";
import { EdgestashError } from "./errors.js";
import { AutoPipeline } from "./autopipeline.js";
import { subscribe } from "./pubsub.js";

const FLAG_BYTES = 1;
const FLAG_BIGINT = 2;
const SETTINGS = Symbol("edgestash.settings");
const SCOPED = Symbol("edgestash.scoped");

/**
 * The wasm client behind an edgestash `Redis` (for Ratelimit and Sessions,
 * which run on the same client and so in the same workspace); throws a
 * TypeError for anything else, e.g. an @upstash/redis instance.
 */
export let clientOf;

/** Turns one argument into what the wasm client takes: a string or bytes. */
function toArg(value) {
  if (typeof value === "string" || value instanceof Uint8Array) return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  if (value === null || value === undefined) {
    throw new TypeError("edgestash: null or undefined is not a Redis argument");
  }
  // Objects are stored as their JSON text, as @upstash/redis does; they are
  // never parsed back unless the caller does so.
  return JSON.stringify(value);
}

/** `command` as the wasm client takes it: the name a string, then arguments. */
function partsOf(command) {
  const n = command.length;
  const parts = new Array(n);
  if (n > 0) parts[0] = String(command[0]);
  for (let i = 1; i < n; i++) parts[i] = toArg(command[i]);
  return parts;
}

function flagsOf(options) {
  return (options.encoding === "bytes" ? FLAG_BYTES : 0) | (options.bigint ? FLAG_BIGINT : 0);
}

/** Builds the settings object the Rust config reads (names as env vars). */
function settingsFrom(config) {
  const s = {};
  const put = (name, value) => {
    if (value !== undefined && value !== null) s[name] = String(value);
  };
  put("UPSTASH_REDIS_REST_URL", config.url);
  put("UPSTASH_REDIS_REST_TOKEN", config.token);
  if (config.mock) s.MOCK_REDIS = "true";
  put("APP_ENV", config.environment);
  put("REDIS_TIMEOUT_MS", config.timeoutMs);
  if (config.retry && config.retry.retries !== undefined) {
    put("REDIS_RETRY_MAX_ATTEMPTS", Number(config.retry.retries) + 1);
  }
  if (config.readYourWrites !== undefined) put("REDIS_READ_YOUR_WRITES", config.readYourWrites);
  return s;
}

function check(entries, keepErrors) {
  if (keepErrors) {
    return entries.map((e) => (e instanceof Error ? { result: undefined, error: e } : { result: e }));
  }
  const failed = entries.find((e) => e instanceof Error);
  if (failed) throw failed;
  return entries;
}

/** `autoPipelining` (or @upstash/redis's `enableAutoPipelining`), default on. */
function autoPipeliningOf(config) {
  return (config.autoPipelining ?? config.enableAutoPipelining ?? true) !== false;
}

export class Redis {
  #client;
  #options;
  #workspace;
  #auto;
  /** `flagsOf(this.#options)`, computed once: the options never change. */
  #flags;

  static {
    clientOf = (redis) => {
      if (redis !== null && typeof redis === "object" && #client in redis) return redis.#client;
      throw new TypeError("edgestash: `redis` must be an edgestash Redis client");
    };
  }

  /**
   * @param {import("./index.d.ts").RedisConfig} config
   */
  constructor(config = {}) {
    const scoped = config[SCOPED];
    if (scoped) {
      this.#client = scoped.client;
      this.#options = scoped.options;
      this.#workspace = scoped.workspace;
    } else {
      const settings = config[SETTINGS] ?? settingsFrom(config);
      this.#client = WasmClient.fromSettings(settings);
      this.#options = {
        encoding: config.encoding ?? "string",
        bigint: Boolean(config.bigint),
        autoPipelining: autoPipeliningOf(config),
      };
    }
    this.#auto = this.#options.autoPipelining ? new AutoPipeline(this.#client) : null;
    this.#flags = flagsOf(this.#options);
  }

  /**
   * A client confined to workspace `id`: every key it names (commands,
   * pipelines, and the Ratelimit and Sessions built on it) lives under
   * `ws:<id>:`, and commands that could reach beyond it are refused. It
   * shares this client's connection settings. A bad id (not 1 to 64 of
   * `[A-Za-z0-9_-]`) throws an EdgestashError with `code:
   * "invalid_workspace_id"` whose message never contains the id.
   */
  workspace(id) {
    if (typeof id !== "string") {
      throw new EdgestashError(
        "namespace refused the request: invalid workspace id (1 to 64 characters of A-Z, a-z, 0-9, '_' or '-')",
        "namespace",
        "invalid_workspace_id",
      );
    }
    const client = this.#client.workspace(id);
    return new Redis({ [SCOPED]: { client, options: this.#options, workspace: id } });
  }

  /** The workspace this client is confined to, or undefined. */
  get workspaceId() {
    return this.#workspace;
  }

  /**
   * Reads UPSTASH_REDIS_REST_URL / _TOKEN (or MOCK_REDIS=true, APP_ENV...)
   * from `env`: a Worker env object, or `process.env` when omitted.
   */
  static fromEnv(env, options = {}) {
    const source = env ?? globalThis.process?.env ?? {};
    return new Redis({ ...options, [SETTINGS]: source });
  }

  /** `redis` or `mock`. */
  get mode() {
    return this.#client.mode();
  }

  /** Runs any command: `exec(["SET", "k", "v"])`. */
  exec(command, options) {
    const parts = partsOf(command);
    const flags = options === undefined ? this.#flags : flagsOf({ ...this.#options, ...options });
    return this.#auto ? this.#auto.add(parts, flags) : this.#client.exec(parts, flags);
  }

  /** Commands sent together to /pipeline; not atomic. */
  pipeline() {
    return new Pipeline(this.#client, this.#options, false, this.#auto);
  }

  /** Commands sent together to /multi-exec, run as one MULTI/EXEC. */
  multi() {
    return new Pipeline(this.#client, this.#options, true, this.#auto);
  }

  /**
   * Subscribes to `channels` (a string or an array): one streaming HTTP
   * request for all of them. The answer is usable at once (`.on("message",
   * ...)`, `for await`) and is also a promise that resolves to the
   * subscription once the server confirmed every channel, so a message
   * published after `await` is delivered. Messages are
   * `{ type: "message", channel, message }`, `message` a string (strict
   * UTF-8) or a Uint8Array with `{ encoding: "bytes" }`. In a workspace the
   * channels are the workspace's own.
   */
  subscribe(channels, options) {
    return subscribe(this.#client, false, channels, this.#bytes(options));
  }

  /**
   * Like `subscribe`, for glob `patterns`; messages are
   * `{ type: "pmessage", pattern, channel, message }`.
   */
  psubscribe(patterns, options) {
    return subscribe(this.#client, true, patterns, this.#bytes(options));
  }

  #bytes(options) {
    return (options?.encoding ?? this.#options.encoding) === "bytes";
  }

  /** The client's counters (commands, errors, retries, latency) as an object. */
  metrics() {
    return JSON.parse(this.#client.metrics());
  }
}

export class Pipeline {
  #client;
  #options;
  #transaction;
  #auto;
  #queue = [];
  #parsers = [];

  constructor(client, options, transaction, auto) {
    this.#client = client;
    this.#options = options;
    this.#transaction = transaction;
    this.#auto = auto;
  }

  /** Queues any command. */
  add(command, parse) {
    this.#queue.push(partsOf(command));
    this.#parsers.push(parse);
    return this;
  }

  /** How many commands are queued. */
  get length() {
    return this.#queue.length;
  }

  /**
   * Sends the queued commands. Resolves to their replies in order; throws
   * the first command error, unless `keepErrors` asks for
   * `{ result, error }` entries instead.
   */
  async exec(options = {}) {
    if (this.#queue.length === 0) return [];
    const flags = flagsOf({ ...this.#options, ...options });
    const queue = this.#queue.slice();
    const send = () => this.#client.batch(queue, this.#transaction, flags);
    // With auto-pipelining, the pipeline takes its place among the calls
    // of this tick: after those made before it, before those made after;
    // a plain pipeline even shares their request.
    let raw;
    if (!this.#auto) raw = await send();
    else if (this.#transaction) raw = await this.#auto.enqueue(send);
    else raw = await this.#auto.addPipeline(queue, flags);
    const parsed = raw.map((r, i) => (r instanceof Error || !this.#parsers[i] ? r : this.#parsers[i](r)));
    return check(parsed, Boolean(options.keepErrors));
  }
}

for (const [name, [build, parse]] of Object.entries(COMMANDS)) {
  // Without a parser the method hands back exec's own promise: an `async`
  // wrapper would cost one more promise and microtask turn per call. A
  // throw while building the command still becomes a rejection.
  const run = parse
    ? async function (...args) {
        return parse(await this.exec(build(...args)));
      }
    : function (...args) {
        try {
          return this.exec(build(...args));
        } catch (e) {
          return Promise.reject(e);
        }
      };
  Object.defineProperty(Redis.prototype, name, {
    value: run,
    writable: true,
    configurable: true,
  });
  Object.defineProperty(Pipeline.prototype, name, {
    value: function (...args) {
      return this.add(build(...args), parse);
    },
    writable: true,
    configurable: true,
  });
}
