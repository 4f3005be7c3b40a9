// The npm package against @upstash/redis 1.39.0 on Node, side by side,
// against the SAME Upstash-protocol endpoint: GET, SET, INCR and a
// 10-command pipeline, with 1 and with `concurrency` calls in flight.
//
//   node js/bench/redis-upstash.mjs <url> <token> [seconds per cell, default 2] [concurrency, default 50]
//
// (bench/npm.sh starts a release edgestash-server over a real redis-server
// and runs this.) Four clients: each library with its defaults
// (auto-pipelining ON in both: calls made in the same tick are merged into
// one /pipeline request) and with auto-pipelining off (one request per
// call). Cells run in rounds, the clients' order rotating each round; each
// cell reports the median of its rounds. Prints a Markdown table.
import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis } from "../src/node.js";
import { measure } from "./measure.mjs";

const [url, token, secondsArg, concArg, roundsArg] = process.argv.slice(2);
if (!url || !token) {
  console.error("usage: node js/bench/redis-upstash.mjs <url> <token> [seconds] [concurrency] [rounds]");
  process.exit(2);
}
const SECONDS = Number(secondsArg ?? 2);
const CONCURRENCY = Number(concArg ?? 50);
const ROUNDS = Number(roundsArg ?? 3);
const VALUE = "v".repeat(100);

const clients = {
  edgestash: new Redis({ url, token }),
  "@upstash/redis": new UpstashRedis({ url, token }),
  "edgestash, auto-pipelining off": new Redis({ url, token, autoPipelining: false }),
  "@upstash/redis, auto-pipelining off": new UpstashRedis({ url, token, enableAutoPipelining: false }),
};

let n = 0;
const WORKLOADS = {
  GET: (r) => r.get("bench:get"),
  SET: (r) => r.set(`bench:set:${n++ % 1000}`, VALUE),
  INCR: (r) => r.incr("bench:incr"),
  "pipeline of 10": (r) => {
    const p = r.pipeline();
    for (let i = 0; i < 4; i++) p.set(`bench:p:${i}`, VALUE);
    for (let i = 0; i < 4; i++) p.get(`bench:p:${i}`);
    p.incr("bench:incr");
    p.incr("bench:incr");
    return p.exec();
  },
};


await clients.edgestash.set("bench:get", VALUE);
const names = Object.keys(clients);
const results = {};
for (const [wname, work] of Object.entries(WORKLOADS)) {
  for (const inFlight of [1, CONCURRENCY]) {
    const key = `${wname}|${inFlight}`;
    results[key] = Object.fromEntries(names.map((c) => [c, []]));
    // Warm-up: connections, JIT, and the edgestash module's first calls.
    for (const c of names) await measure(() => work(clients[c]), inFlight, 0.3);
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const c of order) results[key][c].push(await measure(() => work(clients[c]), inFlight, SECONDS));
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString("en-US");
function table(title, pick, better) {
  console.log(`\n${title}\n`);
  console.log(`| workload | in flight | ${names.join(" | ")} | ratio (defaults) | ratio (auto-pipelining off) |`);
  console.log(`|---|---|${names.map(() => "---|").join("")}---|---|`);
  for (const [key, byClient] of Object.entries(results)) {
    const [wname, inFlight] = key.split("|");
    const m = names.map((c) => median(byClient[c].map(pick)));
    const ratio = (a, b) => `${(better === "higher" ? a / b : b / a).toFixed(2)}x`;
    console.log(`| ${wname} | ${inFlight} | ${m.map(fmt).join(" | ")} | ${ratio(m[0], m[1])} | ${ratio(m[2], m[3])} |`);
  }
}
table("ops/s (higher is better)", (r) => r.rate, "higher");
table("client CPU per call, µs (lower is better; ratio > 1 means edgestash uses less)", (r) => r.cpu, "lower");
console.log(`\na pipeline of 10 is one call; ratios compare edgestash with @upstash/redis; median of ${ROUNDS} rounds of ${SECONDS} s; node ${process.version}`);
