// Type declarations of the `edgestash` package (all entries share them).

/** A value a command accepts: strings and bytes as they are, numbers and
 * booleans as decimal text, other objects as their JSON text. */
export type Arg = string | Uint8Array | number | bigint | boolean | object;

/** A reply value. Strings come back as `string` (or `Uint8Array` with
 * `encoding: "bytes"`), never parsed as JSON; integers as `number`, or beyond
 * 2^53 as a decimal `string` (or `bigint` with `bigint: true`). */
export type Reply = null | string | Uint8Array | number | bigint | Reply[];

/** How replies are handed back. */
export interface DecodeOptions {
  /** `"string"` (default, strict UTF-8) or `"bytes"` (`Uint8Array`). */
  encoding?: "string" | "bytes";
  /** Integers beyond 2^53 as `bigint` instead of decimal strings. */
  bigint?: boolean;
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
  /** Retries after transport failures (default 9; writes only when unsent). */
  retry?: { retries?: number };
  /** Send the newest upstash-sync-token back (default true). */
  readYourWrites?: boolean;
}

/** The error every failure rejects with. Its message never holds argument
 * values or the token. */
export interface EdgestashError extends Error {
  name: "EdgestashError";
  /** `config`, `auth`, `permission`, `redis`, `limit`, `transport`,
   * `protocol`, `unexpected_reply` or `invalid_request`. */
  kind: string;
  /** For Redis error replies: `ERR`, `WRONGTYPE`, `NOSCRIPT`... */
  redisKind?: string;
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

export interface ZRangeOptions {
  byScore?: boolean;
  rev?: boolean;
  withScores?: boolean;
}

/** The typed commands; `R<T>` is `Promise<T>` on `Redis` and the pipeline
 * itself (for chaining) on `Pipeline`. */
export interface Commands<R extends (t: unknown) => unknown> {
  ping(message?: Arg): ReturnType<R>;
  echo(message: Arg): ReturnType<R>;
  time(): ReturnType<R>;
  dbsize(): ReturnType<R>;
  del(...keys: Arg[]): ReturnType<R>;
  unlink(...keys: Arg[]): ReturnType<R>;
  exists(...keys: Arg[]): ReturnType<R>;
  expire(key: Arg, seconds: number): ReturnType<R>;
  pexpire(key: Arg, millis: number): ReturnType<R>;
  expireat(key: Arg, unixSeconds: number): ReturnType<R>;
  persist(key: Arg): ReturnType<R>;
  ttl(key: Arg): ReturnType<R>;
  pttl(key: Arg): ReturnType<R>;
  type(key: Arg): ReturnType<R>;
  rename(key: Arg, to: Arg): ReturnType<R>;
  scan(cursor: Arg, options?: ScanOptions): ReturnType<R>;
  get(key: Arg): ReturnType<R>;
  set(key: Arg, value: Arg, options?: SetOptions): ReturnType<R>;
  setnx(key: Arg, value: Arg): ReturnType<R>;
  getdel(key: Arg): ReturnType<R>;
  getrange(key: Arg, start: number, end: number): ReturnType<R>;
  append(key: Arg, value: Arg): ReturnType<R>;
  strlen(key: Arg): ReturnType<R>;
  incr(key: Arg): ReturnType<R>;
  incrby(key: Arg, by: number | bigint): ReturnType<R>;
  incrbyfloat(key: Arg, by: number): ReturnType<R>;
  decr(key: Arg): ReturnType<R>;
  decrby(key: Arg, by: number | bigint): ReturnType<R>;
  mget(...keys: Arg[]): ReturnType<R>;
  mset(pairs: Record<string, Arg>): ReturnType<R>;
  hset(key: Arg, fields: Record<string, Arg>): ReturnType<R>;
  hget(key: Arg, field: Arg): ReturnType<R>;
  hmget(key: Arg, ...fields: Arg[]): ReturnType<R>;
  /** The hash as an object (field names decoded as UTF-8), or null. */
  hgetall(key: Arg): ReturnType<R>;
  hdel(key: Arg, ...fields: Arg[]): ReturnType<R>;
  hexists(key: Arg, field: Arg): ReturnType<R>;
  hincrby(key: Arg, field: Arg, by: number | bigint): ReturnType<R>;
  hkeys(key: Arg): ReturnType<R>;
  hlen(key: Arg): ReturnType<R>;
  lpush(key: Arg, ...values: Arg[]): ReturnType<R>;
  rpush(key: Arg, ...values: Arg[]): ReturnType<R>;
  lpop(key: Arg, count?: number): ReturnType<R>;
  rpop(key: Arg, count?: number): ReturnType<R>;
  lrange(key: Arg, start: number, stop: number): ReturnType<R>;
  llen(key: Arg): ReturnType<R>;
  sadd(key: Arg, ...members: Arg[]): ReturnType<R>;
  srem(key: Arg, ...members: Arg[]): ReturnType<R>;
  smembers(key: Arg): ReturnType<R>;
  sismember(key: Arg, member: Arg): ReturnType<R>;
  scard(key: Arg): ReturnType<R>;
  zadd(key: Arg, ...items: { score: number; member: Arg }[]): ReturnType<R>;
  zscore(key: Arg, member: Arg): ReturnType<R>;
  zrem(key: Arg, ...members: Arg[]): ReturnType<R>;
  zcard(key: Arg): ReturnType<R>;
  zincrby(key: Arg, by: number, member: Arg): ReturnType<R>;
  zrange(key: Arg, start: Arg, stop: Arg, options?: ZRangeOptions): ReturnType<R>;
  eval(script: string, keys?: Arg[], args?: Arg[]): ReturnType<R>;
  evalsha(sha: string, keys?: Arg[], args?: Arg[]): ReturnType<R>;
}

type Async = (t: unknown) => Promise<any>;
type Chain = (t: unknown) => Pipeline;

export interface Redis extends Commands<Async> {}
export class Redis {
  constructor(config?: RedisConfig);
  /** From `env` (a Worker env object) or `process.env`. */
  static fromEnv(env?: Record<string, unknown>, options?: DecodeOptions): Redis;
  /** `redis` or `mock`. */
  readonly mode: "redis" | "mock";
  /** Runs any command, name first: `exec(["SET", "k", "v"])`. */
  exec(command: [string, ...Arg[]], options?: DecodeOptions): Promise<any>;
  /** Commands sent together to /pipeline; not atomic. */
  pipeline(): Pipeline;
  /** Commands sent together to /multi-exec as one MULTI/EXEC. */
  multi(): Pipeline;
  /** The client's counters as an object (see the metrics snapshot JSON). */
  metrics(): Record<string, unknown>;
}

export interface Pipeline extends Commands<Chain> {}
export class Pipeline {
  /** Queues any command, name first. */
  add(command: [string, ...Arg[]]): this;
  /** How many commands are queued. */
  readonly length: number;
  /** Sends the batch; throws the first command error unless `keepErrors`. */
  exec(options?: DecodeOptions & { keepErrors?: false }): Promise<any[]>;
  exec(
    options: DecodeOptions & { keepErrors: true },
  ): Promise<{ result?: any; error?: EdgestashError }[]>;
}
