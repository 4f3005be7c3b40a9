// Node 18+ entry: reads the .wasm next to the glue and instantiates it
// synchronously, so importing the package needs no top-level await.
import { readFileSync } from "node:fs";
import { initSync, setErrorClass } from "../pkg/edgestash.js";
import { EdgestashError } from "./errors.js";

initSync({ module: readFileSync(new URL("../pkg/edgestash_bg.wasm", import.meta.url)) });
setErrorClass(EdgestashError);

export * from "./api.js";
