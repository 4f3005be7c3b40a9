// Focused client-CPU bench for the per-call path (issue #7): edgestash vs
// @upstash/redis on INCR with 50 in flight, auto-pipelining on and off.
//   WARMUP=2 node js/bench/focus.mjs <url> <token> [seconds] [rounds] [only]
// `only`: one client ("edgestash", "upstash", "edgestash off", "upstash off")
// or a prefix of their names. Prints client CPU per call (process.cpuUsage)
// and ops/s per round; WARMUP (s, default 2) runs first for each client,
// since the wasm takes seconds to tier up (BENCHMARKS.md, "npm per-call").
import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis } from "../src/node.js";
import { measure } from "./measure.mjs";

const [url, token, secondsArg, roundsArg, only] = process.argv.slice(2);
const SECONDS = Number(secondsArg ?? 2);
const ROUNDS = Number(roundsArg ?? 3);
let clients = {
  edgestash: new Redis({ url, token }),
  upstash: new UpstashRedis({ url, token }),
  "edgestash off": new Redis({ url, token, autoPipelining: false }),
  "upstash off": new UpstashRedis({ url, token, enableAutoPipelining: false }),
};
if (only) clients = Object.fromEntries(Object.entries(clients).filter(([k]) => k === only || (!(only in clients) && k.startsWith(only))));

const names = Object.keys(clients);
for (const c of names) await measure(() => clients[c].incr("bench:incr"), 50, Number(process.env.WARMUP ?? 2));
const res = Object.fromEntries(names.map((c) => [c, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const c of names) res[c].push(await measure(() => clients[c].incr("bench:incr"), 50, SECONDS));
}
for (const c of names) {
  const cpus = res[c].map((x) => x.cpu.toFixed(1)).join(" ");
  const rates = res[c].map((x) => Math.round(x.rate)).join(" ");
  console.log(`${c.padEnd(14)} cpu µs/call: ${cpus}   ops/s: ${rates}`);
}
