// `Sessions` (also exported as `SessionStore`): server-side sessions over
// the Rust session store (src/session/ through src/wasm/sessions.rs). The
// key layout (two keys named by the id's SHA-256, never the raw id), the
// one-round-trip get+touch, the idle and absolute timeouts and cookie
// signing are Rust's; this file checks argument types and carries the
// application's data across as JSON.

import { WasmSessions } from "../pkg/edgestash.js";
import { clientOf } from "./redis.js";
import { EdgestashError, configError } from "./errors.js";

function malformed() {
  return new EdgestashError("malformed session id", "session", "malformed_id");
}

function idOf(value) {
  const id = typeof value === "object" && value !== null ? value.id : value;
  if (typeof id !== "string") throw malformed();
  return id;
}

function userOf(user) {
  if (user === undefined || user === null) return undefined;
  if (typeof user !== "string") throw configError("session.user", "must be a string");
  return user;
}

function dataOf(data) {
  // undefined is not JSON; a session without data holds null.
  const json = JSON.stringify(data === undefined ? null : data);
  if (json === undefined) throw configError("session.data", "must be JSON-serialisable");
  return json;
}

function sessionOf(json) {
  return json === null ? null : JSON.parse(json);
}

function parts(session) {
  if (typeof session !== "object" || session === null) throw malformed();
  return [
    idOf(session),
    userOf(session.user),
    Number(session.createdAt ?? 0),
    Number(session.expiresAt ?? 0),
    dataOf(session.data),
  ];
}

export class Sessions {
  #store;

  /**
   * @param {import("./index.d.ts").SessionsConfig} config
   */
  constructor(config = {}) {
    const client = clientOf(config.redis);
    this.#store = new WasmSessions(client, {
      idleTimeout: config.idleTimeout,
      absoluteTimeout: config.absoluteTimeout,
      cookie: config.cookie,
    });
  }

  /** Creates a session (`user` optional) holding `data`. One round trip. */
  async create({ user, data } = {}) {
    return sessionOf(await this.#store.create(userOf(user), dataOf(data)));
  }

  /**
   * The live session with this id, or null (gone, idled out or past its
   * absolute lifetime). Slides the idle timeout unless `touch: false`
   * (which only reads, so it works with a read-only token).
   */
  async get(id, { touch = true } = {}) {
    return sessionOf(await this.#store.get(idOf(id), Boolean(touch)));
  }

  /** Slides the idle timeout; false when the session is gone. */
  async touch(id) {
    return this.#store.touch(idOf(id));
  }

  /** Stores `session.data` (session as create/get returned it); false when gone. */
  async update(session) {
    return this.#store.update(...parts(session));
  }

  /** A new id for the session (after login or privilege change); the old one ends. */
  async regenerate(session) {
    return sessionOf(await this.#store.regenerate(...parts(session)));
  }

  /** Ends a session (given as the session or its id); true when it was alive. */
  async destroy(session) {
    const known = typeof session === "object" && session !== null;
    return this.#store.destroy(idOf(session), known ? userOf(session.user) : undefined, known);
  }

  /** Ends every session of `user`; resolves to how many were alive. */
  async destroyUser(user) {
    const name = userOf(user);
    if (name === undefined) throw configError("session.user", "must be a string");
    return this.#store.destroyUser(name);
  }

  /** The `Set-Cookie` header value carrying the session (signed with `cookie.secret`). */
  cookie(session) {
    if (typeof session !== "object" || session === null) throw malformed();
    return this.#store.setCookie(idOf(session), Number(session.expiresAt ?? 0));
  }

  /** The `Set-Cookie` header value that deletes the cookie. */
  clearCookie() {
    return this.#store.clearCookie();
  }

  /**
   * The session id in a request's `Cookie` header, or null when absent;
   * throws (`bad_signature`, `malformed_id`) when forged or malformed.
   */
  idFromCookie(header) {
    if (header === undefined || header === null) return null;
    if (typeof header !== "string") throw new TypeError("edgestash: a Cookie header is a string");
    return this.#store.idFromCookie(header) ?? null;
  }
}

export { Sessions as SessionStore };
