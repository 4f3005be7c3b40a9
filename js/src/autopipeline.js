// Auto-pipelining, as @upstash/redis does by default: calls made on one
// client in the same tick (before two microtask turns pass) travel together
// in ONE /pipeline request and run in the order they were made; each call
// still resolves or rejects on its own. A lone call is sent as a plain
// command, exactly as without auto-pipelining.
//
// A tick's calls form a "run" of segments sent one after another (each
// waits for the one before it to settle, so separate requests cannot
// overtake each other on the server):
// - a batch of string-only calls (up to 1000, @upstash/redis's cap), sent
//   as one /pipeline whatever each call's decoding: the request asks for
//   the widest decoding any call wants, and each reply is narrowed back
//   here (bytes to strict UTF-8 text, BigInt to decimal text);
// - a call with a binary (Uint8Array) argument, sent alone, because the
//   REST JSON body of a batch cannot carry it;
// - an explicit pipeline() or multi(), sent as built.
// A tick without binary calls and under 1000 calls is one request.

/** @upstash/redis's cap on one auto-pipeline. */
const MAX_BATCH = 1000;
const FLAG_BYTES = 1;
const FLAG_BIGINT = 2;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** `value` decoded with `got` flags, as it would be with `wanted`. */
function narrow(value, got, wanted) {
  const text = (got & FLAG_BYTES) !== 0 && (wanted & FLAG_BYTES) === 0;
  const decimal = (got & FLAG_BIGINT) !== 0 && (wanted & FLAG_BIGINT) === 0;
  if (!text && !decimal) return value;
  const down = (v) => {
    if (text && v instanceof Uint8Array) {
      try {
        return utf8.decode(v);
      } catch {
        // The wasm client's own wording for a plain call.
        throw new TypeError('reply is not valid UTF-8; ask for bytes with { encoding: "bytes" }');
      }
    }
    if (decimal && typeof v === "bigint") return String(v);
    return Array.isArray(v) ? v.map(down) : v;
  };
  return down(value);
}

export class AutoPipeline {
  #client;
  /** The run being filled this tick, or null. */
  #run = null;

  constructor(client) {
    this.#client = client;
  }

  /** Queues `parts` (decoded with `flags`); resolves to its reply. */
  add(parts, flags) {
    const run = this.#current();
    const binary = parts.some((p) => typeof p !== "string");
    let segment = run.segments.at(-1);
    if (binary || segment === undefined || segment.alone || segment.calls.length >= MAX_BATCH) {
      segment = { alone: binary, calls: [] };
      run.segments.push(segment);
    }
    return new Promise((resolve, reject) => segment.calls.push({ parts, flags, resolve, reject }));
  }

  /**
   * Runs `send` (an explicit pipeline or transaction) as a segment of this
   * tick's run: after the calls made before it, before those made after.
   * Resolves or rejects as `send()`'s promise does.
   */
  enqueue(send) {
    const run = this.#current();
    return new Promise((resolve, reject) => {
      const task = () => {
        let sent;
        try {
          sent = send();
        } catch (e) {
          reject(e);
          return undefined;
        }
        return sent.then(resolve, reject);
      };
      run.segments.push({ alone: true, calls: [], task });
    });
  }

  #current() {
    if (this.#run === null) {
      const run = { segments: [], done: null };
      this.#run = run;
      this.#later(run);
    }
    return this.#run;
  }

  async #later(run) {
    // Two turns: long enough for every caller resumed by the same reply to
    // queue its next call, short enough to add no measurable latency.
    await null;
    await null;
    this.#flush(run);
  }

  #flush(run) {
    if (run.done === null) {
      if (this.#run === run) this.#run = null;
      run.done = this.#send(run.segments);
    }
    return run.done;
  }

  /** Sends segments one after another; never rejects. */
  async #send(segments) {
    for (const segment of segments) {
      if (segment.task) await segment.task();
      else await (segment.calls.length === 1 ? this.#alone(segment.calls[0]) : this.#batch(segment.calls));
    }
  }

  /** One call as a plain command; settles when it has. */
  #alone(call) {
    let reply;
    try {
      reply = this.#client.exec(call.parts, call.flags);
    } catch (e) {
      call.reject(e);
      return undefined;
    }
    return reply.then(call.resolve, call.reject);
  }

  /** Several string-only calls as one /pipeline; settles when they have. */
  #batch(calls) {
    const flags = calls.reduce((f, c) => f | c.flags, 0);
    let request;
    try {
      request = this.#client.batch(
        calls.map((c) => c.parts),
        false,
        flags,
      );
    } catch {
      // Refused while being built: nothing was sent.
      return this.#oneByOne(calls);
    }
    return request.then(
      (replies) => {
        calls.forEach((call, i) => {
          const r = replies[i];
          if (r instanceof Error) {
            call.reject(r);
            return;
          }
          try {
            call.resolve(narrow(r, flags, call.flags));
          } catch (e) {
            call.reject(e);
          }
        });
      },
      (e) => {
        // Refused before sending (a workspace refusal, a request the REST
        // API cannot carry): nothing ran, so each call is sent alone, in
        // order, and gets its own answer, as without auto-pipelining.
        if (e?.kind === "namespace" || e?.kind === "invalid_request") return this.#oneByOne(calls);
        for (const call of calls) call.reject(e);
        return undefined;
      },
    );
  }

  async #oneByOne(calls) {
    for (const call of calls) await this.#alone(call);
  }
}
