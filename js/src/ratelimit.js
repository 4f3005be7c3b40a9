// `Ratelimit`, shaped like @upstash/ratelimit, over the Rust rate limiter
// (src/ratelimit/ through src/wasm/ratelimit.rs). The algorithms, keys
// (shared with @upstash/ratelimit for the same prefix and identifier),
// block cache and timeout policy are all Rust's; this file only checks
// argument types, applies the `timeout` deadline and shapes the result.

import { WasmLimiter, WasmRatelimit } from "../pkg/edgestash.js";
import { clientOf } from "./redis.js";
import { configError } from "./errors.js";

/** Identifiers the block cache holds when `ephemeralCache` is left on. */
const DEFAULT_CACHE_SIZE = 10000;
/** @upstash/ratelimit's default deadline for one decision, ms. */
const DEFAULT_TIMEOUT_MS = 5000;
const REASONS = [undefined, "timeout", "cacheBlock"];
const SETTLED = Promise.resolve();

/** An algorithm and its parameters, checked when it is built. */
class Limiter {
  #wasm;
  constructor(kind, a, window, c) {
    if (typeof a !== "number" || (c !== undefined && typeof c !== "number")) {
      throw configError(`ratelimit.${kind}`, "counts must be numbers");
    }
    if (typeof window !== "string") {
      throw configError(`ratelimit.${kind}`, 'the window must be a duration string like "10 s"');
    }
    this.#wasm = new WasmLimiter(kind, a, window, c ?? 0);
    this.kind = kind;
  }
  /** @internal */
  get wasm() {
    return this.#wasm;
  }
}

function decision(packed) {
  const out = {
    success: packed[0] === 1,
    limit: packed[1],
    remaining: packed[2],
    reset: packed[3],
    pending: SETTLED,
  };
  const reason = REASONS[packed[4]];
  if (reason) out.reason = reason;
  return out;
}

/** @upstash/ratelimit 2.2's config keys (and edgestash's `onTimeout`). */
const CONFIG_KEYS = new Set([
  "redis",
  "limiter",
  "prefix",
  "ephemeralCache",
  "timeout",
  "analytics",
  "enableProtection",
  "denyListThreshold",
  "onTimeout",
]);
/** `limit(identifier, req)`'s keys in @upstash/ratelimit 2.2. */
const REQ_KEYS = new Set(["rate", "ip", "userAgent", "country", "geo"]);

function checkConfig(config) {
  for (const k of Object.keys(config)) {
    if (!CONFIG_KEYS.has(k)) throw configError(`ratelimit.${k}`, "not an option of Ratelimit");
  }
  // Deny lists (`enableProtection`) need Upstash's hosted lists; edgestash
  // cannot honour them.
  if (config.enableProtection) throw configError("ratelimit.enableProtection", "deny lists are not supported");
  if (config.denyListThreshold !== undefined) throw configError("ratelimit.denyListThreshold", "deny lists are not supported");
  if (config.analytics !== undefined && typeof config.analytics !== "boolean") {
    throw configError("ratelimit.analytics", "must be a boolean");
  }
}

/** `limit`'s request fields: `rate` weighs the request; `ip`, `userAgent`,
 * `country` and `geo` only feed @upstash/ratelimit's deny lists and
 * analytics, which decide nothing without `enableProtection`. */
function checkReq(req) {
  if (req === undefined) return 1;
  if (req === null || typeof req !== "object") throw configError("ratelimit.limit", "the request must be an object");
  for (const k of Object.keys(req)) if (!REQ_KEYS.has(k)) throw configError(`ratelimit.limit.${k}`, "unknown");
  const rate = req.rate ?? 1;
  if (typeof rate !== "number") throw configError("ratelimit.rate", "must be a number");
  for (const k of ["ip", "userAgent", "country"]) {
    if (req[k] !== undefined && typeof req[k] !== "string") throw configError(`ratelimit.limit.${k}`, "must be a string");
  }
  if (req.geo !== undefined && (req.geo === null || typeof req.geo !== "object")) {
    throw configError("ratelimit.limit.geo", "must be an object");
  }
  return rate;
}

function identifierOf(identifier) {
  if (typeof identifier !== "string") {
    throw new TypeError("edgestash: a rate-limit identifier must be a string");
  }
  return identifier;
}

export class Ratelimit {
  #limiter;
  #timeout;
  #failClosed;

  /**
   * @param {import("./index.d.ts").RatelimitConfig} config
   */
  constructor(config = {}) {
    checkConfig(config);
    const client = clientOf(config.redis);
    if (!(config.limiter instanceof Limiter)) {
      throw new TypeError("edgestash: `limiter` must come from Ratelimit.fixedWindow/slidingWindow/tokenBucket/cachedFixedWindow");
    }
    const cache = config.ephemeralCache;
    // A Map (what @upstash/ratelimit takes) means "on": the cache lives in
    // the Rust limiter, so the Map's own contents are not used.
    const cacheSize =
      cache === false ? 0 : typeof cache === "number" ? cache : cache === undefined || cache instanceof Map ? DEFAULT_CACHE_SIZE : -1;
    if (!Number.isInteger(cacheSize) || cacheSize < 0 || cacheSize > 0xffffffff) {
      throw configError("ratelimit.ephemeralCache", "must be false, a Map or a size");
    }
    const timeout = config.timeout ?? DEFAULT_TIMEOUT_MS;
    if (typeof timeout !== "number" || !(timeout >= 0)) {
      throw configError("ratelimit.timeout", "must be milliseconds (0 disables)");
    }
    const onTimeout = config.onTimeout ?? "allow";
    if (onTimeout !== "allow" && onTimeout !== "deny") {
      throw configError("ratelimit.onTimeout", 'must be "allow" or "deny"');
    }
    if (config.prefix !== undefined && typeof config.prefix !== "string") {
      throw configError("ratelimit.prefix", "must be a string");
    }
    this.#timeout = timeout;
    this.#failClosed = onTimeout === "deny";
    this.#limiter = new WasmRatelimit(client, config.limiter.wasm, config.prefix, cacheSize, this.#failClosed);
  }

  /** `tokens` requests per `window` ("10 s", "1 m"...), counted per window. */
  static fixedWindow(tokens, window) {
    return new Limiter("fixedWindow", tokens, window);
  }

  /** `tokens` requests per sliding `window`, weighting the previous window. */
  static slidingWindow(tokens, window) {
    return new Limiter("slidingWindow", tokens, window);
  }

  /** A bucket of `maxTokens`, refilled by `refillRate` every `interval`. */
  static tokenBucket(refillRate, interval, maxTokens) {
    return new Limiter("tokenBucket", refillRate, interval, maxTokens);
  }

  /**
   * A fixed window whose hot identifiers are answered from local counters,
   * reconciled with Redis every 10 requests or 1 s (same keys as
   * `fixedWindow`).
   */
  static cachedFixedWindow(tokens, window) {
    return new Limiter("cachedFixedWindow", tokens, window);
  }

  /**
   * Decides one request for `identifier` (`rate`: its weight, default 1;
   * `ip`, `userAgent`, `country`, `geo` are accepted as @upstash/ratelimit
   * takes them: they decide nothing without deny lists).
   * Resolves to `{ success, limit, remaining, reset, pending, reason? }`.
   */
  async limit(identifier, req) {
    const rate = checkReq(req);
    const call = this.#limiter.limit(identifierOf(identifier), rate);
    if (this.#timeout === 0) return decision(await call);
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(resolve, this.#timeout, null);
    });
    try {
      const packed = await Promise.race([call, late]);
      if (packed !== null) return decision(packed);
    } finally {
      clearTimeout(timer);
    }
    // Like @upstash/ratelimit: the deadline passed; the call may still land.
    call.catch(() => {});
    return { success: !this.#failClosed, limit: 0, remaining: 0, reset: 0, pending: SETTLED, reason: "timeout" };
  }

  /**
   * Like `limit`, but while denied waits until the reset and tries again,
   * for at most `timeout` ms; resolves to the last decision.
   */
  async blockUntilReady(identifier, timeout) {
    if (typeof timeout !== "number" || !(timeout > 0)) {
      throw configError("ratelimit.blockUntilReady.timeout", "must be positive milliseconds");
    }
    return decision(await this.#limiter.blockUntilReady(identifierOf(identifier), Math.ceil(timeout)));
  }

  /** What is left for `identifier` now, changing nothing. */
  async getRemaining(identifier) {
    const [remaining, limit, reset] = await this.#limiter.remaining(identifierOf(identifier));
    return { remaining, reset, limit };
  }

  /** Forgets `identifier`'s usage (one DEL, never a keyspace scan). */
  async resetUsedTokens(identifier) {
    await this.#limiter.reset(identifierOf(identifier));
  }
}
