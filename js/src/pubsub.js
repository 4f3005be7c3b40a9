// `redis.subscribe` / `redis.psubscribe`: a subscription as an async
// iterator of messages and, like @upstash/redis's Subscriber, as an event
// emitter (`on("message", ...)`). The stream itself (SSE framing, base64
// payloads, confirmations, the workspace prefix, the idle deadline) is the
// Rust library's (src/pubsub.rs through src/wasm/pubsub.rs); this file
// only decides when to read, shapes messages and hands out errors.
//
// One subscription is one HTTP request: closing it (unsubscribe(), close(),
// `break` in `for await`, `await using`) ends the request, and the server
// drops the Redis subscription. A stream that fails (server gone, idle
// deadline, bad frame) rejects the iterator and emits "error" once, then
// the subscription is over; there is no silent resubscribe.

import { EdgestashError } from "./errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const DONE = Object.freeze({ done: true, value: undefined });
const LISTENER_TYPES = /^(message|pmessage|subscribe|psubscribe|error)(:.*)?$/;

/** `"a"` or `["a", "b"]` to a list of strings. */
function targetsOf(what, value) {
  const list = Array.isArray(value) ? value : [value];
  for (const t of list) {
    if (typeof t !== "string") {
      throw new TypeError(`edgestash: ${what} must be a string or an array of strings`);
    }
  }
  return list;
}

/** Rethrows outside the read loop: a throwing listener is never swallowed. */
function rethrowLater(error) {
  queueMicrotask(() => {
    throw error;
  });
}

export class Subscription {
  #pattern;
  #targets;
  #bytes;
  /** Parses a text message (automatic deserialization), or null. */
  #parse;
  /** The WasmSubscription once the server confirmed, else null. */
  #wasm = null;
  #listeners = new Map();
  /** Iterator calls waiting for an item: [resolve, reject]. */
  #waiters = [];
  /** Items read for listeners while the iterator was not waiting. */
  #queue = [];
  #iterating = false;
  #reading = false;
  #done = false;

  /**
   * The server confirmed every channel (resolves) or the subscription
   * could not open (rejects with the EdgestashError).
   * @type {Promise<void>}
   */
  ready;

  /** @internal use `redis.subscribe` / `redis.psubscribe`. */
  constructor(client, pattern, targets, form) {
    this.#pattern = pattern;
    this.#targets = targets;
    // `form`: { bytes, parse } (or, as before, a boolean `bytes`).
    this.#bytes = typeof form === "object" ? form.bytes : Boolean(form);
    this.#parse = typeof form === "object" ? form.parse : null;
    const opening = pattern ? client.psubscribe(targets) : client.subscribe(targets);
    this.ready = opening.then(
      (wasm) => {
        if (this.#done) {
          wasm.close();
          return;
        }
        this.#wasm = wasm;
        this.#emit(pattern ? "psubscribe" : "subscribe", targets.length);
        this.#pump();
      },
      (error) => {
        this.#fail(error);
        throw error;
      },
    );
    // The failure also reaches the iterator and "error" listeners; awaiting
    // `ready` is optional, so it must not count as unhandled.
    this.ready.catch(() => {});
  }

  /** The channels (or patterns) this subscription was opened with. */
  getSubscribedChannels() {
    return this.#done ? [] : [...this.#targets];
  }

  /**
   * Adds a listener: "message" (`{ channel, message }`), "pmessage"
   * (`{ pattern, channel, message }`), "message:<channel>",
   * "pmessage:<pattern>", "subscribe"/"psubscribe" (the count, once
   * confirmed) or "error" (the EdgestashError that ended the stream).
   */
  on(type, listener) {
    if (typeof type !== "string" || !LISTENER_TYPES.test(type)) {
      throw new TypeError("edgestash: unknown subscription event");
    }
    if (typeof listener !== "function") throw new TypeError("edgestash: a listener must be a function");
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    this.#pump();
    return this;
  }

  /** Removes one listener. */
  off(type, listener) {
    this.#listeners.get(type)?.delete(listener);
    return this;
  }

  /** Removes every listener. */
  removeAllListeners() {
    this.#listeners.clear();
    return this;
  }

  /**
   * Ends the subscription now: the HTTP request is aborted, a pending
   * iterator call resolves as done. Idempotent.
   */
  close() {
    if (this.#done) return;
    this.#done = true;
    this.#wasm?.close();
    this.#wasm = null;
    this.#drain();
  }

  /**
   * `close()`, as @upstash/redis's Subscriber names it. Every channel of
   * one subscription shares one request, so only all of them can go:
   * naming a strict subset rejects (`invalid_request`) and closes nothing.
   */
  async unsubscribe(channels) {
    if (channels !== undefined) {
      const names = new Set(targetsOf("channels", channels));
      if (this.#targets.some((t) => !names.has(t))) {
        throw new EdgestashError(
          "unsubscribe: a subscription ends as a whole; subscribe to the channels to keep separately",
          "invalid_request",
        );
      }
    }
    this.close();
  }

  /** The async-iterator protocol: the next message, or done once closed. */
  next() {
    this.#iterating = true;
    const item = this.#queue.shift();
    if (item !== undefined) return item.error ? Promise.reject(item.error) : Promise.resolve({ done: false, value: item.value });
    if (this.#done) return Promise.resolve(DONE);
    const wait = new Promise((resolve, reject) => this.#waiters.push([resolve, reject]));
    this.#pump();
    return wait;
  }

  /** Called by `break` / `return` in `for await`: closes the subscription. */
  async return() {
    this.close();
    return DONE;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  #wantsMessages() {
    if (this.#waiters.length > 0) return true;
    for (const [type, set] of this.#listeners) {
      if (set.size > 0 && (type.startsWith("message") || type.startsWith("pmessage"))) return true;
    }
    return false;
  }

  /** Reads while someone wants messages; one read at a time. */
  async #pump() {
    if (this.#reading || this.#wasm === null) return;
    this.#reading = true;
    try {
      while (!this.#done && this.#wasm !== null && this.#wantsMessages()) {
        let raw;
        try {
          raw = await this.#wasm.next();
        } catch (error) {
          this.#fail(error);
          return;
        }
        if (this.#done) return;
        if (raw === null) {
          // Only close() ends a stream without an error first.
          this.close();
          return;
        }
        let message;
        try {
          message = this.#shape(raw);
        } catch (error) {
          this.#fail(error);
          return;
        }
        this.#deliver(message);
      }
    } finally {
      this.#reading = false;
    }
  }

  #shape(raw) {
    let message = raw.payload;
    if (!this.#bytes) {
      try {
        message = utf8.decode(raw.payload);
      } catch {
        throw new EdgestashError(
          'message is not valid UTF-8; subscribe with { encoding: "bytes" }',
          "unexpected_reply",
          "not_utf8",
        );
      }
      if (this.#parse) message = this.#parse(message);
    }
    return raw.pattern === null
      ? { type: "message", channel: raw.channel, message }
      : { type: "pmessage", pattern: raw.pattern, channel: raw.channel, message };
  }

  #deliver(message) {
    const waiter = this.#waiters.shift();
    if (waiter) waiter[0]({ done: false, value: message });
    else if (this.#iterating) this.#queue.push({ value: message });
    this.#emit(message.type, message);
    this.#emit(`${message.type}:${message.type === "pmessage" ? message.pattern : message.channel}`, message);
  }

  /** The stream failed: the iterator rejects once, "error" listeners hear it. */
  #fail(error) {
    if (this.#done) return;
    const waiter = this.#waiters.shift();
    if (waiter) waiter[1](error);
    else if (this.#iterating) this.#queue.push({ error });
    this.close();
    this.#emit("error", error);
  }

  /** Pending iterator calls end as done. */
  #drain() {
    for (const [resolve] of this.#waiters.splice(0)) resolve(DONE);
  }

  #emit(type, data) {
    const set = this.#listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(data);
      } catch (error) {
        rethrowLater(error);
      }
    }
  }
}

if (typeof Symbol.asyncDispose === "symbol") {
  Object.defineProperty(Subscription.prototype, Symbol.asyncDispose, {
    value: async function () {
      this.close();
    },
    writable: true,
    configurable: true,
  });
}

const FORWARDED = ["on", "off", "removeAllListeners", "close", "unsubscribe", "next", "return", "getSubscribedChannels"];

/**
 * Opens a subscription. The answer is a promise of the Subscription
 * (resolving once the server confirmed, so a message published after
 * `await` is delivered) that is also usable at once as the Subscription
 * itself, as @upstash/redis's synchronous `subscribe(...).on(...)` is.
 */
export function subscribe(client, pattern, targets, form) {
  const sub = new Subscription(client, pattern, targetsOf(pattern ? "patterns" : "channels", targets), form);
  const pending = sub.ready.then(() => sub);
  pending.catch(() => {});
  for (const name of FORWARDED) pending[name] = sub[name].bind(sub);
  pending.ready = sub.ready;
  pending[Symbol.asyncIterator] = () => sub;
  if (typeof Symbol.asyncDispose === "symbol") pending[Symbol.asyncDispose] = () => sub.unsubscribe();
  return pending;
}
