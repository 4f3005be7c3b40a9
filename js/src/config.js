// `new Redis(config)` and `Redis.fromEnv(...)`: @upstash/redis's options
// (and edgestash's own) to the settings object the Rust config reads
// (names as environment variables) plus the options the facade applies.
// An option edgestash cannot honour throws a config error naming it.

import { configError } from "./errors.js";

/** @upstash/redis's retry default: 5 retries. */
const DEFAULT_RETRIES = 5;

const KNOWN = new Set([
  // @upstash/redis
  "url",
  "token",
  "automaticDeserialization",
  "enableAutoPipelining",
  "enableTelemetry",
  "latencyLogging",
  "retry",
  "signal",
  "keepAlive",
  "responseEncoding",
  "readYourWrites",
  "cache",
  "agent",
  // edgestash
  "autoPipelining",
  "encoding",
  "bigint",
  "mock",
  "environment",
  "timeoutMs",
]);

/** Settings names the Rust config reads, copied from an env source. */
const ENV_NAMES = /^(UPSTASH_|KV_REST_API_|REDIS_|MOCK_REDIS$|APP_ENV$|NODE_ENV$|ENVIRONMENT$|LOG_LEVEL$)/;

/** True when `value` looks like an env object rather than options. */
export function looksLikeEnv(value) {
  return value !== null && typeof value === "object" && Object.keys(value).some((k) => ENV_NAMES.test(k));
}

/** The settings of an env object (process.env, a Worker's env). */
export function settingsFromEnv(env) {
  const s = {};
  for (const k of Object.keys(env ?? {})) {
    const v = env[k];
    if (ENV_NAMES.test(k) && typeof v === "string") s[k] = v;
  }
  // @upstash/redis's fallbacks (Vercel KV's names).
  s.UPSTASH_REDIS_REST_URL ??= s.KV_REST_API_URL;
  s.UPSTASH_REDIS_REST_TOKEN ??= s.KV_REST_API_TOKEN;
  if (s.UPSTASH_REDIS_REST_URL === undefined) delete s.UPSTASH_REDIS_REST_URL;
  if (s.UPSTASH_REDIS_REST_TOKEN === undefined) delete s.UPSTASH_REDIS_REST_TOKEN;
  return s;
}

/**
 * `{ settings, options }` for `config`: settings for the Rust config,
 * options for the facade. `base` are settings already read (fromEnv).
 */
export function configure(config, base = {}) {
  for (const k of Object.keys(config)) {
    if (!KNOWN.has(k)) throw configError(k, "not an option of edgestash's Redis");
  }
  const s = { ...base };
  const put = (name, value) => {
    if (value !== undefined && value !== null) s[name] = String(value);
  };
  put("UPSTASH_REDIS_REST_URL", config.url);
  put("UPSTASH_REDIS_REST_TOKEN", config.token);
  if (config.mock) s.MOCK_REDIS = "true";
  put("APP_ENV", config.environment);
  put("REDIS_TIMEOUT_MS", config.timeoutMs);
  if (config.readYourWrites !== undefined) put("REDIS_READ_YOUR_WRITES", Boolean(config.readYourWrites));

  // retry: false = one attempt; { retries, backoff }: retries + 1 attempts.
  // A custom backoff runs here (the Rust policy's own doubling delay cannot
  // call it): Rust then makes one attempt and the facade retries what
  // certainly never reached the server (see core.js).
  let backoff = null;
  let retries = 0;
  const retry = config.retry;
  if (retry === false) put("REDIS_RETRY_MAX_ATTEMPTS", 1);
  else if (retry !== undefined) {
    if (retry === null || typeof retry !== "object") throw configError("retry", "must be false or { retries, backoff }");
    for (const k of Object.keys(retry)) if (k !== "retries" && k !== "backoff") throw configError(`retry.${k}`, "unknown");
    if (retry.retries !== undefined && !(Number.isInteger(retry.retries) && retry.retries >= 0 && retry.retries < 100)) {
      throw configError("retry.retries", "must be a whole number from 0 to 99");
    }
    if (retry.backoff !== undefined) {
      if (typeof retry.backoff !== "function") throw configError("retry.backoff", "must be a function (retryCount) => ms");
      backoff = retry.backoff;
      retries = retry.retries ?? DEFAULT_RETRIES;
      put("REDIS_RETRY_MAX_ATTEMPTS", 1);
    } else if (retry.retries !== undefined) put("REDIS_RETRY_MAX_ATTEMPTS", retry.retries + 1);
  }

  if (config.keepAlive === false) {
    throw configError("keepAlive", "edgestash always reuses connections; false cannot be honoured");
  }
  if (config.responseEncoding !== undefined && config.responseEncoding !== false && config.responseEncoding !== "base64") {
    throw configError("responseEncoding", 'must be "base64" or false');
  }
  if (config.cache !== undefined && config.cache !== "no-store") {
    throw configError("cache", 'edgestash never caches responses; only "no-store" can be honoured');
  }
  if (config.agent !== undefined) throw configError("agent", "edgestash manages its own connections; an HTTP agent cannot be honoured");
  if (config.enableTelemetry === true) throw configError("enableTelemetry", "edgestash sends no telemetry");
  if (config.signal !== undefined && typeof config.signal !== "function" && typeof config.signal?.addEventListener !== "function") {
    throw configError("signal", "must be an AbortSignal or a function returning one");
  }
  if (config.encoding !== undefined && config.encoding !== "string" && config.encoding !== "bytes") {
    throw configError("encoding", 'must be "string" or "bytes"');
  }

  return {
    settings: s,
    options: {
      encoding: config.encoding ?? "string",
      bigint: Boolean(config.bigint),
      autoPipelining: (config.autoPipelining ?? config.enableAutoPipelining ?? true) !== false,
      deserialize: config.automaticDeserialization !== false,
      latencyLogging: Boolean(config.latencyLogging),
      signal: config.signal ?? null,
      backoff,
      retries,
    },
  };
}
