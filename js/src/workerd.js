// Cloudflare Workers entry (export condition `workerd`): Wrangler bundles
// the .wasm import as a compiled WebAssembly.Module, which instantiates
// synchronously; Workers forbid compiling wasm from bytes at run time.
import wasmModule from "../pkg/edgestash_bg.wasm";
import { initSync, setErrorClass } from "../pkg/edgestash.js";
import { EdgestashError } from "./errors.js";

initSync({ module: wasmModule });
setErrorClass(EdgestashError);

export * from "./api.js";
