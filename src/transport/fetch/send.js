// The npm backend's HTTP exchange (feature `wasm`), imported by
// `fetch_js.rs` through wasm-bindgen as a snippet of the package.
//
// Owns: one request through the host's global `fetch`, from the call to the
// whole body, in ONE call from wasm, and the deadlines that abort requests.
// Must not: interpret the reply (Rust does) or retry (the client does).
//
// Why JavaScript and not web-sys calls from Rust: every step (headers,
// init, `fetch`, `headers.get`, `arrayBuffer`) would be a call across the
// wasm boundary, and every awaited promise a pair of wasm-bindgen closures.
// Done here, wasm awaits one promise per request (BENCHMARKS.md, "npm
// request path in one call").

const SYNC_TOKEN = "upstash-sync-token";

// Node's fetch (undici) copies every request that might follow a redirect
// (its body stream is teed), about a quarter of its CPU per call; with
// `redirect: "error"` it does not. A REST endpoint never redirects, and a
// redirect is reported as such instead of being followed. Workers reject
// "error" (they only know "follow" and "manual"), so they keep the default.
const REDIRECT = globalThis.navigator?.userAgent === "Cloudflare-Workers" ? "follow" : "error";

// Error codes (Node's `error.cause.code`) that mean no connection was made.
const REFUSED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

// Requests sharing one deadline at most: undici warns past 1500 listeners
// on one signal.
const MAX_SHARERS = 1000;

/** The deadline requests starting now may join, or null. */
let current = null;

/**
 * A deadline `ms` from now: an AbortController aborted by a timer. Requests
 * that start within 1/64 of the timeout (at most 16 ms) of each other share
 * one, so the earliest may fire that much early; a burst of requests then
 * costs one timer, not one each.
 */
export function arm(ms) {
  const now = Date.now();
  const d = current;
  if (d !== null && d.ms === ms && !d.fired && d.sharers < MAX_SHARERS && now - d.started <= Math.min(ms / 64, 16)) {
    d.sharers++;
    return d;
  }
  const controller = new AbortController();
  const deadline = { ms, started: now, sharers: 1, fired: false, signal: controller.signal, timer: undefined };
  deadline.timer = setTimeout(() => {
    deadline.fired = true;
    controller.abort();
  }, ms);
  current = deadline;
  return deadline;
}

/**
 * Ends one request's share of `deadline`; the last one clears its timer, so
 * no timeout stays pending after the requests finished (it would keep Node
 * running, and Workers count it against the request).
 */
export function release(deadline) {
  deadline.sharers--;
  if (deadline.sharers === 0) {
    clearTimeout(deadline.timer);
    if (current === deadline) current = null;
  }
}

/**
 * POSTs `body` (a JSON string, or bytes when `json` is false) to `url`,
 * aborted by `deadline`. Resolves to `[status, syncToken or null, body
 * bytes]`; rejects with one of the strings "timeout", "refused" (no
 * connection was made), "redirect" or "other".
 */
export async function send(url, authorization, json, syncToken, body, deadline) {
  const headers = {
    Authorization: authorization,
    "Content-Type": json ? "application/json" : "application/octet-stream",
    "Upstash-Encoding": "base64",
  };
  if (syncToken !== undefined) headers[SYNC_TOKEN] = syncToken;
  try {
    const response = await fetch(url, { method: "POST", headers, body, redirect: REDIRECT, signal: deadline.signal });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return [response.status, response.headers.get(SYNC_TOKEN), bytes];
  } catch (e) {
    throw classify(e, deadline);
  }
}

/** Why `fetch` (or reading the body) failed, as far as the host tells. */
function classify(error, deadline) {
  if (deadline.fired) return "timeout";
  // Node's fetch rejects with TypeError("fetch failed") and the reason in
  // `cause`; other hosts give no reason, which counts as ambiguous.
  const cause = error?.cause;
  if (REFUSED.has(cause?.code)) return "refused";
  if (cause?.message === "unexpected redirect") return "redirect";
  return "other";
}
