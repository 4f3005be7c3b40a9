// Default entry (browsers, Deno, anything with fetch and import.meta.url):
import init, { setErrorClass } from "../pkg/edgestash.js";
import { EdgestashError } from "./errors.js";

await init({ module_or_path: new URL("../pkg/edgestash_bg.wasm", import.meta.url) });
setErrorClass(EdgestashError);

export * from "./api.js";
