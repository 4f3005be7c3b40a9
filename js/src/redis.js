// The `edgestash` facade: a `Redis` class shaped like @upstash/redis over
// the wasm client. Configuration, wire encoding, safe retries and reply
// decoding happen in Rust (src/wasm/ and the library). This file turns
// JavaScript arguments into strings or bytes (command_table.js builds them
// from command_shapes.js), applies automatic deserialization
// (deserialize.js) and hands each call to core.js.

import { WasmClient } from "../pkg/edgestash.js";
import { commandTable } from "./command_table.js";
import { Value, chainBuilder } from "./command_options.js";
import { configure, looksLikeEnv, settingsFromEnv } from "./config.js";
import { Core } from "./core.js";
import { encodeValue, parseReply } from "./deserialize.js";
import { EdgestashError } from "./errors.js";
import { subscribe } from "./pubsub.js";
import { Script, ScriptRO } from "./script.js";

const FLAG_BYTES = 1;
const FLAG_BIGINT = 2;
const SCOPED = Symbol("edgestash.scoped");
const TABLE = commandTable();

/**
 * The wasm client behind an edgestash `Redis` (for Ratelimit and Sessions,
 * which run on the same client and so in the same workspace); throws a
 * TypeError for anything else, e.g. an @upstash/redis instance.
 */
export let clientOf;

/** One argument as the wasm client takes it: a string or bytes. */
function toArg(value, deserialize) {
  if (value instanceof Value) {
    value = value.value;
    if (deserialize && typeof value === "string") return encodeValue(value);
  }
  if (typeof value === "string" || value instanceof Uint8Array) return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  if (value === null || value === undefined) {
    throw new TypeError("edgestash: null or undefined is not a Redis argument");
  }
  // Objects are stored as their JSON text, as @upstash/redis does.
  return JSON.stringify(value);
}

/** `command` as the wasm client takes it: the name a string, then arguments. */
function partsOf(command, deserialize) {
  const n = command.length;
  const parts = new Array(n);
  if (n > 0) parts[0] = String(command[0]);
  for (let i = 1; i < n; i++) parts[i] = toArg(command[i], deserialize);
  return parts;
}

function flagsOf(options) {
  return (options.encoding === "bytes" ? FLAG_BYTES : 0) | (options.bigint ? FLAG_BIGINT : 0);
}

/** A reply as the options ask: shaped and parsed, or raw. */
function shaped(entry, raw, args, options) {
  return options.deserialize ? entry.reply(raw, args, options.bigint) : raw;
}

/** A call's options merged over the client's (`exec(cmd, { encoding })`). */
function callOptions(base, options) {
  return options === undefined ? base : { ...base, ...options, deserialize: options.automaticDeserialization ?? base.deserialize };
}

export class Redis {
  #core;
  #workspace;
  /** `flagsOf(options)`, computed once: the options never change. */
  #flags;

  static {
    clientOf = (redis) => {
      if (redis !== null && typeof redis === "object" && #core in redis) return redis.#core.client;
      throw new TypeError("edgestash: `redis` must be an edgestash Redis client");
    };
  }

  /**
   * @param {import("./index.d.ts").RedisConfig} config
   */
  constructor(config = {}) {
    const scoped = config[SCOPED];
    if (scoped) {
      this.#core = scoped.core;
      this.#workspace = scoped.workspace;
    } else {
      const { settings, options } = configure(config, config[SETTINGS_FROM_ENV]);
      this.#core = new Core(WasmClient.fromSettings(settings), options);
    }
    this.#flags = flagsOf(this.#core.options);
  }

  /**
   * Reads UPSTASH_REDIS_REST_URL / _TOKEN (or KV_REST_API_URL / _TOKEN,
   * MOCK_REDIS=true, APP_ENV...) as @upstash/redis does:
   * `fromEnv(options?)` reads `process.env` (or, where there is none, the
   * global scope of a service-worker-style Worker); `fromEnv(env,
   * options?)` reads a Worker's `env` object.
   */
  static fromEnv(envOrOptions, options) {
    let env;
    let opts = options ?? {};
    if (options !== undefined || looksLikeEnv(envOrOptions)) env = envOrOptions;
    else opts = envOrOptions ?? {};
    env ??= globalThis.process?.env ?? globalThis;
    return new Redis({ ...opts, [SETTINGS_FROM_ENV]: settingsFromEnv(env) });
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
    const client = this.#core.client.workspace(id);
    return new Redis({ [SCOPED]: { core: this.#core.derive(client), workspace: id } });
  }

  /** The workspace this client is confined to, or undefined. */
  get workspaceId() {
    return this.#workspace;
  }

  /** `redis` or `mock`. */
  get mode() {
    return this.#core.client.mode();
  }

  /**
   * The newest `upstash-sync-token` seen ("" before any), and setting it
   * adopts another client's, as @upstash/redis's property.
   */
  get readYourWritesSyncToken() {
    return this.#core.client.syncToken();
  }
  set readYourWritesSyncToken(token) {
    if (typeof token === "string" && token !== "") this.#core.client.setSyncToken(token);
  }

  /**
   * Runs any command: `exec(["SET", "k", "v"])`; the reply is parsed as
   * any other with automatic deserialization on.
   */
  exec(command, options) {
    const opts = callOptions(this.#core.options, options);
    return this.#send(partsOf(command, false), opts === this.#core.options ? this.#flags : flagsOf(opts), (raw) =>
      opts.deserialize ? parseReply(raw, opts.bigint) : raw,
    );
  }

  /** @internal one table method: build, send, shape. */
  run(entry, args) {
    const options = this.#core.options;
    let parts;
    try {
      parts = partsOf(entry.build(...args), options.deserialize);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#send(parts, this.#flags, (raw) => shaped(entry, raw, args, options));
  }

  #send(parts, flags, shape) {
    let sent;
    try {
      sent = this.#core.send(parts, flags);
    } catch (e) {
      return Promise.reject(e);
    }
    return sent.then(shape);
  }

  /** Commands sent together to /pipeline; not atomic. */
  pipeline() {
    return new Pipeline(this.#core, false);
  }

  /** Commands sent together to /multi-exec, run as one MULTI/EXEC. */
  multi() {
    return new Pipeline(this.#core, true);
  }

  /**
   * Wraps every request in `middleware(req, next)`, as @upstash/redis's
   * `use`: `req.body` is the command (or, with `req.path` ["pipeline"] or
   * ["multi-exec"], the commands); `next(req)` resolves to `{ result }` or
   * `{ error }` (Redis's error text) with the raw reply.
   */
  use(middleware) {
    if (typeof middleware !== "function") throw new TypeError("edgestash: use(middleware) takes a function");
    this.#core.use(middleware);
  }

  /** A script run by hash first (see script.js); `{ readonly: true }` for EVAL_RO. */
  createScript(script, opts) {
    return opts?.readonly ? new ScriptRO(this, script) : new Script(this, script);
  }

  /**
   * Subscribes to `channels` (a string or an array): one streaming HTTP
   * request for all of them. The answer is usable at once (`.on("message",
   * ...)`, `for await`) and is also a promise that resolves to the
   * subscription once the server confirmed every channel. Messages are
   * `{ type: "message", channel, message }`, `message` parsed as JSON with
   * automatic deserialization on (as @upstash/redis), else a string
   * (strict UTF-8), or a Uint8Array with `{ encoding: "bytes" }`.
   */
  subscribe(channels, options) {
    return subscribe(this.#core.client, false, channels, this.#messageForm(options));
  }

  /**
   * Like `subscribe`, for glob `patterns`; messages are
   * `{ type: "pmessage", pattern, channel, message }`.
   */
  psubscribe(patterns, options) {
    return subscribe(this.#core.client, true, patterns, this.#messageForm(options));
  }

  #messageForm(options) {
    const bytes = (options?.encoding ?? this.#core.options.encoding) === "bytes";
    const deserialize = !bytes && (options?.automaticDeserialization ?? this.#core.options.deserialize);
    return { bytes, parse: deserialize ? (m) => parseReply(m, this.#core.options.bigint) : null };
  }

  /** The client's counters (commands, errors, retries, latency) as an object. */
  metrics() {
    return JSON.parse(this.#core.client.metrics());
  }
}

/** Settings read by `fromEnv`, handed to the constructor. */
const SETTINGS_FROM_ENV = Symbol("edgestash.settingsFromEnv");

export class Pipeline {
  #core;
  #transaction;
  #queue = [];
  /** Per queued command: [table entry or null (exec), its call arguments]. */
  #shapes = [];

  /** @internal use `redis.pipeline()` / `redis.multi()`. */
  constructor(core, transaction) {
    this.#core = core;
    this.#transaction = transaction;
  }

  /** Queues any command, as `Redis.exec` runs it. */
  add(command) {
    this.#queue.push(partsOf(command, false));
    this.#shapes.push(null);
    return this;
  }

  /** @internal one table method. */
  queue(entry, args) {
    this.#queue.push(partsOf(entry.build(...args), this.#core.options.deserialize));
    this.#shapes.push([entry, args]);
    return this;
  }

  /** How many commands are queued (@upstash/redis's `length()`). */
  length() {
    return this.#queue.length;
  }

  /**
   * Sends the queued commands. Resolves to their replies in order; rejects
   * with the first command error (`Command <n> [ <name> ] failed: <Redis
   * error>`), unless `keepErrors` asks for `{ result, error }` entries
   * (`error` Redis's error text), as @upstash/redis. An empty pipeline
   * rejects, as @upstash/redis's does.
   */
  async exec(options = {}) {
    if (this.#queue.length === 0) {
      throw new EdgestashError("Pipeline is empty", "invalid_request", "empty_pipeline");
    }
    const { keepErrors, ...decode } = options;
    const opts = Object.keys(decode).length ? callOptions(this.#core.options, decode) : this.#core.options;
    const raw = await this.#core.batch(this.#queue.slice(), this.#transaction, flagsOf(opts));
    return raw.map((r, i) => {
      if (r instanceof Error) {
        if (keepErrors) return { error: r.redisMessage ?? r.message, result: undefined };
        const name = this.#queue[i][0];
        const e = new EdgestashError(`Command ${i + 1} [ ${name} ] failed: ${r.redisMessage ?? r.message}`, r.kind ?? "redis", r.code);
        if (r.redisKind) e.redisKind = r.redisKind;
        throw e;
      }
      const s = this.#shapes[i];
      const result = s ? shaped(s[0], r, s[1], opts) : opts.deserialize ? parseReply(r, opts.bigint) : r;
      return keepErrors ? { error: undefined, result } : result;
    });
  }
}

/**
 * Methods: one per table entry, on both classes, read as bound functions
 * (so `const { get } = redis` works, as with @upstash/redis's arrow
 * fields) and bound once per instance, on first use. Grouped names
 * ("json.get") become `redis.json.get`.
 */
function install(proto, name, make) {
  Object.defineProperty(proto, name, {
    configurable: true,
    get() {
      const bound = make(this);
      Object.defineProperty(this, name, { value: bound, writable: true, configurable: true });
      return bound;
    },
  });
}

const groups = {};
for (const [name, entry] of Object.entries(TABLE)) {
  const dot = name.indexOf(".");
  if (dot > 0) (groups[name.slice(0, dot)] ??= {})[name.slice(dot + 1)] = entry;
  else if (entry.chain) {
    // A chained builder (`bitfield(key).get(..).exec()`): its calls become
    // the method's last argument.
    const chained = (call) => (self) => (...args) => chainBuilder(name, entry.chain, (ops) => call(self, entry, [...args, ops]));
    install(Redis.prototype, name, chained((self, e, a) => self.run(e, a)));
    install(Pipeline.prototype, name, chained((self, e, a) => self.queue(e, a)));
  } else {
    install(Redis.prototype, name, (self) => (...args) => self.run(entry, args));
    install(Pipeline.prototype, name, (self) => (...args) => self.queue(entry, args));
  }
}
for (const [group, entries] of Object.entries(groups)) {
  const make = (call) => (self) => {
    const out = {};
    for (const [member, entry] of Object.entries(entries)) out[member] = (...args) => call(self, entry, args);
    return out;
  };
  install(Redis.prototype, group, make((self, entry, args) => self.run(entry, args)));
  install(Pipeline.prototype, group, make((self, entry, args) => self.queue(entry, args)));
}
for (const name of ["exec", "pipeline", "multi", "use", "createScript", "subscribe", "psubscribe", "workspace", "metrics"]) {
  const method = Redis.prototype[name];
  install(Redis.prototype, name, (self) => method.bind(self));
}
for (const name of ["exec", "add", "length"]) {
  const method = Pipeline.prototype[name];
  install(Pipeline.prototype, name, (self) => method.bind(self));
}
