// Cloudflare Workers entry (export condition `workerd`): Wrangler bundles
// the .wasm import as a compiled WebAssembly.Module, which instantiates
// synchronously; Workers forbid compiling wasm from bytes at run time.
import wasmModule from "../pkg/edgestash_bg.wasm";
import { initSync } from "../pkg/edgestash.js";

initSync({ module: wasmModule });

export { Redis, Pipeline } from "./redis.js";
