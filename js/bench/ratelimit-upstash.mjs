// @upstash/ratelimit 2.2.0's side of bench/ratelimit.sh: `requests`
// decisions over `identifiers` identifiers by `callers` concurrent callers,
// against an Upstash-protocol endpoint; prints one JSON line.
//
//   node js/bench/ratelimit-upstash.mjs <url> <token> <spec> <identifiers> <callers> <requests>
//
// spec as ratelimit_probe takes it (fixed:<limit>:<window>, token:<refill>:<interval>:<max>).
// No ephemeral cache and no analytics: every decision asks Redis, as
// ratelimit_probe does. Their scripts' `#!lua flags=allow-key-locking` line
// is dropped for stock Redis 7.0 (see js/test/ratelimit-interop.test.js).
import { createHash } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";

const [url, token, spec, identifiers, callers, requests] = process.argv.slice(2);
const SHEBANG = /^#!lua flags=allow-key-locking\n/;
const sha1 = (s) => createHash("sha1").update(s).digest("hex");
const sent = new Map();
const base = new Redis({ url, token, enableAutoPipelining: false });
const redis = new Proxy(base, {
  get(t, p) {
    if (p === "eval") return (s, k, a) => { const b = s.replace(SHEBANG, ""); sent.set(sha1(s), sha1(b)); return t.eval(b, k, a); };
    if (p === "evalsha") return (h, k, a) => t.evalsha(sent.get(h) ?? h, k, a);
    const v = Reflect.get(t, p);
    return typeof v === "function" ? v.bind(t) : v;
  },
});
const [kind, a, b, c] = spec.split(":");
const limiter =
  kind === "fixed" ? Ratelimit.fixedWindow(Number(a), b.replace(/(\d)([a-z])/, "$1 $2"))
  : kind === "sliding" ? Ratelimit.slidingWindow(Number(a), b.replace(/(\d)([a-z])/, "$1 $2"))
  : Ratelimit.tokenBucket(Number(a), b.replace(/(\d)([a-z])/, "$1 $2"), Number(c));
const rl = new Ratelimit({ redis, limiter, ephemeralCache: false, analytics: false });

let next = 0;
let allowed = 0;
const total = Number(requests);
const start = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: Number(callers) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const r = await rl.limit(`bench-${i % Number(identifiers)}`);
      if (r.success) allowed++;
    }
  }),
);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ decisions: total, seconds, per_second: total / seconds, allowed }));
