// Type declarations of the `edgestash` package (all entries share them).

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

/** `M`: "async" on `Redis` (a promise of the reply), "chain" on `Pipeline`
 * (the pipeline itself, for chaining). */
type Out<M extends "async" | "chain", T> = M extends "async" ? Promise<T> : Pipeline;

/** The typed commands, with @upstash/redis's argument and reply shapes. */
export interface Commands<M extends "async" | "chain"> {
  /** `ping()`, `ping([message])` as @upstash/redis (or `ping(message)`). */
  ping(message?: Arg | [Arg]): Out<M, string>;
  echo(message: Arg): Out<M, string>;
  time(): Out<M, [number, number]>;
  dbsize(): Out<M, number>;
  flushall(args?: [{ async?: boolean }?]): Out<M, "OK">;
  flushdb(opts?: { async?: boolean }): Out<M, "OK">;
  randomkey(): Out<M, string | null>;
  del(...keys: string[]): Out<M, number>;
  unlink(...keys: string[]): Out<M, number>;
  exists(...keys: string[]): Out<M, number>;
  touch(...keys: string[]): Out<M, number>;
  expire(key: string, seconds: number, option?: ExpireOption): Out<M, 0 | 1>;
  pexpire(key: string, milliseconds: number, option?: ExpireOption): Out<M, 0 | 1>;
  expireat(key: string, unix: number, option?: ExpireOption): Out<M, 0 | 1>;
  pexpireat(key: string, unix: number, option?: ExpireOption): Out<M, 0 | 1>;
  persist(key: string): Out<M, 0 | 1>;
  ttl(key: string): Out<M, number>;
  pttl(key: string): Out<M, number>;
  type(key: string): Out<M, string>;
  rename(source: string, destination: string): Out<M, "OK">;
  renamenx(source: string, destination: string): Out<M, 0 | 1>;
  keys(pattern: string): Out<M, string[]>;
  scan(cursor: string | number, options?: ScanOptions): Out<M, [string, string[]]>;
  dump(key: string): Out<M, string | null>;
  get<TData = unknown>(key: string): Out<M, TData | null>;
  set<TData = unknown>(key: string, value: TData, options?: SetOptions): Out<M, "OK" | TData | null>;
  setnx<TData = unknown>(key: string, value: TData): Out<M, number>;
  setex<TData = unknown>(key: string, ttl: number, value: TData): Out<M, "OK">;
  psetex<TData = unknown>(key: string, ttl: number, value: TData): Out<M, string>;
  getset<TData = unknown>(key: string, value: TData): Out<M, TData | null>;
  getdel<TData = unknown>(key: string): Out<M, TData | null>;
  getex<TData = unknown>(key: string, options?: { ex?: number; px?: number; exat?: number; pxat?: number; persist?: boolean }): Out<M, TData | null>;
  getrange(key: string, start: number, end: number): Out<M, string>;
  setrange(key: string, offset: number, value: string): Out<M, number>;
  append(key: string, value: string): Out<M, number>;
  strlen(key: string): Out<M, number>;
  incr(key: string): Out<M, number>;
  incrby(key: string, increment: number | bigint): Out<M, number>;
  incrbyfloat(key: string, increment: number): Out<M, number>;
  decr(key: string): Out<M, number>;
  decrby(key: string, decrement: number | bigint): Out<M, number>;
  mget<TData extends unknown[] = unknown[]>(...keys: string[] | [string[]]): Out<M, TData>;
  mset<TData = unknown>(kv: Record<string, TData>): Out<M, "OK">;
  msetnx<TData = unknown>(kv: Record<string, TData>): Out<M, number>;
  getbit(key: string, offset: number): Out<M, 0 | 1>;
  setbit(key: string, offset: number, value: 0 | 1): Out<M, 0 | 1>;
  bitcount(key: string, start?: number, end?: number): Out<M, number>;
  bitpos(key: string, bit: 0 | 1, start?: number, end?: number): Out<M, number>;
  hset<TData = unknown>(key: string, kv: Record<string, TData>): Out<M, number>;
  hmset<TData = unknown>(key: string, kv: Record<string, TData>): Out<M, "OK">;
  hsetnx<TData = unknown>(key: string, field: string, value: TData): Out<M, 0 | 1>;
  hget<TData = unknown>(key: string, field: string): Out<M, TData | null>;
  /** `{ field: value }` for the fields asked (null when all are missing). */
  hmget<TData extends Record<string, unknown> = Record<string, unknown>>(key: string, ...fields: string[]): Out<M, TData | null>;
  /** The hash as an object, or null. */
  hgetall<TData extends Record<string, unknown> = Record<string, unknown>>(key: string): Out<M, TData | null>;
  hdel(key: string, ...fields: string[]): Out<M, number>;
  hexists(key: string, field: string): Out<M, number>;
  hincrby(key: string, field: string, increment: number | bigint): Out<M, number>;
  hincrbyfloat(key: string, field: string, increment: number): Out<M, number>;
  hkeys(key: string): Out<M, string[]>;
  hvals<TData extends unknown[] = unknown[]>(key: string): Out<M, TData>;
  hlen(key: string): Out<M, number>;
  hstrlen(key: string, field: string): Out<M, number>;
  hscan(key: string, cursor: string | number, options?: ScanOptions): Out<M, [string, (string | number)[]]>;
  lpush<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>;
  rpush<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>;
  lpushx<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>;
  rpushx<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>;
  lpop<TData = unknown>(key: string, count?: number): Out<M, TData | null>;
  rpop<TData = unknown>(key: string, count?: number): Out<M, TData | null>;
  lrange<TResult = string>(key: string, start: number, end: number): Out<M, TResult[]>;
  llen(key: string): Out<M, number>;
  lindex<TData = unknown>(key: string, index: number): Out<M, TData | null>;
  lset<TData = unknown>(key: string, index: number, value: TData): Out<M, "OK">;
  lrem<TData = unknown>(key: string, count: number, value: TData): Out<M, number>;
  ltrim(key: string, start: number, end: number): Out<M, "OK">;
  linsert<TData = unknown>(key: string, direction: "before" | "after", pivot: TData, value: TData): Out<M, number>;
  lpos<TData = number>(key: string, element: unknown, options?: { rank?: number; count?: number; maxLen?: number }): Out<M, TData>;
  lmove<TData = unknown>(source: string, destination: string, whereFrom: "left" | "right", whereTo: "left" | "right"): Out<M, TData>;
  rpoplpush<TData = unknown>(source: string, destination: string): Out<M, TData | null>;
  sadd<TData = unknown>(key: string, member: TData, ...members: TData[]): Out<M, number>;
  srem<TData = unknown>(key: string, ...members: TData[]): Out<M, number>;
  smembers<TData extends unknown[] = string[]>(key: string): Out<M, TData>;
  sismember<TData = unknown>(key: string, member: TData): Out<M, 0 | 1>;
  smismember<TMembers extends unknown[]>(key: string, members: TMembers): Out<M, (0 | 1)[]>;
  scard(key: string): Out<M, number>;
  spop<TData = unknown>(key: string, count?: number): Out<M, TData | null>;
  srandmember<TData = unknown>(key: string, count?: number): Out<M, TData | null>;
  smove<TData = unknown>(source: string, destination: string, member: TData): Out<M, 0 | 1>;
  sdiff(...keys: string[]): Out<M, unknown[]>;
  sdiffstore(destination: string, ...keys: string[]): Out<M, number>;
  sinter(...keys: string[]): Out<M, unknown[]>;
  sinterstore(destination: string, ...keys: string[]): Out<M, number>;
  sunion(...keys: string[]): Out<M, unknown[]>;
  sunionstore(destination: string, ...keys: string[]): Out<M, number>;
  sscan(key: string, cursor: string | number, options?: ScanOptions): Out<M, [string, (string | number)[]]>;
  zadd<TData = unknown>(key: string, scoreMember: ScoreMember<TData>, ...scoreMembers: ScoreMember<TData>[]): Out<M, number | null>;
  /** With ZADD's options first, as in @upstash/redis. */
  zadd<TData = unknown>(key: string, options: ZAddOptions, ...scoreMembers: ScoreMember<TData>[]): Out<M, number | null>;
  zscore<TData = unknown>(key: string, member: TData): Out<M, number | null>;
  zmscore(key: string, members: unknown[]): Out<M, (number | null)[] | null>;
  zrem<TData = unknown>(key: string, ...members: TData[]): Out<M, number>;
  zcard(key: string): Out<M, number>;
  zcount(key: string, min: number | string, max: number | string): Out<M, number>;
  zincrby<TData = unknown>(key: string, increment: number, member: TData): Out<M, number>;
  zrange<TData extends unknown[] = unknown[]>(key: string, min: number | string, max: number | string, options?: ZRangeOptions): Out<M, TData>;
  zrank<TData = unknown>(key: string, member: TData): Out<M, number | null>;
  zrevrank<TData = unknown>(key: string, member: TData): Out<M, number | null>;
  zpopmin<TData = unknown>(key: string, count?: number): Out<M, TData[]>;
  zpopmax<TData = unknown>(key: string, count?: number): Out<M, TData[]>;
  zlexcount(key: string, min: string, max: string): Out<M, number>;
  zremrangebylex(key: string, min: string, max: string): Out<M, number>;
  zremrangebyrank(key: string, start: number, stop: number): Out<M, number>;
  zremrangebyscore(key: string, min: number | string, max: number | string): Out<M, number>;
  zunionstore(destination: string, numKeys: number, keys: string | string[], options?: { weights?: number[]; weight?: number; aggregate?: "sum" | "min" | "max" }): Out<M, number>;
  zinterstore(destination: string, numKeys: number, keys: string | string[], options?: { weights?: number[]; weight?: number; aggregate?: "sum" | "min" | "max" }): Out<M, number>;
  zunion(numKeys: number, keys: string | string[], options?: { weights?: number[]; weight?: number; aggregate?: "sum" | "min" | "max"; withScores?: boolean }): Out<M, unknown[]>;
  zinter(numKeys: number, keys: string | string[], options?: { weights?: number[]; weight?: number; aggregate?: "sum" | "min" | "max"; withScores?: boolean }): Out<M, unknown[]>;
  zdiffstore(destination: string, numkeys: number, ...keys: string[]): Out<M, number>;
  zscan(key: string, cursor: string | number, options?: ScanOptions): Out<M, [string, (string | number)[]]>;
  pfadd<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>;
  pfcount(...keys: string[]): Out<M, number>;
  pfmerge(destination: string, ...sources: string[]): Out<M, "OK">;
  /** How many subscribers received it (in a workspace: the workspace's
   * channel, so only that workspace's subscribers). */
  publish<TMessage = unknown>(channel: string, message: TMessage): Out<M, number>;
  eval<TArgs extends unknown[] = unknown[], TData = unknown>(script: string, keys: string[], args: TArgs): Out<M, TData>;
  evalRo<TArgs extends unknown[] = unknown[], TData = unknown>(script: string, keys: string[], args: TArgs): Out<M, TData>;
  evalsha<TArgs extends unknown[] = unknown[], TData = unknown>(sha1: string, keys: string[], args: TArgs): Out<M, TData>;
  evalshaRo<TArgs extends unknown[] = unknown[], TData = unknown>(sha1: string, keys: string[], args: TArgs): Out<M, TData>;
  scriptLoad(script: string): Out<M, string>;
  scriptExists(...hashes: string[]): Out<M, number[]>;
  scriptFlush(): Out<M, "OK">;
  bitop(operation: "and" | "or" | "xor" | "not" | "diff" | "diff1" | "andor" | "one", destination: string, ...sources: string[]): Out<M, number>;
  copy(source: string, destination: string, options?: { replace?: boolean }): Out<M, "COPIED" | "NOT_COPIED">;
  clientSetinfo(attribute: "LIB-NAME" | "LIB-VER" | "lib-name" | "lib-ver", value: string): Out<M, "OK">;
  geoadd<TData = unknown>(key: string, ...members: ({ longitude: number; latitude: number; member: TData } | { nx?: boolean; xx?: boolean; ch?: boolean })[]): Out<M, number | null>;
  geodist<TData = unknown>(key: string, member1: TData, member2: TData, unit?: "M" | "KM" | "FT" | "MI"): Out<M, number | null>;
  geohash<TData = unknown>(key: string, ...members: TData[] | [TData[]]): Out<M, (string | null)[]>;
  /** `{ lng, lat }` per member found. */
  geopos<TData = unknown>(key: string, ...members: TData[] | [TData[]]): Out<M, { lng: number; lat: number }[]>;
  /** `{ member, dist?, hash?, coord? }` per match. */
  geosearch<TData = unknown>(key: string, center: { type: "FROMMEMBER" | "frommember"; member: TData } | { type: "FROMLONLAT" | "fromlonlat"; coordinate: { lon: number; lat: number } }, shape: { type: "BYRADIUS" | "byradius"; radius: number; radiusType: "M" | "KM" | "FT" | "MI" } | { type: "BYBOX" | "bybox"; rect: { width: number; height: number }; rectType: "M" | "KM" | "FT" | "MI" }, order: "ASC" | "DESC" | "asc" | "desc", options?: { count?: { limit: number; any?: boolean }; withCoord?: boolean; withDist?: boolean; withHash?: boolean }): Out<M, { member: TData; dist?: number; hash?: string; coord?: { long: number; lat: number } }[]>;
  geosearchstore<TData = unknown>(destination: string, key: string, center: { type: "FROMMEMBER" | "frommember"; member: TData } | { type: "FROMLONLAT" | "fromlonlat"; coordinate: { lon: number; lat: number } }, shape: { type: "BYRADIUS" | "byradius"; radius: number; radiusType: "M" | "KM" | "FT" | "MI" } | { type: "BYBOX" | "bybox"; rect: { width: number; height: number }; rectType: "M" | "KM" | "FT" | "MI" }, order: "ASC" | "DESC" | "asc" | "desc", options?: { count?: { limit: number; any?: boolean }; storeDist?: boolean }): Out<M, number>;
  hexpire(key: string, fields: string | number | (string | number)[], seconds: number, option?: ExpireOption): Out<M, (-2 | 0 | 1 | 2)[]>;
  hpexpire(key: string, fields: string | number | (string | number)[], milliseconds: number, option?: ExpireOption): Out<M, (-2 | 0 | 1 | 2)[]>;
  hexpireat(key: string, fields: string | number | (string | number)[], unix: number, option?: ExpireOption): Out<M, (-2 | 0 | 1 | 2)[]>;
  hpexpireat(key: string, fields: string | number | (string | number)[], unix: number, option?: ExpireOption): Out<M, (-2 | 0 | 1 | 2)[]>;
  httl(key: string, fields: string | number | (string | number)[]): Out<M, number[]>;
  hpttl(key: string, fields: string | number | (string | number)[]): Out<M, number[]>;
  hexpiretime(key: string, fields: string | number | (string | number)[]): Out<M, number[]>;
  hpexpiretime(key: string, fields: string | number | (string | number)[]): Out<M, number[]>;
  hpersist(key: string, fields: string | number | (string | number)[]): Out<M, (-2 | -1 | 1)[]>;
  hrandfield<TData = unknown>(key: string, count?: number, withValues?: boolean): Out<M, TData>;
  lmpop<TValues = unknown>(numkeys: number, keys: string[], direction: "LEFT" | "RIGHT", count?: number): Out<M, [string, TValues[]] | null>;
  sintercard(keys: string[], options?: { limit?: number }): Out<M, number>;
  xadd(key: string, id: string, entries: Record<string, unknown>, options?: { nomkStream?: boolean; trim?: { type: "MAXLEN" | "MINID"; comparison: "~" | "="; threshold: number | string; limit?: number } }): Out<M, string>;
  xlen(key: string): Out<M, number>;
  xdel(key: string, ...ids: string[] | [string[]]): Out<M, number>;
  xtrim(key: string, options: { strategy: "MAXLEN" | "MINID"; threshold: number | string; exactness?: "~" | "="; limit?: number }): Out<M, number>;
  /** `{ id: { field: value } }`. */
  xrange<TData extends Record<string, Record<string, unknown>> = Record<string, Record<string, unknown>>>(key: string, start: string, end: string, count?: number): Out<M, TData>;
  xrevrange<TData extends Record<string, Record<string, unknown>> = Record<string, Record<string, unknown>>>(key: string, end: string, start: string, count?: number): Out<M, TData>;
  xack(key: string, group: string, id: string | string[]): Out<M, number>;
  xgroup(key: string, options: { type: "CREATE" | "SETID"; group: string; id: string; options?: { MKSTREAM?: boolean; ENTRIESREAD?: number } } | { type: "CREATECONSUMER" | "DELCONSUMER"; group: string; consumer: string } | { type: "DESTROY"; group: string }): Out<M, unknown>;
  xread(key: string | string[], id: string | string[], options?: { count?: number; blockMS?: number }): Out<M, unknown[]>;
  xreadgroup(group: string, consumer: string, key: string | string[], id: string | string[], options?: { count?: number; blockMS?: number; NOACK?: boolean }): Out<M, unknown[]>;
  xpending(key: string, group: string, start: string, end: string, count: number, options?: { idleTime?: number; consumer?: string | string[] }): Out<M, unknown[]>;
  xclaim(key: string, group: string, consumer: string, minIdleTime: number, id: string | string[], options?: { idleMS?: number; timeMS?: number; retryCount?: number; force?: boolean; justId?: boolean; lastId?: number }): Out<M, unknown[]>;
  xautoclaim(key: string, group: string, consumer: string, minIdleTime: number, start: string, options?: { count?: number; justId?: boolean }): Out<M, unknown[]>;
  xinfo(key: string, options: { type: "GROUPS" } | { type: "CONSUMERS"; group: string }): Out<M, unknown[]>;
  /** FUNCTION and FCALL (Redis 7 functions). */
  functions: {
    load(args: { code: string; replace?: boolean }): Out<M, string>;
    delete(libraryName: string): Out<M, "OK">;
    flush(): Out<M, "OK">;
    call<TData = unknown>(functionName: string, keys?: string[], args?: string[]): Out<M, TData>;
    callRo<TData = unknown>(functionName: string, keys?: string[], args?: string[]): Out<M, TData>;
  };
  /** RedisJSON commands, sent as they are (the server needs the module). */
  json: {
    get<TData = unknown>(key: string, ...pathOrOptions: (string | { indent?: string; newline?: string; space?: string })[]): Out<M, TData | null>;
    set<TData = unknown>(key: string, path: string, value: TData, options?: { nx: true } | { xx: true }): Out<M, "OK" | null>;
    mget<TData = unknown>(keys: string[], path: string): Out<M, TData>;
    del(key: string, path?: string): Out<M, number>;
    forget(key: string, path?: string): Out<M, number>;
    clear(key: string, path?: string): Out<M, number>;
    type(key: string, path?: string): Out<M, string[]>;
    toggle(key: string, path: string): Out<M, number[]>;
    strlen(key: string, path?: string): Out<M, (number | null)[]>;
    strappend(key: string, path: string, value: string): Out<M, (number | null)[]>;
    objkeys(key: string, path?: string): Out<M, (string[] | null)[]>;
    objlen(key: string, path?: string): Out<M, (number | null)[]>;
    resp(key: string, path?: string): Out<M, unknown>;
    arrlen(key: string, path?: string): Out<M, (number | null)[]>;
    arrappend(key: string, path: string, ...values: unknown[]): Out<M, (number | null)[]>;
    arrinsert(key: string, path: string, index: number, ...values: unknown[]): Out<M, (number | null)[]>;
    arrindex(key: string, path: string, value: unknown, start?: number, stop?: number): Out<M, (number | null)[]>;
    arrpop<TData = unknown>(key: string, path?: string, index?: number): Out<M, (TData | null)[]>;
    arrtrim(key: string, path?: string, start?: number, stop?: number): Out<M, (number | null)[]>;
    numincrby(key: string, path: string, value: number): Out<M, (number | null)[]>;
    nummultby(key: string, path: string, value: number): Out<M, (number | null)[]>;
    merge(key: string, path: string, value: unknown): Out<M, "OK" | null>;
  };
}

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
