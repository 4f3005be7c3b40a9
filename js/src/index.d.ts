// Type declarations of the `edgestash` package (all entries share them).
// The command methods are declared in command_methods.d.ts, generated from
// the command catalogue (src/catalog/npm.rs).

import type { Commands } from "./command_methods.js";
export type { Commands };

declare global {
  // For `lib`s older than esnext.disposable (the same declaration as
  // @types/node's), so `Subscription`'s `await using` support type-checks.
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/** A value a command accepts: strings and bytes as they are, numbers and
 * booleans as decimal text, other objects as their JSON text. */
export type Arg = string | Uint8Array | number | bigint | boolean | object;

/** A reply value with `automaticDeserialization: false`. Strings come back
 * as `string` (or `Uint8Array` with `encoding: "bytes"`); integers as
 * `number`, or beyond 2^53 as a decimal `string` (or `bigint` with
 * `bigint: true`). With automatic deserialization on (the default), string
 * replies that are JSON come back parsed, as with @upstash/redis. */
export type Reply = null | string | Uint8Array | number | bigint | Reply[];

/** How replies are handed back. */
export interface DecodeOptions {
  /** `"string"` (default, strict UTF-8) or `"bytes"` (`Uint8Array`, never parsed). */
  encoding?: "string" | "bytes";
  /** Integers beyond 2^53 as `bigint` instead of decimal strings. */
  bigint?: boolean;
  /** Parse JSON string replies (default true, as @upstash/redis); see js/README.md. */
  automaticDeserialization?: boolean;
}

/** The request @upstash/redis's middleware sees (`redis.use`). */
export interface UpstashRequest {
  /** The command, or with `path` the commands of a pipeline. */
  body?: unknown;
  /** `["pipeline"]` or `["multi-exec"]` for batches. */
  path?: string[];
}
/** What `next(req)` resolves to: the raw reply, or Redis's error text. */
export interface UpstashResponse<TResult = unknown> {
  result?: TResult;
  error?: string;
}

export interface RedisConfig extends DecodeOptions {
  /** REST URL (https; http only for loopback outside production). */
  url?: string;
  /** REST token. */
  token?: string;
  /** Run on the embedded in-memory engine (refused in production). */
  mock?: boolean;
  /** `production`, `staging`, `development` (default) or `test`. */
  environment?: string;
  /** Whole-request timeout in milliseconds (default 10000). */
  timeoutMs?: number;
  /** `false`: one attempt. `{ retries }`: attempts after the first (edgestash
   * retries only what is safe: reads, and writes that certainly never
   * reached the server). `{ backoff }`: the delay before retry n (ms);
   * with it, retried are the requests that could not connect. */
  retry?: false | { retries?: number; backoff?: (retryCount: number) => number };
  /** Send the newest upstash-sync-token back (default true). */
  readYourWrites?: boolean;
  /** Merge calls made in the same tick into one /pipeline request, in
   * order, each call settling on its own (default true, as in
   * @upstash/redis); a `pipeline()` executed in the tick joins the same
   * request. Calls with Uint8Array arguments and `multi()`s are separate
   * requests, sent in call order after the ones before them. */
  autoPipelining?: boolean;
  /** @upstash/redis's name for `autoPipelining`. */
  enableAutoPipelining?: boolean;
  /** Logs each call's latency to the console, as @upstash/redis. */
  latencyLogging?: boolean;
  /** Abandons calls when aborted: a signal function's abort rejects with
   * its reason; a fixed signal's abort resolves with its reason, as in
   * @upstash/redis. The request itself may still reach the server. */
  signal?: AbortSignal | (() => AbortSignal);
  /** Connections are always reused: `false` throws. */
  keepAlive?: boolean;
  /** Accepted (`"base64"` or false): edgestash always asks base64 on the
   * wire and hands back the same results either way. */
  responseEncoding?: false | "base64";
  /** Only `"no-store"` (edgestash never caches responses). */
  cache?: "no-store";
  /** Only `false`: edgestash sends no telemetry. */
  enableTelemetry?: false;
}

/** @upstash/redis's error class: `e instanceof UpstashError` holds for every
 * error edgestash throws, and `e.name` is "UpstashError". */
export class UpstashError extends Error {
  constructor(message: string, options?: ErrorOptions);
}

/** The error every failure throws or rejects with (an `UpstashError`:
 * `e instanceof EdgestashError`). Its message never holds argument values,
 * ids or the token. */
export class EdgestashError extends UpstashError {
  constructor(message: string, kind: string, code?: string);
  /** The category: `config`, `auth`, `permission`, `redis`, `limit`,
   * `transport`, `protocol`, `unexpected_reply`, `invalid_request`,
   * `namespace` or `session`. */
  kind: string;
  /** The specific reason where the category has several (equal to `kind`
   * otherwise): for `namespace`, `invalid_workspace_id`, `already_scoped`,
   * `forbidden`, `forbidden_option`, `unknown_command`,
   * `unregistered_script`, `malformed_arguments`; for `session`,
   * `malformed_id`, `bad_signature`, `json`, `id_collision`,
   * `random_unavailable`; for `transport`, `connect`, `timeout`, `status`,
   * `io`, `redirect` (the endpoint answered with a redirect, which is not
   * followed: point `url` at the REST endpoint itself). */
  code: string;
  /** For Redis errors: `ERR`, `WRONGTYPE`, `NOSCRIPT`... */
  redisKind?: string;
  /** For Redis errors: Redis's own text (`NOSCRIPT No matching script...`). */
  redisMessage?: string;
}

export interface SetOptions {
  ex?: number;
  px?: number;
  exat?: number;
  pxat?: number;
  nx?: boolean;
  xx?: boolean;
  get?: boolean;
  keepTtl?: boolean;
}

export interface ScanOptions {
  match?: string;
  count?: number;
  type?: string;
}

export interface ZAddOptions {
  nx?: boolean;
  xx?: boolean;
  gt?: boolean;
  lt?: boolean;
  /** Reply with the number of changed members, not just added ones. */
  ch?: boolean;
  /** Increment like ZINCRBY; the reply is the new score (or null). */
  incr?: boolean;
}

/** ZRANGE's options; with byScore/byLex, min and max are passed as given
 * (`"(1"`, `"-inf"`, `"[a"`, `"-"`). */
export interface ZRangeOptions {
  byScore?: boolean;
  byLex?: boolean;
  rev?: boolean;
  /** LIMIT offset count (both or neither). */
  offset?: number;
  count?: number;
  withScores?: boolean;
}

export interface ScoreMember<T> {
  score: number;
  member: T;
}

/** EXPIRE's condition. */
export type ExpireOption = "NX" | "XX" | "GT" | "LT" | "nx" | "xx" | "gt" | "lt";

/** `redis.bitfield(key)`: BITFIELD's subcommands, chained; `exec()` sends
 * them as one command (on a pipeline it queues it and returns the pipeline). */
export interface BitField<R> {
  /** `GET <encoding> <offset>` (encoding `u8`, `i16`...; offset `n` or `#n`). */
  get(encoding: string, offset: number | string): BitField<R>;
  set(encoding: string, offset: number | string, value: number): BitField<R>;
  incrby(encoding: string, offset: number | string, increment: number): BitField<R>;
  overflow(overflow: "WRAP" | "SAT" | "FAIL"): BitField<R>;
  exec(): R;
}

/** `M`: "async" on `Redis` (a promise of the reply), "chain" on `Pipeline`
 * (the pipeline itself, for chaining). */
export type Out<M extends "async" | "chain", T> = M extends "async" ? Promise<T> : Pipeline;

/** `redis.createScript(script)`: EVALSHA first, EVAL when Redis lacks it. */
export class Script<TResult = unknown> {
  private constructor();
  readonly script: string;
  /** The script's SHA-1 hex ("" for a moment after creation). */
  sha1: string;
  eval(keys: string[], args: string[]): Promise<TResult>;
  evalsha(keys: string[], args: string[]): Promise<TResult>;
  exec(keys: string[], args: string[]): Promise<TResult>;
}

/** `redis.createScript(script, { readonly: true })`: EVAL_RO family. */
export class ScriptRO<TResult = unknown> {
  private constructor();
  readonly script: string;
  sha1: string;
  evalRo(keys: string[], args: string[]): Promise<TResult>;
  evalshaRo(keys: string[], args: string[]): Promise<TResult>;
  exec(keys: string[], args: string[]): Promise<TResult>;
}

export interface Redis extends Commands<"async"> {}
export class Redis {
  constructor(config?: RedisConfig);
  /** `fromEnv(options?)` reads `process.env` (UPSTASH_REDIS_REST_URL /
   * _TOKEN, or KV_REST_API_URL / _TOKEN), `fromEnv(env, options?)` a
   * Worker's `env` object. */
  static fromEnv(options?: Omit<RedisConfig, "url" | "token">): Redis;
  static fromEnv(env: Record<string, unknown> | undefined, options?: Omit<RedisConfig, "url" | "token">): Redis;
  /** `redis` or `mock`. */
  readonly mode: "redis" | "mock";
  /** The newest upstash-sync-token seen; set it to adopt another client's. */
  readYourWritesSyncToken: string;
  /** Runs any command, name first: `exec(["SET", "k", "v"])`. */
  exec<TResult = unknown>(command: [string, ...Arg[]], options?: DecodeOptions): Promise<TResult>;
  /** Commands sent together to /pipeline; not atomic. */
  pipeline(): Pipeline;
  /** Commands sent together to /multi-exec as one MULTI/EXEC. */
  multi(): Pipeline;
  /** Wraps every request, as @upstash/redis's `use`. */
  use<TResult = unknown>(middleware: (req: UpstashRequest, next: <T = unknown>(req: UpstashRequest) => Promise<UpstashResponse<T>>) => Promise<UpstashResponse<TResult>>): void;
  createScript<TResult = unknown>(script: string, opts?: { readonly?: false }): Script<TResult>;
  createScript<TResult = unknown>(script: string, opts: { readonly: true }): ScriptRO<TResult>;
  /** The client's counters as an object (see the metrics snapshot JSON). */
  metrics(): Record<string, unknown>;
  /**
   * Subscribes to `channels` over one streaming request. Usable at once
   * (`.on("message", ...)`, `for await`) and awaitable: `await` resolves
   * once the server confirmed every channel (so a message published after
   * it is delivered) and rejects with an EdgestashError if the
   * subscription cannot open. In a workspace the channels are the
   * workspace's own. Messages are parsed as JSON with automatic
   * deserialization on.
   */
  subscribe<T = unknown>(
    channels: string | string[],
    options?: { encoding?: "string" | "bytes"; automaticDeserialization?: boolean },
  ): PendingSubscription<T>;
  /** Like `subscribe`, for glob patterns (`news.*`); yields `pmessage`s. */
  psubscribe<T = unknown>(
    patterns: string | string[],
    options?: { encoding?: "string" | "bytes"; automaticDeserialization?: boolean },
  ): PendingSubscription<T>;
  /**
   * A client confined to workspace `id`: its commands, pipelines, and the
   * Ratelimit and Sessions built on it, see only keys under `ws:<id>:`
   * (replies come back without the prefix); commands reaching beyond one
   * workspace are refused before sending. Throws an EdgestashError with
   * `code: "invalid_workspace_id"` unless `id` is 1 to 64 characters of
   * `[A-Za-z0-9_-]`, and `"already_scoped"` on a workspace client.
   */
  workspace(id: string): Redis;
  /** The workspace this client is confined to, if any. */
  readonly workspaceId: string | undefined;
}

export interface Pipeline extends Commands<"chain"> {}
export class Pipeline {
  /** Queues any command, name first. */
  add(command: [string, ...Arg[]]): this;
  /** How many commands are queued. */
  length(): number;
  /** Sends the batch (an empty one rejects); throws the first command
   * error (`Command <n> [ <name> ] failed: ...`) unless `keepErrors`. */
  exec<TResult extends unknown[] = unknown[]>(options?: DecodeOptions & { keepErrors?: false }): Promise<TResult>;
  exec<TResult extends unknown[] = unknown[]>(
    options: DecodeOptions & { keepErrors: true },
  ): Promise<{ [K in keyof TResult]: { result: TResult[K]; error?: string } }>;
}

/** A message on a subscribed channel. */
export interface ChannelMessage<T = string> {
  type: "message";
  channel: string;
  /** A string (strict UTF-8), or a Uint8Array with `encoding: "bytes"`. */
  message: T;
}

/** A message matched by a `psubscribe` pattern. */
export interface PatternMessage<T = string> {
  type: "pmessage";
  /** The pattern as given to `psubscribe`. */
  pattern: string;
  channel: string;
  message: T;
}

export type PubSubMessage<T = string> = ChannelMessage<T> | PatternMessage<T>;

/** Listener events, named as @upstash/redis's Subscriber names them. */
export interface SubscriptionEvents<T> {
  message: ChannelMessage<T>;
  pmessage: PatternMessage<T>;
  [channel: `message:${string}`]: ChannelMessage<T>;
  [pattern: `pmessage:${string}`]: PatternMessage<T>;
  /** The number of channels, once the server confirmed them. */
  subscribe: number;
  psubscribe: number;
  /** The EdgestashError that ended the subscription. */
  error: EdgestashError;
}

/**
 * A live subscription: one HTTP request for all its channels. An async
 * iterator of messages (`for await`; `break` closes) and an event emitter
 * (`on`). When the stream fails (server gone, idle deadline), the iterator
 * rejects and "error" listeners hear the EdgestashError once; then it is
 * over (no silent resubscribe: Redis keeps no history).
 */
export class Subscription<T = string> implements AsyncIterableIterator<PubSubMessage<T>> {
  private constructor();
  /** Resolves once the server confirmed; rejects if it could not open. */
  readonly ready: Promise<void>;
  next(): Promise<IteratorResult<PubSubMessage<T>, undefined>>;
  /** Closes (what `break` in `for await` calls). */
  return(): Promise<IteratorResult<PubSubMessage<T>, undefined>>;
  [Symbol.asyncIterator](): this;
  on<K extends keyof SubscriptionEvents<T>>(type: K, listener: (event: SubscriptionEvents<T>[K]) => void): this;
  off<K extends keyof SubscriptionEvents<T>>(type: K, listener: (event: SubscriptionEvents<T>[K]) => void): this;
  removeAllListeners(): this;
  /** Ends the request now; a waiting `next()` resolves as done. Idempotent. */
  close(): void;
  /** `close()`. Naming only some of the channels rejects
   * (`invalid_request`): a subscription ends as a whole. */
  unsubscribe(channels?: string[]): Promise<void>;
  /** The channels or patterns it was opened with ([] once closed). */
  getSubscribedChannels(): string[];
  [Symbol.asyncDispose](): Promise<void>;
}

/** What `subscribe` returns: the subscription, usable at once, that is
 * also a promise of it, settled once the server confirmed. */
export type PendingSubscription<T = string> = Promise<Subscription<T>> &
  Pick<Subscription<T>, "ready" | "next" | "return" | "on" | "off" | "removeAllListeners" | "close" | "unsubscribe" | "getSubscribedChannels"> &
  AsyncIterable<PubSubMessage<T>> & { [Symbol.asyncDispose](): Promise<void> };

/** A duration as @upstash/ratelimit writes it: `"10 s"`, `"10s"`,
 * `"500 ms"`, `"1 m"`, `"1 h"`, `"1 d"` (whole numbers only). */
export type Duration = `${number} ${"ms" | "s" | "m" | "h" | "d"}` | `${number}${"ms" | "s" | "m" | "h" | "d"}`;

/** An algorithm with its parameters, from one of Ratelimit's static
 * constructors (checked when built: bad counts or durations throw a
 * `config` EdgestashError). */
export interface Limiter {
  readonly kind: "fixedWindow" | "slidingWindow" | "tokenBucket" | "cachedFixedWindow";
}

export interface RatelimitConfig {
  /** An edgestash client (a workspace client scopes the limiter's keys). */
  redis: Redis;
  limiter: Limiter;
  /** Key prefix (default `@upstash/ratelimit`, so budgets are shared with
   * @upstash/ratelimit for the same prefix and identifier). */
  prefix?: string;
  /** The in-memory block cache: on (default, 10000 identifiers), `false`
   * (off), or a capacity. A `Map` is accepted for compatibility and means
   * "on" (its contents are not used). */
  ephemeralCache?: Map<string, number> | false | number;
  /** Milliseconds before a decision is given up on (default 5000; 0: never). */
  timeout?: number;
  /** What a timed-out decision answers: `allow` (default, as
   * @upstash/ratelimit) or `deny`. Applies to this deadline and to the
   * client's own request timeout. */
  onTimeout?: "allow" | "deny";
  /** Accepted as @upstash/ratelimit takes it; edgestash records no
   * analytics (nothing is written for them). */
  analytics?: boolean;
  /** Deny lists are not supported: `true` throws. */
  enableProtection?: false;
}

/** `limit`'s request: `rate` weighs it (default 1); the rest is accepted as
 * @upstash/ratelimit takes it and decides nothing without deny lists. */
export interface LimitRequest {
  rate?: number;
  ip?: string;
  userAgent?: string;
  country?: string;
  geo?: Record<string, unknown>;
}

/** One decision, shaped like @upstash/ratelimit's. */
export interface RatelimitResponse {
  success: boolean;
  /** Requests per window (or bucket size). */
  limit: number;
  /** What is left after this request (0 when denied). */
  remaining: number;
  /** Unix ms when the limit resets (window end, or next refill). */
  reset: number;
  /** Always resolved: nothing runs in the background. */
  pending: Promise<unknown>;
  /** `timeout` (the deadline decided) or `cacheBlock` (answered from memory). */
  reason?: "timeout" | "cacheBlock";
}

/** Rate limits shaped like @upstash/ratelimit, decided by edgestash's Rust
 * limiter: one script call per decision, data compatible with theirs. */
export class Ratelimit {
  constructor(config: RatelimitConfig);
  /** `tokens` requests per `window`, counted per window. */
  static fixedWindow(tokens: number, window: Duration): Limiter;
  /** `tokens` requests per sliding `window` (weights the previous window). */
  static slidingWindow(tokens: number, window: Duration): Limiter;
  /** A bucket of `maxTokens`, refilled by `refillRate` every `interval`. */
  static tokenBucket(refillRate: number, interval: Duration, maxTokens: number): Limiter;
  /** A fixed window whose hot identifiers are answered from local
   * counters, reconciled with Redis every 10 requests or 1 s. */
  static cachedFixedWindow(tokens: number, window: Duration): Limiter;
  /** Decides one request (`rate`: its weight; negative refunds). */
  limit(identifier: string, req?: LimitRequest): Promise<RatelimitResponse>;
  /** Like `limit`, but while denied waits for the reset and retries, for at
   * most `timeout` ms; resolves to the last decision. */
  blockUntilReady(identifier: string, timeout: number): Promise<RatelimitResponse>;
  /** What is left now, changing nothing. */
  getRemaining(identifier: string): Promise<{ remaining: number; reset: number; limit: number }>;
  /** Forgets the identifier's usage. */
  resetUsedTokens(identifier: string): Promise<void>;
}

export interface CookieOptions {
  /** Cookie name (default `sid`). */
  name?: string;
  /** `Path` (default `/`). */
  path?: string;
  domain?: string;
  /** Default `lax`. */
  sameSite?: "lax" | "strict" | "none";
  /** Default true. */
  secure?: boolean;
  /** Default true. */
  httpOnly?: boolean;
  /** Signs cookie values with HMAC-SHA-256 (at least 32 bytes). */
  secret?: string | Uint8Array;
}

export interface SessionsConfig {
  /** An edgestash client (a workspace client scopes the sessions). */
  redis: Redis;
  /** Sliding idle timeout: ms or a Duration (default 30 minutes). */
  idleTimeout?: number | Duration;
  /** Absolute lifetime from creation: ms or a Duration (default 12 hours). */
  absoluteTimeout?: number | Duration;
  cookie?: CookieOptions;
}

/** A live session. `id` is a bearer secret: send it only in the cookie. */
export interface Session<T = unknown> {
  id: string;
  user: string | null;
  /** Unix ms. */
  createdAt: number;
  /** Unix ms: the end of its absolute lifetime. */
  expiresAt: number;
  /** The application's JSON data. */
  data: T;
}

/** Server-side sessions over edgestash's Rust session store: two keys
 * named by the id's SHA-256, get+touch in one round trip. */
export class Sessions {
  constructor(config: SessionsConfig);
  create<T = unknown>(init?: { user?: string; data?: T }): Promise<Session<T>>;
  /** Null when gone, idled out or past its lifetime. Slides the idle
   * timeout unless `touch: false`. Rejects (`malformed_id`) on an id of
   * the wrong shape, before anything is sent. */
  get<T = unknown>(id: string, options?: { touch?: boolean }): Promise<Session<T> | null>;
  touch(id: string): Promise<boolean>;
  /** Stores `session.data`, keeping the lifetime; false when gone. */
  update(session: Session): Promise<boolean>;
  /** A new id (after login or privilege change); the old id ends. */
  regenerate<T>(session: Session<T>): Promise<Session<T> | null>;
  /** True when it was alive. */
  destroy(session: Session | string): Promise<boolean>;
  /** Ends every session of `user`; how many were alive. */
  destroyUser(user: string): Promise<number>;
  /** The `Set-Cookie` value carrying the session. */
  cookie(session: Session): string;
  /** The `Set-Cookie` value deleting the cookie. */
  clearCookie(): string;
  /** The id in a `Cookie` header; null when absent; throws
   * (`bad_signature`, `malformed_id`) when forged or malformed. */
  idFromCookie(header: string | null | undefined): string | null;
}

/** Another name for `Sessions`. */
export { Sessions as SessionStore };
