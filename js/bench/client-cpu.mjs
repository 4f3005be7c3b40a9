// Client-side CPU per call with the network taken out: the global `fetch`
// is replaced by one that answers at once with a fixed REST reply, so what
// is left is each client's own work (arguments, request building, the
// fetch call's setup, reading and decoding the reply, promises).
//   node js/bench/client-cpu.mjs [seconds] [rounds] [only] [op]
// Prints µs of CPU per call for edgestash and @upstash/redis, auto-
// pipelining off (one request per call) and on (50 in flight).
import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis } from "../src/node.js";
import { measure } from "./measure.mjs";

const [secondsArg, roundsArg, only, onlyOp] = process.argv.slice(2);
const SECONDS = Number(secondsArg ?? 2);
const ROUNDS = Number(roundsArg ?? 3);

const realFetch = globalThis.fetch;
let counter = 0;
globalThis.fetch = async (url, init) => {
  // Consume the body as a server would, then answer like edgestash-server.
  const body = typeof init.body === "string" ? init.body : new TextDecoder().decode(init.body);
  const commands = url.endsWith("/pipeline") ? JSON.parse(body) : [JSON.parse(body)];
  const replies = commands.map(([name]) =>
    /^get$/i.test(name) ? { result: "dmFsdWUtMTIzNDU2Nzg=" } : { result: ++counter },
  );
  const text = JSON.stringify(url.endsWith("/pipeline") ? replies : replies[0]);
  return new Response(text, { status: 200, headers: { "content-type": "application/json" } });
};

const url = "http://127.0.0.1:1";
const token = "bench-token";
let clients = {
  "edgestash off": new Redis({ url, token, autoPipelining: false }),
  "upstash off": new UpstashRedis({ url, token, enableAutoPipelining: false }),
  edgestash: new Redis({ url, token }),
  upstash: new UpstashRedis({ url, token }),
};
// `only`: one client by name, or every client whose name starts with it.
if (only) clients = Object.fromEntries(Object.entries(clients).filter(([k]) => k === only || (!(only in clients) && k.startsWith(only))));
const ops = {
  INCR: (c) => c.incr("bench:incr"),
  GET: (c) => c.get("bench:get"),
};
for (const [op, run] of Object.entries(ops).filter(([k]) => !onlyOp || k === onlyOp)) {
  for (const [name, c] of Object.entries(clients)) {
    const inFlight = name.endsWith("off") ? 1 : 50;
    await measure(() => run(c), inFlight, Number(process.env.WARMUP ?? 1.5));
    const cpus = [];
    for (let r = 0; r < ROUNDS; r++) cpus.push((await measure(() => run(c), inFlight, SECONDS)).cpu.toFixed(1));
    console.log(`${op.padEnd(5)} ${name.padEnd(14)} cpu µs/call: ${cpus.join(" ")}`);
  }
}
globalThis.fetch = realFetch;
