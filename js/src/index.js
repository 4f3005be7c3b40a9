// Default entry (browsers, Deno, anything with fetch and import.meta.url):
import init from "../pkg/edgestash.js";

await init({ module_or_path: new URL("../pkg/edgestash_bg.wasm", import.meta.url) });

export { Redis, Pipeline } from "./redis.js";
