// The one error class of the package. The wasm side builds every error it
// throws or rejects with through this class (registered by each entry with
// `setErrorClass` right after the module is instantiated), so
// `e instanceof EdgestashError` holds for all of them.

/**
 * A failure of edgestash: `kind` is the category (`config`, `auth`,
 * `redis`, `transport`, `namespace`, `session`...), `code` the specific
 * reason (`invalid_workspace_id`, `malformed_id`, `timeout`...; equal to
 * `kind` when there is nothing finer). Messages never contain argument
 * values, ids or tokens.
 */
export class EdgestashError extends Error {
  constructor(message, kind, code) {
    super(message);
    this.kind = kind;
    this.code = code ?? kind;
  }
}
Object.defineProperty(EdgestashError.prototype, "name", {
  value: "EdgestashError",
  writable: true,
  configurable: true,
});

/** A `config` error naming the setting at fault, never its value. */
export function configError(setting, reason) {
  return new EdgestashError(`invalid configuration: ${setting}: ${reason}`, "config", "config");
}
