// A tiny demo origin for the Worker gateway (node, no dependencies): used by
// scripts/quickstart.sh, bench/worker-cpu.sh and js/test/worker.test.js.
//
//   node scripts/origin.mjs [port]      # prints "origin listening on http://127.0.0.1:<port>"
//
// Every answer carries X-Origin-Count (requests this origin has served for
// that method and path), so a cache HIT is visible: the count does not move.
//   GET /static/...        200 text/plain "static <path> #<count>", cacheable
//   GET /static/bytes.bin  200 application/octet-stream, all 256 byte values
//   GET /static/private    200 with Cache-Control: private
//   GET /static/cookie     200 with Set-Cookie
//   GET /static/missing    404
//   anything else          200 JSON {method, path, count, body}
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

/** Starts the origin on 127.0.0.1:`port` (0: any free port). */
export function startOrigin(port = 0) {
  const counts = new Map();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url, "http://origin");
      const id = `${req.method} ${url.pathname}${url.search}`;
      const count = (counts.get(id) ?? 0) + 1;
      counts.set(id, count);
      res.setHeader("X-Origin-Count", String(count));
      const path = url.pathname;
      if (req.method === "GET" && path === "/static/bytes.bin") {
        res.setHeader("Content-Type", "application/octet-stream");
        return res.end(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
      }
      if (req.method === "GET" && path === "/static/missing") {
        res.statusCode = 404;
        return res.end("not here\n");
      }
      if (req.method === "GET" && path === "/static/private") res.setHeader("Cache-Control", "private, max-age=60");
      if (req.method === "GET" && path === "/static/cookie") res.setHeader("Set-Cookie", "origin=1; Path=/");
      if (req.method === "GET" && path.startsWith("/static/")) {
        res.setHeader("Content-Type", "text/plain; charset=utf-8");
        return res.end(`static ${path}${url.search} #${count}\n`);
      }
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ method: req.method, path: path + url.search, count, body: Buffer.concat(chunks).toString() }) + "\n");
    });
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        count: (method, pathAndQuery) => counts.get(`${method} ${pathAndQuery}`) ?? 0,
        stop: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const origin = await startOrigin(Number(process.argv[2] ?? 0));
  console.log(`origin listening on ${origin.url}`);
}
