// The way @upstash/redis's README (and its docs' common patterns) use the
// client, with only the import changed: `tsc --noEmit` over this file
// (types.test.js) checks edgestash's index.d.ts accepts it. Never run.
import { Redis, Ratelimit, UpstashError, type Pipeline } from "edgestash";

export async function readme(): Promise<void> {
  const redis = new Redis({
    url: "https://example.upstash.io",
    token: "token",
  });

  // string
  await redis.set("key", "value");
  let data = await redis.get("key");
  console.log(data);

  await redis.set("key3", "value3", { ex: 1 });

  // sorted set
  await redis.zadd("scores", { score: 1, member: "team1" });
  data = await redis.zrange("scores", 0, 100);
  console.log(data);

  // list
  await redis.lpush("elements", "magnesium");
  data = await redis.lrange("elements", 0, 100);
  console.log(data);

  // hash
  await redis.hset("people", { name: "joe" });
  data = await redis.hget("people", "name");
  console.log(data);

  // sets
  await redis.sadd("animals", "cat");
  data = await redis.spop("animals", 1);
  console.log(data);
}

export async function patterns(): Promise<void> {
  const redis = Redis.fromEnv({ automaticDeserialization: true, latencyLogging: false });
  const typed = await redis.get<{ name: string }>("user");
  if (typed) console.log(typed.name.toUpperCase());
  const { get, set } = redis;
  await set("k", 1, { nx: true });
  const n: number | null = await get<number>("k");
  console.log(n);
  const hash = await redis.hgetall<{ a: number }>("h");
  console.log(hash?.a);
  const some = await redis.hmget<{ a: string }>("h", "a");
  console.log(some?.a);
  const score: number | null = await redis.zscore("z", "m");
  const [seconds, micros] = await redis.time();
  console.log(score, seconds + micros);
  await redis.expire("k", 10, "NX");
  await redis.zrange("z", "(1", "+inf", { byScore: true, offset: 0, count: 10, withScores: true });
  const p = redis.pipeline();
  p.set("a", 1).incr("a").get("a");
  const n2: number = p.length();
  const results = await p.exec<[string, number, number]>();
  console.log(n2, results[1] + 1);
  const tx = redis.multi();
  tx.incr("c");
  await tx.exec();
  const script = redis.createScript<string>("return ARGV[1];");
  const echoed: string = await script.exec([], ["hi"]);
  const ro = redis.createScript<number>("return 1", { readonly: true });
  await ro.evalRo([], []);
  redis.use(async (req, next) => {
    console.log(req.body);
    return next(req);
  });
  const withSignal = new Redis({ url: "https://x", token: "t", signal: () => AbortSignal.timeout(1000), retry: { retries: 3, backoff: (n) => n * 100 } });
  withSignal.readYourWritesSyncToken = redis.readYourWritesSyncToken;
  const noRetry = new Redis({ url: "https://x", token: "t", retry: false, enableAutoPipelining: false });
  await noRetry.exec<string>(["GET", "k"]);
  try {
    await redis.incr("not-a-number");
  } catch (e) {
    if (e instanceof UpstashError) console.log(e.name, e.message);
  }
  console.log(echoed);
  await redis.json.set("j", "$", { a: 1 });
  const j = await redis.json.get<{ a: number }>("j", "$");
  console.log(j);
  await redis.functions.call("f", ["k"], ["a"]);
  redis.pipeline().json.get("j").xadd("s", "*", { f: 1 }).exec();
  await redis.geoadd("g", { longitude: 1, latitude: 2, member: "m" });
  const positions = await redis.geopos("g", "m");
  console.log(positions[0]?.lng);
  await redis.ping();
}

export async function ratelimit(): Promise<void> {
  const ratelimit = new Ratelimit({
    redis: Redis.fromEnv(),
    limiter: Ratelimit.slidingWindow(10, "10 s"),
    analytics: true,
    ephemeralCache: new Map(),
    timeout: 1000,
    prefix: "@upstash/ratelimit",
  });
  const { success, limit, remaining, reset, pending } = await ratelimit.limit("id", { rate: 2, ip: "1.2.3.4", userAgent: "ua", geo: {} });
  await pending;
  console.log(success, limit, remaining, reset);
  await ratelimit.blockUntilReady("id", 5000);
  const { remaining: left } = await ratelimit.getRemaining("id");
  await ratelimit.resetUsedTokens("id");
  console.log(left);
}

export async function newerMembers(redis: Redis): Promise<void> {
  const bits: (number | null)[] = await redis.bitfield("b").set("u8", 0, 1).incrby("u8", "#1", 2).overflow("SAT").get("u8", 0).exec();
  const p: Pipeline = redis.pipeline().bitfield("b").get("u8", 0).exec();
  const fields: { a: number } | null = await redis.hgetex<{ a: number }>("h", { ex: 10 }, "a");
  const set: number = await redis.hsetex("h", { conditional: "FNX", expiration: { px: 5 } }, { a: 1 });
  const gone: number[] = await redis.xdelex("s", "ACKED", "1-0");
  await redis.json.mset({ key: "a", path: "$", value: { x: 1 } }, { key: "b", path: "$", value: 2 });
  const libs = await redis.functions.list({ withCode: true });
  const stats = await redis.functions.stats();
  console.log(bits, p.length(), fields, set, gone, libs[0]?.libraryCode, stats.engines.LUA?.librariesCount);
}

export async function upstashArrays(redis: Redis): Promise<void> {
  const at: string = await redis.arinsert("a", "x");
  const info = await redis.arinfo("a", { full: true });
  const hits = await redis.argrep("a", 0, -1, { predicates: [{ glob: "x*" }], withValues: true });
  const sum: number | null = await redis.arop("a", 0, -1, "sum");
  const pairs: [string, string][] = await redis.arscan("a", 0, -1, { limit: 10 });
  console.log(at, info.len, info.count, hits.length, sum, pairs.length);
}
