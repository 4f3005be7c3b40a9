// Auto-pipelining, as @upstash/redis does by default: calls made on one
// client in the same tick (before two microtask turns pass) travel together
// in ONE /pipeline request, in the order they were made; each call still
// resolves or rejects on its own. A lone call is sent as a plain command,
// exactly as without auto-pipelining.
//
// Not batched: calls with binary (Uint8Array) arguments, which the REST
// JSON body cannot carry in a batch; they first flush what is queued, so
// calls of one tick still leave in order.

/** @upstash/redis's cap on one auto-pipeline. */
const MAX_BATCH = 1000;

export class AutoPipeline {
  #client;
  /** decode flags -> the batch being filled for them */
  #open = new Map();

  constructor(client) {
    this.#client = client;
  }

  /** Queues `parts` (decoded with `flags`); resolves to its reply. */
  add(parts, flags) {
    if (parts.some((p) => typeof p !== "string")) {
      this.flushAll();
      return this.#client.exec(parts, flags);
    }
    let batch = this.#open.get(flags);
    if (batch === undefined) {
      batch = { commands: [], settle: [] };
      this.#open.set(flags, batch);
      this.#later(flags, batch);
    }
    const reply = new Promise((resolve, reject) => batch.settle.push([resolve, reject]));
    batch.commands.push(parts);
    if (batch.commands.length >= MAX_BATCH) this.#send(flags, batch);
    return reply;
  }

  /** Sends every batch being filled now. */
  flushAll() {
    for (const [flags, batch] of this.#open) this.#send(flags, batch);
  }

  async #later(flags, batch) {
    // Two turns: long enough for every caller resumed by the same reply to
    // queue its next call, short enough to add no measurable latency.
    await null;
    await null;
    this.#send(flags, batch);
  }

  #alone(command, flags, [resolve, reject]) {
    try {
      this.#client.exec(command, flags).then(resolve, reject);
    } catch (e) {
      reject(e);
    }
  }

  #send(flags, batch) {
    if (this.#open.get(flags) !== batch) return;
    this.#open.delete(flags);
    const { commands, settle } = batch;
    if (commands.length === 1) {
      this.#alone(commands[0], flags, settle[0]);
      return;
    }
    const failAll = (e) => {
      // Refused before sending (a workspace refusal, a request the REST API
      // cannot carry): nothing ran, so each call is sent alone and gets its
      // own answer, as without auto-pipelining.
      if (e?.kind === "namespace" || e?.kind === "invalid_request") {
        commands.forEach((command, i) => this.#alone(command, flags, settle[i]));
      } else {
        settle.forEach(([, reject]) => reject(e));
      }
    };
    try {
      this.#client.batch(commands, false, flags).then((replies) => {
        for (let i = 0; i < settle.length; i++) {
          const r = replies[i];
          if (r instanceof Error) settle[i][1](r);
          else settle[i][0](r);
        }
      }, failAll);
    } catch (e) {
      failAll(e);
    }
  }
}
