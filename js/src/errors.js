// The package's error classes. The wasm side builds every error it throws
// or rejects with through `EdgestashError` (registered by each entry with
// `setErrorClass` right after the module is instantiated), so
// `e instanceof EdgestashError` holds for all of them, and, because it
// extends `UpstashError`, so does `e instanceof UpstashError`: code written
// for @upstash/redis (`catch (e) { if (e instanceof UpstashError) ... }`,
// `e.name === "UpstashError"`) keeps working after the import changes.

/**
 * @upstash/redis's error class: a failed command or request. Its messages
 * start with Redis's own error text (`ERR ...`, `WRONGTYPE ...`) as
 * @upstash/redis's do; unlike theirs they never repeat the command's
 * arguments (they could hold secrets).
 */
export class UpstashError extends Error {
  constructor(message, options) {
    super(message, options);
  }
}
Object.defineProperty(UpstashError.prototype, "name", {
  value: "UpstashError",
  writable: true,
  configurable: true,
});

/**
 * A failure of edgestash: `kind` is the category (`config`, `auth`,
 * `redis`, `transport`, `namespace`, `session`...), `code` the specific
 * reason (`invalid_workspace_id`, `malformed_id`, `timeout`...; equal to
 * `kind` when there is nothing finer). Messages never contain argument
 * values, ids or tokens. Its `name` is "UpstashError", as @upstash/redis's
 * errors are named.
 */
export class EdgestashError extends UpstashError {
  constructor(message, kind, code) {
    super(message);
    this.kind = kind;
    this.code = code ?? kind;
  }
}

/** A `config` error naming the setting at fault, never its value. */
export function configError(setting, reason) {
  return new EdgestashError(`invalid configuration: ${setting}: ${reason}`, "config", "config");
}
