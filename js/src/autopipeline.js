// Auto-pipelining, as @upstash/redis does by default: calls made on one
// client in the same tick (before two microtask turns pass) travel together
// in ONE /pipeline request and run in the order they were made; each call
// still resolves or rejects on its own. A lone call is sent as a plain
// command, exactly as without auto-pipelining.
//
// A tick's calls form a "run" of segments sent one after another (each
// waits for the one before it to settle, so separate requests cannot
// overtake each other on the server):
// - a batch of string-only entries (up to 1000 commands, @upstash/redis's
//   cap): single calls, and explicit pipeline()s, whose commands stay
//   together and whose replies are sliced back out. It is sent as one
//   /pipeline whatever each entry's decoding: the request asks for the
//   widest decoding any entry wants, and each reply is narrowed back here
//   (bytes to strict UTF-8 text, BigInt to decimal text);
// - a call with a binary (Uint8Array) argument, sent alone, because the
//   REST JSON body of a batch cannot carry it;
// - a multi() transaction, sent as built (/multi-exec).
// A tick without binary calls or transactions, under 1000 commands, is one
// request.

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

/** A batch slot as an entry wants it: its reply, or an Error. */
function slotFor(slot, got, wanted) {
  if (slot instanceof Error) return slot;
  try {
    return narrow(slot, got, wanted);
  } catch (e) {
    return e;
  }
}

export class AutoPipeline {
  #client;
  /** The run being filled this tick, or null. */
  #run = null;

  constructor(client) {
    this.#client = client;
  }

  /** Queues one command (decoded with `flags`); resolves to its reply. */
  add(parts, flags) {
    let binary = false;
    for (let i = 0; i < parts.length && !binary; i++) binary = typeof parts[i] !== "string";
    return this.#push({ commands: [parts], group: false, flags }, binary);
  }

  /**
   * Queues an explicit pipeline's commands (strings only), kept together;
   * resolves to one entry per command (its reply or an Error), as the wasm
   * client's `batch` does.
   */
  addPipeline(commands, flags) {
    return this.#push({ commands, group: true, flags }, false);
  }

  /**
   * Runs `send` (a transaction) as a segment of this tick's run: after the
   * calls made before it, before those made after. Resolves or rejects as
   * `send()`'s promise does.
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
      run.segments.push({ alone: true, entries: [], size: 0, task });
    });
  }

  #push(entry, alone) {
    const run = this.#current();
    let segment = run.segments.at(-1);
    const n = entry.commands.length;
    if (alone || segment === undefined || segment.alone || (segment.size > 0 && segment.size + n > MAX_BATCH)) {
      segment = { alone, entries: [], size: 0 };
      run.segments.push(segment);
    }
    segment.size += n;
    return new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
      segment.entries.push(entry);
    });
  }

  #current() {
    if (this.#run === null) {
      const run = { segments: [] };
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
    if (this.#run === run) this.#run = null;
    await this.#send(run.segments);
  }

  /** Sends segments one after another; never rejects. */
  async #send(segments) {
    for (const segment of segments) {
      if (segment.task) await segment.task();
      else if (segment.entries.length === 1) await this.#alone(segment.entries[0]);
      else await this.#batch(segment.entries);
    }
  }

  /** One entry in its own request; settles when it has. */
  #alone(entry) {
    let reply;
    try {
      reply = entry.group
        ? this.#client.batch(entry.commands, false, entry.flags)
        : this.#client.exec(entry.commands[0], entry.flags);
    } catch (e) {
      entry.reject(e);
      return undefined;
    }
    return reply.then(entry.resolve, entry.reject);
  }

  /** Several entries as one /pipeline; settles when they have. */
  #batch(entries) {
    // String-only commands, handed over flat: every part in one string,
    // their sizes in one array (per command: part count, then each part's
    // length), rather than one string per argument.
    let flags = 0;
    let text = "";
    const sizes = [];
    for (const entry of entries) {
      flags |= entry.flags;
      for (const command of entry.commands) {
        sizes.push(command.length);
        for (const part of command) {
          sizes.push(part.length);
          text += part;
        }
      }
    }
    let request;
    try {
      request = this.#client.batchFlat(text, Uint32Array.from(sizes), false, flags);
    } catch {
      // Refused while being built: nothing was sent.
      return this.#oneByOne(entries);
    }
    return request.then(
      (replies) => {
        let at = 0;
        for (const entry of entries) {
          if (entry.group) {
            const n = entry.commands.length;
            const slots = new Array(n);
            for (let i = 0; i < n; i++) slots[i] = slotFor(replies[at + i], flags, entry.flags);
            at += n;
            entry.resolve(slots);
            continue;
          }
          const slot = slotFor(replies[at++], flags, entry.flags);
          if (slot instanceof Error) entry.reject(slot);
          else entry.resolve(slot);
        }
      },
      (e) => {
        // Refused before sending (a workspace refusal, a request the REST
        // API cannot carry): nothing ran, so each entry is sent alone, in
        // order, and gets its own answer, as without auto-pipelining.
        if (e?.kind === "namespace" || e?.kind === "invalid_request") return this.#oneByOne(entries);
        for (const entry of entries) entry.reject(e);
        return undefined;
      },
    );
  }

  async #oneByOne(entries) {
    for (const entry of entries) await this.#alone(entry);
  }
}
