// Everything the package exports, shared by the three entries (node.js,
// workerd.js, index.js), which only differ in how they load the .wasm.
export { Redis, Pipeline } from "./redis.js";
export { Ratelimit } from "./ratelimit.js";
export { Sessions, SessionStore } from "./sessions.js";
export { EdgestashError, UpstashError } from "./errors.js";
export { Subscription } from "./pubsub.js";
