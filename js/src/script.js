// `redis.createScript(script, { readonly })`, as @upstash/redis's Script
// and ScriptRO: `sha1` is known at once (computed by the wasm module);
// `exec` tries EVALSHA (EVALSHA_RO) and sends the whole script only when
// Redis does not know it (NOSCRIPT).

import { scriptSha1 } from "../pkg/edgestash.js";

const isNoScript = (e) => e instanceof Error && (e.redisKind === "NOSCRIPT" || e.message.toLowerCase().includes("noscript"));

class BaseScript {
  /** The script's source. */
  script;
  /** Its SHA-1, lowercase hex, as EVALSHA names it. */
  sha1;
  #redis;

  /** @internal use `redis.createScript`. */
  constructor(redis, script) {
    this.#redis = redis;
    this.script = script;
    this.sha1 = scriptSha1(script);
  }

  /** @internal `method` of the client with the script or its hash first. */
  call(method, bySha, keys, args) {
    return this.#redis[method](bySha ? this.sha1 : this.script, keys, args);
  }

  /** @internal EVALSHA-like, then EVAL-like when Redis lacks the script. */
  async tryHash(evalsha, evalMethod, keys, args) {
    try {
      return await this.call(evalsha, true, keys, args);
    } catch (e) {
      if (isNoScript(e)) return this.call(evalMethod, false, keys, args);
      throw e;
    }
  }
}

/** `redis.createScript(script)`: eval, evalsha and exec. */
export class Script extends BaseScript {
  /** EVAL: sends the whole script. */
  eval(keys, args) {
    return this.call("eval", false, keys, args);
  }
  /** EVALSHA: sends the hash only. */
  evalsha(keys, args) {
    return this.call("evalsha", true, keys, args);
  }
  /** EVALSHA, falling back to EVAL when Redis does not know the script. */
  exec(keys, args) {
    return this.tryHash("evalsha", "eval", keys, args);
  }
}

/** `redis.createScript(script, { readonly: true })`: evalRo, evalshaRo, exec. */
export class ScriptRO extends BaseScript {
  /** EVAL_RO: sends the whole script. */
  evalRo(keys, args) {
    return this.call("evalRo", false, keys, args);
  }
  /** EVALSHA_RO: sends the hash only. */
  evalshaRo(keys, args) {
    return this.call("evalshaRo", true, keys, args);
  }
  /** EVALSHA_RO, falling back to EVAL_RO when Redis does not know the script. */
  exec(keys, args) {
    return this.tryHash("evalshaRo", "evalRo", keys, args);
  }
}
