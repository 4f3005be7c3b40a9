// Loads the /dashboard of edgestash-server (or of the Worker gateway: the
// same page) in headless Chromium while load runs, checks that every chart
// rendered and that its data changes between two moments, and saves a
// screenshot.
//
//   node check.mjs <server url> <rest token> <admin token> <screenshot path>
//   node check.mjs <worker url> --worker <admin token> <screenshot path>
//
// Run by scripts/browser-test.sh, which starts redis-server and the server
// (and the Worker under wrangler dev in front of scripts/origin.mjs).
import { chromium } from "playwright-core";

const [base, token, admin, shot] = process.argv.slice(2);
if (!shot) {
  console.error("usage: node check.mjs <url> <token> <admin token> <screenshot>");
  process.exit(2);
}

// Load: SET/GET hits and misses, a few errors (INCR on a string), pipelines.
let stop = false;
let sent = 0;
async function command(args) {
  const r = await fetch(base, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: JSON.stringify(args),
  });
  await r.arrayBuffer();
  sent++;
}
const onWorker = token === "--worker";
async function gateway(id) {
  // Cached GETs (hits after the first of each path), through the Worker.
  let i = 0;
  while (!stop) {
    i++;
    const r = await fetch(`${base}/static/k${id}-${i % 40}`, { headers: { "X-Workspace": "dash", "X-API-Key": `load-${id}` } });
    await r.arrayBuffer();
    sent++;
  }
}
async function worker(id) {
  if (onWorker) return gateway(id);
  let i = 0;
  while (!stop) {
    i++;
    await command(["SET", `k${id}:${i % 50}`, "x".repeat(200 + (i % 1000))]);
    await command(["GET", `k${id}:${i % 70}`]);
    if (i % 10 === 0) await command(["INCR", `k${id}:0`]);
  }
}
const workers = [1, 2, 3, 4].map(worker);

function fail(message) {
  console.error(`dashboard check failed: ${message}`);
  process.exitCode = 1;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  page.on("pageerror", (e) => fail(`page error: ${e.message}`));
  // A Content-Security-Policy violation (a blocked script or style) shows
  // as a console error: the page must run whole under its own policy.
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) fail(`CSP: ${m.text()}`);
  });
  const response = await page.goto(`${base}/dashboard`);
  if (!response || response.status() !== 200) fail(`GET /dashboard answered ${response && response.status()}`);
  if (!(response?.headers()["content-security-policy"] || "").startsWith("default-src 'none'")) fail("no Content-Security-Policy");
  // Log in once through the page's form; the token never enters a URL.
  await page.fill("#token", admin);
  await page.click("#login button[type=submit]");
  await page.waitForFunction(() => window.dashboardPoints >= 3, null, { timeout: 20000 });
  const read = () =>
    page.evaluate(() => ({
      points: window.dashboardPoints,
      rate: window.dashboardSeries.rate.slice(),
      p99: window.dashboardSeries.p99.slice(),
      memory: window.dashboardSeries.memory.slice(),
      hits: window.dashboardSeries.hits.slice(),
      canvases: document.querySelectorAll(".uplot canvas").length,
      legends: document.querySelectorAll(".uplot .u-legend").length,
    }));
  const first = await read();
  await page.waitForFunction((n) => window.dashboardPoints >= n + 2, first.points, { timeout: 20000 });
  const second = await read();
  console.log(`requests sent: ${sent}`);
  console.log(`moment 1: ${first.points} points, rate ${first.rate.map((v) => v.toFixed(0)).join(",")}`);
  console.log(`moment 2: ${second.points} points, rate ${second.rate.map((v) => v.toFixed(0)).join(",")}`);
  console.log(`p99 ms: ${second.p99.map((v) => (v === null ? "-" : v.toFixed(3))).join(",")}`);
  console.log(`memory MiB: ${second.memory.map((v) => (v === null ? "-" : v.toFixed(2))).join(",")}`);
  if (second.canvases < 5) fail(`expected 5 chart canvases, found ${second.canvases}`);
  if (second.points <= first.points) fail("no new data points between the two moments");
  if (!second.rate.some((v) => v > 0)) fail("request rate never above 0 under load");
  if (!second.p99.some((v) => v !== null && v > 0)) fail("no latency percentile");
  if (onWorker) {
    // The Worker has no Redis INFO; its cache chart is the gateway's cache.
    if (!second.hits.some((v) => v !== null && v > 0)) fail("no gateway cache hit rate");
    const title = await page.evaluate(() => document.getElementById("title").textContent);
    if (title !== "worker") fail(`page title is ${title}, expected the Worker's data`);
  } else if (!second.memory.some((v) => v !== null && v > 0)) fail("no Redis memory reading");
  if (JSON.stringify(first.rate) === JSON.stringify(second.rate)) fail("the rate series did not change");
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
} finally {
  stop = true;
  await Promise.all(workers);
  await browser.close();
}
